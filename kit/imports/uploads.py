"""Uploaded files waiting for confirmation, kept on the server.

The confirm step re-reads the file from here and checks it again: nothing the browser
sends back (counts, values, fingerprints) is trusted. With the file the store keeps the
fingerprint of the plan the person was shown (``record_plan``), so the confirm step
commits exactly what was previewed. Files live in MEDIA_ROOT/imports/<token>/ and are
removed after the import or after a day.

A confirmed plan of more than ``IMPORT_INLINE_ROWS`` rows (``commits_in_job``) is written by
a background job: the request hands over the token, the fingerprint shown and the digest
of the stored file (``job_params``); the job reads the file back with ``load_confirmed``,
which refuses a file that changed since, and commits only a plan with that fingerprint.
"""

import hashlib
import json
import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.http import Http404

TOKEN_BYTES = 18
MAX_AGE_SECONDS = 24 * 60 * 60
DEFAULT_INLINE_ROWS = 2000
GONE_MESSAGE = "没有找到这次上传（可能已导入或已过期），未导入任何内容；请重新上传。"


def _root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _folder(token: str) -> Path:
    if not (20 <= len(token) <= 64 and all(c.isalnum() or c in "-_" for c in token)):
        raise Http404("没有找到这次上传。")
    return _root() / token


def _write_meta(folder: Path, meta: dict) -> None:
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def save_pending(
    *,
    data: bytes,
    file_name: str,
    options: dict,
    user,
    fingerprint: str = "",
    rows: int | None = None,
) -> str:
    sweep()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    folder = _root() / token
    folder.mkdir(parents=True)
    (folder / "upload.bin").write_bytes(data)
    meta = {
        "file_name": file_name,
        "user": user.pk,
        "options": options,
        "saved": time.time(),
        "sha256": digest(data),
    }
    if fingerprint:
        meta["fingerprint"] = fingerprint
    if rows is not None:
        meta["rows"] = rows
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


def record_plan(token: str, meta: dict, fingerprint: str, rows: int | None = None) -> None:
    """Keep the fingerprint of the plan just shown (and how many rows it has); the confirm
    step must match it."""
    if meta.get("fingerprint") == fingerprint and (rows is None or meta.get("rows") == rows):
        return
    meta["fingerprint"] = fingerprint
    if rows is not None:
        meta["rows"] = rows
    folder = _folder(token)
    if folder.exists():
        _write_meta(folder, meta)


def inline_rows() -> int:
    """``IMPORT_INLINE_ROWS``: the most rows a confirmed import writes within the request."""
    return int(getattr(settings, "IMPORT_INLINE_ROWS", DEFAULT_INLINE_ROWS))


def commits_in_job(meta: dict) -> bool:
    """Whether the plan shown for this upload is big enough to be committed by a job (its
    fingerprint and row count were kept when it was shown)."""
    return bool(meta.get("fingerprint")) and int(meta.get("rows") or 0) > inline_rows()


def job_params(token: str, meta: dict, **extra) -> dict:
    """What a commit job needs to find and check the upload the person confirmed."""
    return {
        "token": token,
        "fingerprint": meta.get("fingerprint", ""),
        "sha256": meta.get("sha256", ""),
        **extra,
    }


def load_confirmed(params: dict, user) -> tuple[bytes, dict]:
    """The stored upload a commit job was given (``job_params``). Raises Http404 when it is
    gone (imported already, or expired) and ``StalePlan`` when the file is not the one the
    person previewed."""
    from kit.imports.plan import StalePlan

    data, meta = load_pending(params["token"], user)
    if not params.get("sha256") or digest(data) != params["sha256"]:
        raise StalePlan
    return data, meta


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
