from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments import services
from assessments.models import Cycle
from assessments.sides import SIDES


class Command(BaseCommand):
    help = "导入离线填写的评分表（xlsx），作为自评或考核得分；全部正确才保存。"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--cycle", type=int, required=True)
        parser.add_argument("--as", dest="side", choices=[str(s) for s in SIDES], required=True)
        parser.add_argument("--dry-run", action="store_true", help="只预览，不保存")

    def handle(self, *args, path, cycle, side, dry_run, **options):
        found = Cycle.objects.select_related("rubric").filter(pk=cycle).first()
        if found is None:
            raise CommandError(f"没有编号为 {cycle} 的考核周期。")
        try:
            content = Path(path).read_bytes()
        except OSError as exc:
            raise CommandError(f"无法读取文件「{path}」：{exc.strerror}。") from None
        sheets = list(
            found.assessments.select_related("cycle__rubric", "unit__parent", "coordinator")
        )
        report = services.scores_import(
            cycle=found,
            content=content,
            side=side,
            user=None,
            sheets=sheets,
            commit=not dry_run,
            file_name=Path(path).name,
        )
        for name, item, old, new in report.changes:
            self.stdout.write(f"  {name} {item}：{old} → {new}")
        self.stdout.write(f"变化 {len(report.changes)} 项，未变 {report.unchanged} 项。")
        if report.errors:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError("有错误，未导入任何内容。")
        if dry_run:
            self.stdout.write("预览完毕，未保存。")
        elif report.saved:
            self.stdout.write("已导入。")
