"""Uploaded files waiting for confirmation, kept on the server.

The confirm step re-reads the file from here and checks it again: nothing the browser
sends back (counts, values, fingerprints) is trusted. With the file the store keeps the
fingerprint of the plan the person was shown (``record_plan``), so the confirm step
commits exactly what was previewed. Files live in MEDIA_ROOT/imports/<token>/ and are
removed after the import or after a day.
"""

import json
import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.http import Http404

TOKEN_BYTES = 18
MAX_AGE_SECONDS = 24 * 60 * 60


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _folder(token: str) -> Path:
    if not (20 <= len(token) <= 64 and all(c.isalnum() or c in "-_" for c in token)):
        raise Http404("没有找到这次上传。")
    return _root() / token


def _write_meta(folder: Path, meta: dict) -> None:
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def save_pending(*, data: bytes, file_name: str, options: dict, user, fingerprint: str = "") -> str:
    sweep()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    folder = _root() / token
    folder.mkdir(parents=True)
    (folder / "upload.bin").write_bytes(data)
    meta = {"file_name": file_name, "user": user.pk, "options": options, "saved": time.time()}
    if fingerprint:
        meta["fingerprint"] = fingerprint
    _write_meta(folder, meta)
    return token


def load_pending(token: str, user) -> tuple[bytes, dict]:
    """The file and its options; only for the person who uploaded it (others: 404)."""
    folder = _folder(token)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        data = (folder / "upload.bin").read_bytes()
    except (OSError, ValueError):
        raise Http404("没有找到这次上传（可能已导入或已过期），请重新上传。") from None
    if meta.get("user") != user.pk:
        raise Http404("没有找到这次上传。")
    return data, meta


def record_plan(token: str, meta: dict, fingerprint: str) -> None:
    """Keep the fingerprint of the plan just shown; the confirm step must match it."""
    if meta.get("fingerprint") == fingerprint:
        return
    meta["fingerprint"] = fingerprint
    folder = _folder(token)
    if folder.exists():
        _write_meta(folder, meta)


def drop_pending(token: str) -> None:
    shutil.rmtree(_folder(token), ignore_errors=True)


def sweep() -> None:
    root = _root()
    if not root.exists():
        return
    cutoff = time.time() - MAX_AGE_SECONDS
    for folder in root.iterdir():
        try:
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue
