import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import Change, Evidence
from tests.conftest import PNG_BYTES

pytestmark = pytest.mark.django_db


def upload(client, sheet, name, content, item="6"):
    return client.post(
        reverse("assessments:evidence_upload", args=[sheet.pk]),
        {"side": "self", "item": item, "file": SimpleUploadedFile(name, content)},
        follow=True,
    )


class TestEvidence:
    def test_coordinator_attaches_a_photo_and_it_is_listed_and_recorded(self, world, client_for):
        sheet = world.sheet_a
        client = client_for("coordinator_a")
        response = upload(client, sheet, "6月台账.png", PNG_BYTES)
        assert "已上传到第 6 项" in response.content.decode()
        record = Evidence.objects.get(assessment=sheet)
        assert (record.original_name, record.content_type) == ("6月台账.png", "image/png")
        assert Change.objects.filter(assessment=sheet, what="evidence", new="6月台账.png").exists()
        page = client.get(reverse("assessments:sheet_detail", args=[sheet.pk])).content.decode()
        assert "6月台账.png" in page
        download = client.get(reverse("assessments:evidence_download", args=[sheet.pk, record.pk]))
        assert b"".join(download.streaming_content) == PNG_BYTES

    def test_a_text_file_named_png_is_refused_by_its_content(self, world, client_for):
        response = upload(
            client_for("coordinator_a"), world.sheet_a, "假照片.png", "不是图片".encode()
        )
        assert "不是 JPG、PNG 或 PDF 文件" in response.content.decode()
        assert not Evidence.objects.exists()

    def test_a_file_over_10_mb_is_refused_saying_its_size(self, world, client_for):
        big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 1)
        response = upload(client_for("coordinator_a"), world.sheet_a, "扫描件.pdf", big)
        assert "超过 10 MB 的限制" in response.content.decode()
        assert not Evidence.objects.exists()

    def test_other_units_coordinator_cannot_download(self, world, client_for):
        record = world.evidence_a
        response = client_for("coordinator_b").get(
            reverse("assessments:evidence_download", args=[world.sheet_a.pk, record.pk])
        )
        assert response.status_code == 404
