"""Hole 2 for evidence files: an image is refused by its pixel count before it is decoded,
and a PDF whose object streams unpack to gigabytes is refused before they are walked; each
refusal names the file and leaves the database as it was."""

import pytest
from django.test import override_settings

from assessments.models import Evidence
from tests import crafted
from tests.assessments.test_evidence_content import assert_refused, upload

pytestmark = pytest.mark.django_db


class TestEvidenceBounds:
    @override_settings(EVIDENCE_MAX_PIXELS=10_000)
    @pytest.mark.parametrize(("fmt", "name"), [("PNG", "台账.png"), ("JPEG", "照片.jpg")])
    def test_an_image_over_the_pixel_limit_is_refused_from_its_header(
        self, world, client_for, fmt, name
    ):
        content = crafted.large_image(fmt, 200, 100)
        response = upload(client_for("coordinator_a"), world.sheet_a, name, content)
        assert_refused(response, name, "有 200×100 像素（约 2 万像素），超过可上传的 1 万像素")

    def test_a_pdf_whose_object_streams_unpack_past_the_limit_is_refused(self, world, client_for):
        content = crafted.pdf_object_stream_bomb(streams=3, padding=12 * 1024 * 1024)
        assert len(content) < 200_000
        response = upload(client_for("coordinator_a"), world.sheet_a, "扫描件.pdf", content)
        assert_refused(response, "扫描件.pdf", "内部的压缩对象解压后超过 32 MB")

    def test_a_large_truncated_jpeg_is_still_refused_when_decoded_at_an_eighth(
        self, world, client_for
    ):
        content = crafted.large_image("JPEG", 1600, 1200)
        content = content[: len(content) // 2]
        response = upload(client_for("coordinator_a"), world.sheet_a, "照片.jpg", content)
        assert_refused(response, "照片.jpg", "不是完整的 JPG 图片")

    def test_a_truncated_jpeg_is_refused_after_a_pdf_was_printed_in_the_process(
        self, world, client_for, monkeypatch
    ):
        from PIL import ImageFile

        # what importing WeasyPrint does to Pillow, for the whole process
        monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
        content = crafted.large_image("JPEG", 1600, 1200)
        response = upload(
            client_for("coordinator_a"), world.sheet_a, "照片.jpg", content[: len(content) // 2]
        )
        assert_refused(response, "照片.jpg", "不是完整的 JPG 图片")
        assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # left as it was for the renderer

    def test_a_photo_within_the_limit_is_accepted(self, world, client_for):
        content = crafted.large_image("JPEG", 800, 600)
        upload(client_for("coordinator_a"), world.sheet_a, "照片.jpg", content)
        assert Evidence.objects.get().original_name == "照片.jpg"
