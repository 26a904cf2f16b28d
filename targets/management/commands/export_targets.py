from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from targets.exporting import FORMATS, export, year_table
from targets.tables import ORIENTATIONS, ROWS


class Command(BaseCommand):
    help = (
        "导出某年度的目标任务：json（unit/indicator/target/sub_target 数组）、"
        "xlsx 或 csv（办公表格式，含合计）。退出码：0 已导出，1 该年度没有目标任务或无法写入。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=FORMATS, default="json")
        parser.add_argument("--out", help="输出文件（默认写到标准输出）")
        parser.add_argument("--orientation", choices=ORIENTATIONS, default=ROWS)

    def handle(self, *args, year, format, out, orientation, **options):
        table = year_table(year)
        if not table.values:
            raise CommandError(f"没有 {year} 年度的目标任务。")
        data = export(table, format, orientation)
        if out:
            try:
                Path(out).write_bytes(data)
            except OSError as exc:
                raise CommandError(f"无法写入「{out}」：{exc.strerror}") from None
            self.stderr.write(f"已导出 {len(table.values)} 项目标任务到 {out}")
        elif format == "xlsx":
            raise CommandError("xlsx 是二进制文件，请用 --out 指定输出文件。")
        else:
            self.stdout.write(data.decode("utf-8-sig"), ending="")
