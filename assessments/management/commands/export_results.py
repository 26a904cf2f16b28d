import sys

from django.core.management.base import BaseCommand, CommandError

from assessments.exports import write_results_json, write_results_xlsx
from assessments.models import Cycle


class Command(BaseCommand):
    help = "导出考核结果：JSON（格式见 README）或汇总表 xlsx。"

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True)
        parser.add_argument("--format", choices=["json", "xlsx"], default="json")
        parser.add_argument("--out", help="输出文件；JSON 默认输出到屏幕")

    def handle(self, *args, cycle, format, out, **options):
        found = Cycle.objects.select_related("rubric").filter(pk=cycle).first()
        if found is None:
            raise CommandError(f"没有编号为 {cycle} 的考核周期。")
        if not found.computed_at:
            raise CommandError("该考核周期还没有计算结果，请先运行 compute_results。")
        if format == "json":
            if out:
                with open(out, "w", encoding="utf-8") as fh:
                    write_results_json(found, fh, indent=2)
                    fh.write("\n")
            else:
                write_results_json(found, _Unended(self.stdout), indent=2)
                self.stdout.write("")
            return
        if not out:
            raise CommandError("导出 xlsx 时请用 --out 指定文件名。")
        write_results_xlsx(found, out)
        sys.stdout.write(f"已写入 {out}\n")


class _Unended:
    """The command's output, written to piece by piece (no line ending added per write)."""

    def __init__(self, stdout):
        self.stdout = stdout

    def write(self, text: str) -> None:
        self.stdout.write(text, ending="")
