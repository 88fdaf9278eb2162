"""The coopmap web app (``coopmap serve``): pages for coordinators and trainers, a SPARQL 1.1 Protocol
endpoint for researchers, Linked Data under ``/id/``, and the shared triple store (``coopmap push``).

The app is a thin face over the library: its route handlers call :class:`graph.server.facade.Facade`
only, never SPARQL or networkx directly.
"""

from __future__ import annotations

__all__ = ["create_app", "serve"]


def create_app(*args, **kwargs):
    """See :func:`graph.server.app.create_app`."""
    try:
        from graph.server.app import create_app as make
    except ImportError as e:
        from graph.core.errors import CoopmapError

        raise CoopmapError(f"The web app needs {e.name or 'a package coopmap installs'}: reinstall coopmap "
                           "(pip install .), which brings starlette, uvicorn and jinja2.") from None
    return make(*args, **kwargs)


def serve(host: str = "127.0.0.1", port: int = 8000, audience: str = "clear", *, store=None, timeout=10.0,
          rate_limit=(600, 60.0), allowed_hosts=None, log_level="info"):
    """Run the app with uvicorn until interrupted.

    ``allowed_hosts`` (the names clients may use in the ``Host`` header) defaults to this machine's
    names plus ``host``; listening on every interface (``0.0.0.0``) without naming hosts allows any.
    """
    import uvicorn

    from graph.server.app import LOCAL_HOSTS

    if allowed_hosts is None:
        allowed_hosts = ["*"] if host in ("0.0.0.0", "::") else list(dict.fromkeys([*LOCAL_HOSTS, host]))
    app = create_app(audience, store=store, timeout=timeout, rate_limit=rate_limit, allowed_hosts=allowed_hosts)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False)
