from django.core.management.base import BaseCommand, CommandError

from rubrics import engine
from rubrics.convert import engine_rubric
from rubrics.files import FileReadError, read_structured
from rubrics.services import RubricImportError, rubric_import


class Command(BaseCommand):
    help = "从 YAML 或 JSON 文件导入评分标准（格式见 docs/rubric-format.md）。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")

    def handle(self, *args, paths, **options):
        failed = 0
        for path in paths:
            try:
                rubric, created = rubric_import(data=read_structured(path))
            except (FileReadError, RubricImportError) as exc:
                failed += 1
                self.stderr.write(f"{path}：未导入。")
                for line in getattr(exc, "errors", [str(exc)]):
                    self.stderr.write(f"  {line}")
                continue
            verb = "已新建" if created else "已更新"
            self.stdout.write(f"{verb}「{rubric.title}」（{rubric.code} 第 {rubric.version} 版）")
            for finding in engine.validate(engine_rubric(rubric)):
                label = "警告" if finding.level == "warning" else "错误"
                self.stdout.write(f"  {label}：{finding.message}")
        if failed:
            raise CommandError(f"{failed} 个文件未导入。")
