"""Evidence files (台账 photos, scans) attached to an item of a sheet.

Accepted: JPEG, PNG and PDF, up to 10 MB each, at most 20 per item. The type is found from
the file's first bytes, not from its name, and then the whole file is checked as that type:

- an image must decode completely with Pillow (``verify()``, then ``load()`` of a fresh
  copy; a JPEG at an eighth of its size, which still decodes every block), its format must
  be the one its first bytes claim, and a PNG must end at its IEND chunk (nothing hidden
  behind it); an image of more than ``EVIDENCE_MAX_PIXELS`` is refused from its header,
  before anything is decoded;
- a PDF must open with pypdf and contain nothing that runs or carries other files:
  JavaScript (``/JavaScript``, ``/JS``), launch actions (``/Launch``), additional actions
  (``/AA``), an ``/OpenAction`` that is not a plain destination, embedded files
  (``/EmbeddedFile``, ``/EmbeddedFiles``, ``/EF``). Both the raw bytes (with ``#xx`` name
  escapes decoded) and every object pypdf parses (including objects packed in compressed
  object streams) are scanned; object streams that unpack to more than
  ``MAX_OBJECT_STREAM_BYTES`` in all are refused before the walk. An encrypted PDF that does not open without a password is
  refused, since its objects cannot be checked.

Evidence is served as a download (``Content-Disposition: attachment``) with
``X-Content-Type-Options: nosniff``; see ``sheet_views.evidence_download``.
"""

import io
import re
import warnings
import zlib

from PIL import Image, ImageFile, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PER_ITEM = 20
SIGNATURES = {
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"%PDF-": ("application/pdf", ".pdf"),
}
PILLOW_FORMATS = {"image/jpeg": ("JPEG", "JPG"), "image/png": ("PNG", "PNG")}
LIMITS_TEXT = "可上传 JPG、PNG 照片或 PDF 扫描件，每个文件不超过 10 MB，每项最多 20 个。"

# PDF names whose presence refuses the file, with what they mean to the user.
ACTIVE_NAMES = {
    "/JavaScript": "脚本",
    "/JS": "脚本",
    "/Launch": "启动外部程序的动作",
    "/AA": "自动执行的动作",
    "/EmbeddedFile": "嵌入的文件",
    "/EmbeddedFiles": "嵌入的文件",
    "/EF": "嵌入的文件",
}
# A name token in raw PDF bytes: "/" then regular characters (PDF 32000-1, 7.3.5).
_NAME = re.compile(rb"/[^\s/<>\[\]()%{}\x00]*")
_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
# The most objects walked in one PDF: bounds the work on a crafted file.
MAX_PDF_OBJECTS = 200_000
# What a PDF's object streams may unpack to, in all. They hold dictionaries, not page
# content: a scan's are kilobytes. pypdf bounds each stream (75 MB) and keeps every one it
# has decoded, so a few kilobytes of compressed padding per stream would otherwise add up
# to gigabytes.
MAX_OBJECT_STREAM_BYTES = 32 * 1024 * 1024
# Pixels of an evidence image: a phone photo (12 MP by default) or an A4 page scanned at 600 dpi
# (35 MP) fits; decoding a PNG takes 3–4 bytes per pixel, so 40 MP stays within 160 MB.
DEFAULT_MAX_PIXELS = 40_000_000


def max_pixels() -> int:
    from django.conf import settings

    return int(getattr(settings, "EVIDENCE_MAX_PIXELS", DEFAULT_MAX_PIXELS))


class EvidenceError(Exception):
    pass


def check_upload(upload, already: int) -> tuple[str, str]:
    """(content type, extension) of an acceptable upload, or EvidenceError saying why not."""
    if upload is None:
        raise EvidenceError("请选择要上传的文件。")
    if upload.size > MAX_BYTES:
        raise EvidenceError(
            f"文件「{upload.name}」有 {upload.size / 1024 / 1024:.1f} MB，超过 10 MB 的限制。"
        )
    if already >= MAX_PER_ITEM:
        raise EvidenceError(f"该项已有 {already} 个附件，最多 {MAX_PER_ITEM} 个。")
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    for signature, kind in SIGNATURES.items():
        if content.startswith(signature):
            if kind[0] == "application/pdf":
                _check_pdf(content, upload.name)
            else:
                _check_image(content, kind[0], upload.name)
            return kind
    raise EvidenceError(f"文件「{upload.name}」不是 JPG、PNG 或 PDF 文件。")


def _check_image(content: bytes, content_type: str, name: str) -> None:
    pillow_format, label = PILLOW_FORMATS[content_type]
    refused = EvidenceError(
        f"文件「{name}」不是完整的 {label} 图片（内容损坏或夹带了其他内容），无法上传。"
        "请重新导出或拍摄后再上传。"
    )
    # WeasyPrint, once imported in the process (a PDF printed in it), sets Pillow's global
    # LOAD_TRUNCATED_IMAGES so a truncated image would load: refuse one here whatever it says.
    tolerant, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content), formats=[pillow_format]) as image:
                _check_pixels(image, name)
                image.verify()
            with Image.open(io.BytesIO(content), formats=[pillow_format]) as image:
                if pillow_format == "JPEG":
                    # Decoded at an eighth of its size: every block of the file is still
                    # decoded (a truncated or damaged JPEG fails), in 1/64 of the memory.
                    width, height = image.size
                    image.draft(image.mode, ((width + 7) // 8, (height + 7) // 8))
                image.load()
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,  # Pillow's PNG reader raises it for a broken chunk
        ValueError,
        EOFError,
    ):
        raise refused from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    if content_type == "image/png" and not _png_ends_at_iend(content):
        raise refused


def _check_pixels(image, name: str) -> None:
    """Refuse, from the header alone, an image larger than EVIDENCE_MAX_PIXELS."""
    width, height = image.size
    most = max_pixels()
    if width * height > most:
        raise EvidenceError(
            f"文件「{name}」有 {width}×{height} 像素（约 {width * height // 10000} 万像素），"
            f"超过可上传的 {most // 10000} 万像素。请把图片缩小（例如用手机相册的“调整大小”，"
            "或在电脑上另存为较小尺寸）后再上传。"
        )


def _png_ends_at_iend(content: bytes) -> bool:
    """True when the PNG's chunks run from the signature to an IEND with nothing after it."""
    at = 8
    while at + 12 <= len(content):
        length = int.from_bytes(content[at : at + 4], "big")
        kind = content[at + 4 : at + 8]
        at += 12 + length
        if kind == b"IEND":
            return at == len(content)
    return False


def _check_pdf(content: bytes, name: str) -> None:
    found = _active_in_raw(content) or _active_in_objects(content, name)
    if found:
        raise EvidenceError(
            f"文件「{name}」含有{ACTIVE_NAMES.get(found, '自动执行的动作')}（{found}），"
            "不能作为台账附件上传。请打印后重新扫描，或另存为不含脚本和附件的 PDF 后再上传。"
        )


def _active_in_raw(content: bytes) -> str | None:
    for match in _NAME.finditer(content):
        token = _ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), match.group())
        text = token.decode("latin-1")
        if text in ACTIVE_NAMES:
            return text
    return None


def _active_in_objects(content: bytes, name: str) -> str | None:
    """The first active name in any object pypdf parses, or None; EvidenceError when the
    file cannot be read."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    unreadable = EvidenceError(f"文件「{name}」不是可以读取的 PDF 文件，无法上传。")
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise EvidenceError(f"文件「{name}」是加密的 PDF，无法检查其内容。请去掉密码后再上传。")
        _check_object_streams(reader, name)
        pending = [reader.trailer]
        for generation, numbers in reader.xref.items():
            pending += [IndirectObject(n, generation, reader) for n in numbers]
        for numbers in [reader.xref_objStm]:
            pending += [IndirectObject(n, 0, reader) for n in numbers]
        seen = set()
        walked = 0
        while pending:
            obj = pending.pop()
            if isinstance(obj, IndirectObject):
                key = (obj.idnum, obj.generation)
                if key in seen:
                    continue
                seen.add(key)
                obj = obj.get_object()
            walked += 1
            if walked > MAX_PDF_OBJECTS:
                raise unreadable
            if isinstance(obj, DictionaryObject):
                for key, value in obj.items():
                    if key in ACTIVE_NAMES:
                        return key
                    if key == "/S" and value in ("/JavaScript", "/Launch"):
                        return str(value)
                    if key == "/OpenAction" and _is_action(value.get_object()):
                        found = _action_kind(value.get_object())
                        if found:
                            return found
                    pending.append(value)
            elif isinstance(obj, ArrayObject):
                pending.extend(obj)
    except EvidenceError:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise unreadable from None
    return None


def _check_object_streams(reader, name: str) -> None:
    """Refuse the file when its object streams unpack to more than MAX_OBJECT_STREAM_BYTES
    in all, counted before any is kept: the walk then holds at most that much."""
    left = MAX_OBJECT_STREAM_BYTES
    for number in sorted({stream for stream, _index in reader.xref_objStm.values()}):
        left -= _unpacked_size(reader.get_object(number), left)
        if left < 0:
            raise EvidenceError(
                f"文件「{name}」内部的压缩对象解压后超过 "
                f"{MAX_OBJECT_STREAM_BYTES // 1024 // 1024} MB，不像正常的 PDF，无法检查其内容，"
                "不能上传。请打印后重新扫描，或用“打印为 PDF”另存一份后再上传。"
            )


def _unpacked_size(stream, most: int) -> int:
    """How many bytes ``stream`` unpacks to, counted up to ``most`` + 1. A Flate stream is
    inflated a megabyte at a time and thrown away; any other is decoded by pypdf (within
    its own limits) and released."""
    raw = getattr(stream, "_data", None)
    if stream.get("/Filter") == "/FlateDecode" and "/DecodeParms" not in stream and raw:
        inflate = zlib.decompressobj()
        size, pending = 0, raw
        try:
            while pending and size <= most:
                size += len(inflate.decompress(pending, 1024 * 1024))
                pending = inflate.unconsumed_tail
        except zlib.error:
            return 0  # pypdf's own reading reports a broken stream
        return size
    get_data = getattr(stream, "get_data", None)
    if get_data is None:
        return 0
    size = len(get_data())
    if hasattr(stream, "decoded_self"):
        stream.decoded_self = None
    return size


def _is_action(value) -> bool:
    from pypdf.generic import DictionaryObject

    return isinstance(value, DictionaryObject)


def _action_kind(action) -> str | None:
    """An /OpenAction dictionary that does more than go to a page: its /S, else None."""
    kind = action.get("/S")
    if kind in (None, "/GoTo"):
        return None
    return str(kind)


def download_response(field_file, *, name: str, content_type: str):
    """An uploaded file sent back as a download, never rendered by the browser: the name is
    RFC 5987 encoded by Django, and the response may run nothing (sandbox, nosniff)."""
    from django.http import FileResponse

    response = FileResponse(
        field_file.open("rb"), content_type=content_type, as_attachment=True, filename=name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
