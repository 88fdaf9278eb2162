"""ASGI middleware of the web app: security headers on every response, and a per-client rate limit."""

from __future__ import annotations

import math
import threading
import time
from collections import deque

__all__ = ["PAGE_CSP", "SecurityHeaders", "RateLimit"]

#: The pages' Content-Security-Policy: nothing from any other host; scripts and styles only from files of
#: this server; map pages are framed from here and send their own, stricter policy (hashes of their scripts).
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-src 'self'; "
            "form-action 'self'; frame-ancestors 'self'; base-uri 'none'; connect-src 'self'")

HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
]


class SecurityHeaders:
    """Adds the security headers, and :data:`PAGE_CSP` unless the response set its own policy."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in HEADERS if k not in names]
                if b"content-security-policy" not in names:
                    headers.append((b"content-security-policy", PAGE_CSP.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class RateLimit:
    """At most ``requests`` requests per ``window`` seconds per client address on the paths starting with
    one of ``prefixes``; above it, 429 with ``Retry-After`` (seconds until the oldest request leaves the
    window). ``requests=None`` turns it off.
    """

    def __init__(self, app, requests=600, window=60.0, prefixes=("/sparql", "/query")):
        self.app = app
        self.requests = requests
        self.window = window
        self.prefixes = tuple(prefixes)
        self._seen = {}
        self._lock = threading.Lock()

    def _retry_after(self, client):
        now = time.monotonic()
        with self._lock:
            q = self._seen.setdefault(client, deque())
            while q and q[0] <= now - self.window:
                q.popleft()
            if len(q) >= self.requests:
                return max(1, math.ceil(q[0] + self.window - now))
            q.append(now)
            if len(self._seen) > 10_000:  # forget idle clients
                for k in [k for k, v in self._seen.items() if not v]:
                    del self._seen[k]
            return None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not self.requests or not scope["path"].startswith(self.prefixes):
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("?", 0))[0]
        wait = self._retry_after(client)
        if wait is None:
            return await self.app(scope, receive, send)
        body = (f"Too many requests: at most {self.requests} queries per {self.window:g} s from one client. "
                f"Retry after {wait} s.\n").encode()
        await send({"type": "http.response.start", "status": 429,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", str(wait).encode()),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
