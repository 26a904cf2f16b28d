"""Evidence files are checked through, not by their first bytes, and served as downloads
(hole 5 of the security issue): the two attacks that were accepted are refused and leave the
database as it was; ordinary photos and scans still upload and come back as attachments."""

import io
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, TextStringObject

from assessments.models import Change, Evidence

pytestmark = pytest.mark.django_db


def upload(client, sheet, name, content):
    return client.post(
        reverse("assessments:evidence_upload", args=[sheet.pk]),
        {"side": "self", "item": "6", "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


def image(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, fmt)
    return out.getvalue()


def pdf(extra=None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if extra:
        extra(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def open_action_javascript(writer):
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('x')"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)


def embedded_file(writer):
    writer.add_attachment("payload.exe", b"MZ\x90\x00not really")


def compressed_javascript_pdf() -> bytes:
    """The /OpenAction's JavaScript only inside a Flate-compressed object stream (PDF 1.5),
    so a scan of the raw bytes cannot see it; only the parsed objects show it."""
    action = b"<< /S /JavaScript /JS (app.alert(1)) >>"
    header = b"4 0 "
    packed = zlib.compress(header + action)
    parts = [b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n"]
    offsets = {}

    def add(number, body):
        offsets[number] = sum(len(p) for p in parts)
        parts.append(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    add(1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>")
    add(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    add(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    add(
        5,
        b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (len(header), len(packed))
        + packed
        + b"\nendstream",
    )
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
    for number in (1, 2, 3):
        rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00")
    rows.append(b"\x02" + (5).to_bytes(4, "big") + b"\x00\x00")
    xref_at = sum(len(p) for p in parts)
    rows.append(b"\x01" + offsets[5].to_bytes(4, "big") + b"\x00\x00")
    rows.append(b"\x01" + xref_at.to_bytes(4, "big") + b"\x00\x00")
    data = b"".join(rows)
    parts.append(
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % len(data)
        + data
        + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )
    return b"".join(parts)


HTML_BEHIND_PNG = (
    b"\x89PNG\r\n\x1a\n<html><body><script>alert(document.cookie)</script></body></html>"
)


def hex_name_javascript_pdf() -> bytes:
    """/OpenAction with the action's names spelled in #xx escapes."""
    return (
        pdf(open_action_javascript)
        .replace(b"/JavaScript", b"/J#61vaScript")
        .replace(b"/JS ", b"/J#53 ")
    )


def assert_refused(response, name, words):
    text = response.content.decode()
    assert f"「{name}」" in text and words in text
    assert not Evidence.objects.exists()
    assert not Change.objects.filter(what="evidence").exists()


class TestAttacksAreRefused:
    def test_html_behind_a_png_header_is_refused(self, world, client_for):
        response = upload(client_for("coordinator_a"), world.sheet_a, "台账.png", HTML_BEHIND_PNG)
        assert_refused(response, "台账.png", "不是完整的 PNG 图片")

    def test_png_with_html_after_its_end_is_refused(self, world, client_for):
        content = image("PNG") + b"<html><script>alert(1)</script></html>"
        response = upload(client_for("coordinator_a"), world.sheet_a, "台账.png", content)
        assert_refused(response, "台账.png", "不是完整的 PNG 图片")

    def test_truncated_jpeg_is_refused(self, world, client_for):
        content = image("JPEG")[:-40]
        response = upload(client_for("coordinator_a"), world.sheet_a, "照片.jpg", content)
        assert_refused(response, "照片.jpg", "不是完整的 JPG 图片")

    def test_pdf_with_open_action_javascript_is_refused(self, world, client_for):
        response = upload(
            client_for("coordinator_a"), world.sheet_a, "扫描件.pdf", pdf(open_action_javascript)
        )
        assert_refused(response, "扫描件.pdf", "含有脚本")

    def test_pdf_with_escaped_names_is_refused(self, world, client_for):
        response = upload(
            client_for("coordinator_a"), world.sheet_a, "扫描件.pdf", hex_name_javascript_pdf()
        )
        assert_refused(response, "扫描件.pdf", "含有脚本")

    def test_pdf_with_javascript_in_a_compressed_object_is_refused(self, world, client_for):
        content = compressed_javascript_pdf()
        response = upload(client_for("coordinator_a"), world.sheet_a, "扫描件.pdf", content)
        assert_refused(response, "扫描件.pdf", "含有脚本")

    def test_pdf_with_an_embedded_file_is_refused(self, world, client_for):
        response = upload(
            client_for("coordinator_a"), world.sheet_a, "扫描件.pdf", pdf(embedded_file)
        )
        assert_refused(response, "扫描件.pdf", "嵌入的文件")


class TestOrdinaryFiles:
    @pytest.mark.parametrize(
        ("name", "make", "content_type"),
        [
            ("6月台账.png", lambda: image("PNG"), "image/png"),
            ("走访照片.jpg", lambda: image("JPEG"), "image/jpeg"),
            ("花名册扫描件.pdf", pdf, "application/pdf"),
        ],
    )
    def test_uploads_and_is_served_as_an_attachment(
        self, world, client_for, name, make, content_type
    ):
        content = make()
        client = client_for("coordinator_a")
        response = upload(client, world.sheet_a, name, content)
        assert "已上传到第 6 项" in response.content.decode()
        record = Evidence.objects.get()
        download = client.get(
            reverse("assessments:evidence_download", args=[world.sheet_a.pk, record.pk])
        )
        assert download["Content-Type"] == content_type
        assert download["X-Content-Type-Options"] == "nosniff"
        disposition = download["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "filename*=utf-8''" + _quoted(name) in disposition
        assert b"".join(download.streaming_content) == content


def _quoted(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def test_the_compressed_sample_hides_the_javascript_from_a_byte_scan():
    from pypdf import PdfReader

    raw = compressed_javascript_pdf()
    assert b"/JS" not in raw and b"/JavaScript" not in raw
    action = PdfReader(io.BytesIO(raw)).trailer["/Root"]["/OpenAction"].get_object()
    assert action["/S"] == "/JavaScript"


def test_a_pdf_that_opens_at_its_first_page_is_accepted(world, client_for):
    def open_at_first_page(writer):
        writer.open_destination = writer.pages[0]

    content = pdf(open_at_first_page)
    assert b"/OpenAction" in content
    response = upload(client_for("coordinator_a"), world.sheet_a, "扫描件.pdf", content)
    assert "已上传到第 6 项" in response.content.decode()
    assert Evidence.objects.count() == 1
