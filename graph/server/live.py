"""Run the app in a background thread on a free loopback port: for tests, benchmarks and notebooks."""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager

__all__ = ["free_port", "running"]


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


@contextmanager
def running(app, host: str = "127.0.0.1", port: int | None = None, timeout: float = 60.0):
    """Serve ``app`` with uvicorn in a daemon thread; yields its base URL (``http://127.0.0.1:PORT``).

    Stops the server on exit.
    """
    import uvicorn

    port = port or free_port(host)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning", server_header=False,
                                           lifespan="off", timeout_keep_alive=30))
    thread = threading.Thread(target=server.run, name=f"coopmap-serve-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the web app did not start on {host}:{port}")
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
