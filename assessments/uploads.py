"""Uploaded files kept between a preview and its confirmation, under MEDIA_ROOT/uploads/.

The token is random and names the file; a confirmation re-reads the file, never data sent
back by the browser.
"""

import re
import secrets
from pathlib import Path

from django.conf import settings

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep(content: bytes, *, suffix: str) -> str:
    token = secrets.token_urlsafe(24)
    (_folder() / f"{token}{suffix}").write_bytes(content)
    return token + suffix


def read(token: str) -> bytes | None:
    stem, _dot, suffix = token.partition(".")
    if not _TOKEN.match(stem) or suffix not in ("xlsx", "xls", "csv"):
        return None
    path = _folder() / token
    return path.read_bytes() if path.exists() else None


def discard(token: str) -> None:
    if read(token) is not None:
        (_folder() / token).unlink(missing_ok=True)
