from django.core.management.base import BaseCommand, CommandError

from rubrics.convert import rubric_as_dict
from rubrics.files import dump
from rubrics.models import Rubric


class Command(BaseCommand):
    help = "把评分标准导出为 YAML 或 JSON（默认最新版本，输出到标准输出）。"

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument(
            "--rubric-version", dest="rubric_version", type=int, help="版本号，默认最新"
        )
        parser.add_argument("--format", choices=["yaml", "json"], default="yaml")

    def handle(self, *args, code, rubric_version, format, **options):
        rubrics = Rubric.objects.filter(code=code).order_by("-version")
        if rubric_version is not None:
            rubrics = rubrics.filter(version=rubric_version)
        rubric = rubrics.first()
        if rubric is None:
            known = ", ".join(sorted(set(Rubric.objects.values_list("code", flat=True)))) or "无"
            raise CommandError(f"没有代码为「{code}」的评分标准（现有：{known}）。")
        self.stdout.write(dump(rubric_as_dict(rubric), format), ending="")
