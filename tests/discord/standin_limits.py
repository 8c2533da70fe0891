"""Rate limits and injected faults: what a REST answer looks like when Discord says "not now".

Every routed answer carries Discord's ``X-RateLimit-*`` headers for its bucket (developers/topics/
rate-limits): a bucket per route, counted separately per top-level resource (``channel_id``,
``guild_id``, a webhook's id and token), named by ``X-RateLimit-Bucket`` without those ids. A
request over the bucket gets a 429 with ``Retry-After``, the JSON body ``{"message", "retry_after",
"global"}``, ``X-RateLimit-Scope: user`` and ``Via: 1.1 google`` (Discord's 429s pass Google's
load balancer; discord.py treats a 429 without ``Via`` as a Cloudflare ban and raises at once).
The defaults (50 a second per bucket) never bind in a normal test; a test shrinks one to see 429s.
"""

from __future__ import annotations

import json
import math
import re
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from aiohttp import web

from .standin_clock import Clock
from .standin_transcript import RecordedRequest

#: discord.py compares Content-Type verbatim: a charset suffix would make it read the body as text.
JSON_TYPE = "application/json"
RATE_LIMITED = "You are being rate limited."
#: Discord's own 429s come through Google's load balancer and say so; Cloudflare's do not.
VIA_GOOGLE = "1.1 google"


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        body=json.dumps(data).encode(),
        status=status,
        headers={**(headers or {}), "Content-Type": JSON_TYPE},
    )


def bucket_headers(limit: int, remaining: int, reset_after: float, bucket: str) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
        "X-RateLimit-Reset-After": f"{reset_after:.3f}",
        "X-RateLimit-Bucket": bucket,
    }


def too_many(retry_after: float, headers: dict[str, str], *, is_global: bool, via: bool = True) -> web.Response:
    """A 429 as Discord sends it (``via=False``: as if it had not come through Google's proxy)."""
    body = {"message": RATE_LIMITED, "retry_after": round(retry_after, 3), "global": is_global}
    headers = {**headers, "Retry-After": str(math.ceil(retry_after))}
    headers["X-RateLimit-Scope"] = "global" if is_global else "user"
    if is_global:
        headers["X-RateLimit-Global"] = "true"
    if via:
        headers["Via"] = VIA_GOOGLE
    return json_response(body, 429, headers)


@dataclass
class Bucket:
    """``limit`` requests per ``per_seconds``, counted per top-level resource (fixed windows)."""

    limit: int = 50
    per_seconds: float = 1.0
    refused: int = 0
    _windows: dict[tuple[str, ...], tuple[float, int]] = field(default_factory=dict)

    def take(self, major: tuple[str, ...], now: float) -> tuple[bool, int, float]:
        """Use one request: (allowed, remaining, seconds until the window resets)."""
        start, used = self._windows.get(major, (now, 0))
        if now - start >= self.per_seconds:
            start, used = now, 0
        reset_after = max(self.per_seconds - (now - start), 0.0)
        if used >= self.limit:
            self.refused += 1
            return False, 0, reset_after
        self._windows[major] = (start, used + 1)
        return True, self.limit - used - 1, reset_after


class RateLimits:
    """The per-route buckets: one default size, and any route given its own."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.default = (50, 1.0)
        self._sizes: dict[str, tuple[int, float]] = {}
        self._buckets: dict[str, Bucket] = {}

    def set(self, limit: int, per_seconds: float, bucket: str | None = None) -> None:
        """Resize one bucket, or (``bucket=None``) every bucket not resized on its own."""
        if limit < 1 or per_seconds <= 0:
            raise ValueError("a bucket needs a limit of at least 1 and a positive window")
        if bucket is None:
            self.default = (limit, per_seconds)
            for name, existing in self._buckets.items():
                if name not in self._sizes:
                    existing.limit, existing.per_seconds = limit, per_seconds
        else:
            self._sizes[bucket] = (limit, per_seconds)
            if bucket in self._buckets:
                self._buckets[bucket].limit, self._buckets[bucket].per_seconds = limit, per_seconds

    def take(self, bucket: str, major: tuple[str, ...]) -> tuple[bool, dict[str, str], float]:
        """Count one request: (allowed, the headers to send, seconds until it may retry)."""
        if bucket not in self._buckets:
            limit, per_seconds = self._sizes.get(bucket, self.default)
            self._buckets[bucket] = Bucket(limit, per_seconds)
        found = self._buckets[bucket]
        allowed, remaining, reset_after = found.take(major, self._clock.now())
        return allowed, bucket_headers(found.limit, remaining, reset_after, bucket), reset_after

    def headers_when_exhausted(self, bucket: str, retry_after: float) -> dict[str, str]:
        """What a bucket announces in an injected 429 (nothing left until ``retry_after``)."""
        limit = self._buckets[bucket].limit if bucket in self._buckets else self._sizes.get(bucket, self.default)[0]
        return bucket_headers(limit, 0, retry_after, bucket)

    @property
    def refused(self) -> dict[str, int]:
        return {name: b.refused for name, b in self._buckets.items() if b.refused}


@dataclass
class GlobalRateLimit:
    """Discord's global limit: a bot may make ``limit`` requests per ``per_seconds`` across the
    whole API (50 per second), interaction callbacks and webhooks excepted. Off unless set. It is
    not announced in headers, so a client must pace itself; one that does not gets global 429s,
    counted in :attr:`refused`."""

    clock: Clock
    limit: int = 0
    per_seconds: float = 1.0
    refused: int = 0
    _window: tuple[float, int] = (0.0, 0)

    def take(self) -> float | None:
        """Use one request; None if allowed, else the seconds until the window resets."""
        if self.limit <= 0:
            return None
        now = self.clock.now()
        start, used = self._window
        if now - start >= self.per_seconds:
            start, used = now, 0
        if used >= self.limit:
            self.refused += 1
            return self.per_seconds - (now - start)
        self._window = (start, used + 1)
        return None


@dataclass
class Fault:
    """Answer the next ``times`` matching requests with ``status`` instead of the real answer.

    With ``lose_response`` the request is carried out first and only the answer is replaced: the
    client believes it failed although it succeeded (a lost response). A 429 is Discord's own
    (with ``Via``) unless ``via`` is False: then it is a Cloudflare 429 — plain text ``error code:
    1015``, ``Retry-After``, no ``Via`` and no rate-limit headers. Other statuses carry Discord's
    body ``{"message": "403: Forbidden", "code": 0}``, or ``code`` and ``message`` if given.
    """

    method: str
    pattern: re.Pattern[str]
    status: int
    times: int = 1
    retry_after: float = 0.05
    is_global: bool = False
    lose_response: bool = False
    via: bool = True
    code: int = 0
    message: str | None = None
    hits: list[RecordedRequest] = field(default_factory=list)  # the requests it answered

    def matches(self, method: str, path: str) -> bool:
        return len(self.hits) < self.times and method == self.method and self.pattern.fullmatch(path) is not None

    def response(self, bucket_headers: dict[str, str]) -> web.Response:
        """The injected answer; ``bucket_headers`` are the matched route's, for a Discord 429."""
        if self.status == 429 and not self.via:
            headers = {"Retry-After": str(math.ceil(self.retry_after)), "Content-Type": "text/plain"}
            return web.Response(text="error code: 1015", status=429, headers=headers)
        if self.status == 429:
            return too_many(self.retry_after, {} if self.is_global else bucket_headers, is_global=self.is_global)
        message = self.message or f"{self.status}: {HTTPStatus(self.status).phrase}"
        return json_response({"message": message, "code": self.code}, self.status)
