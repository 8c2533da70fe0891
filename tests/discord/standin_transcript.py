"""The transcript of REST requests: what each request carried and what the stand-in answered,
and the path templates tests use to find them (``"/channels/{channel_id}/messages"``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy

from .standin_messages import UploadedFile

#: Discord's route templates use ``{name}`` placeholders; so do fault patterns and waits.
PathPattern = str | re.Pattern[str]


@dataclass
class RecordedRequest:
    """One REST request as the stand-in saw it, and what it answered."""

    method: str
    path: str  # without the /api/v10 prefix, e.g. "/channels/123/messages"
    query: dict[str, str]
    json: Any  # the JSON body, or a multipart request's ``payload_json``; None without a body
    files: list[UploadedFile]
    headers: CIMultiDictProxy[str]
    status: int = 0
    response: Any = None  # the JSON answer (text if it was not JSON); None for 204
    response_headers: CIMultiDictProxy[str] = field(default_factory=lambda: CIMultiDictProxy(CIMultiDict()))

    @property
    def audit_log_reason(self) -> str | None:
        """``X-Audit-Log-Reason``, URL-decoded as discord.py quotes it."""
        reason = self.headers.get("X-Audit-Log-Reason")
        return None if reason is None else unquote(reason)


def compile_path(pattern: PathPattern, *, numeric_ids: bool = False) -> re.Pattern[str]:
    """``"/channels/{channel_id}/messages"`` → a regex; ``{…}`` matches one path segment, or
    with ``numeric_ids`` only digits for names ending in ``_id`` (so an unimplemented route
    such as ``/channels/1/messages/pins/2`` is not taken for a message id)."""
    if isinstance(pattern, re.Pattern):
        return pattern
    parts = re.split(r"\{(\w+)\}", pattern)
    regex = ""
    for i, part in enumerate(parts):
        if i % 2 == 0:
            regex += re.escape(part)
        else:
            segment = "[0-9]+" if numeric_ids and part.endswith("_id") else "[^/]+"
            regex += f"(?P<{part}>{segment})"
    return re.compile(regex)


async def read_body(request: web.Request) -> tuple[Any, list[UploadedFile]]:
    """JSON body, or for multipart uploads (files) the ``payload_json`` part and the files."""
    if not request.can_read_body:
        return None, []
    if request.content_type == "multipart/form-data":
        payload, files = None, []
        for name, value in (await request.post()).items():
            if isinstance(value, web.FileField):
                files.append(UploadedFile(value.filename, value.file.read(), value.content_type))
            elif name == "payload_json":
                payload = json.loads(str(value))
        return payload, files
    text = await request.text()
    return (json.loads(text) if text else None), []
