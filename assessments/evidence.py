"""Evidence files (台账 photos, scans) attached to an item of a sheet.

Accepted: JPEG, PNG and PDF, up to 10 MB each, at most 20 per item. The type is checked
from the file's first bytes, not from its name.
"""

MAX_BYTES = 10 * 1024 * 1024
MAX_PER_ITEM = 20
SIGNATURES = {
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"%PDF-": ("application/pdf", ".pdf"),
}
LIMITS_TEXT = "可上传 JPG、PNG 照片或 PDF 扫描件，每个文件不超过 10 MB，每项最多 20 个。"


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
    head = upload.read(16)
    upload.seek(0)
    for signature, kind in SIGNATURES.items():
        if head.startswith(signature):
            return kind
    raise EvidenceError(f"文件「{upload.name}」不是 JPG、PNG 或 PDF 文件。")
