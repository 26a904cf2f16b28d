from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from targets.importing import ACTUALS, CHANGED, NEW, TARGETS, UNCHANGED, describe, run_import
from targets.tables import ORIENTATION_LABELS, ORIENTATIONS

EXIT_REFUSED = 1
EXIT_DRY_RUN = 3
SHOWN_ROWS = 30


class Command(BaseCommand):
    help = (
        "导入目标任务分解表（.xlsx/.xls/.csv）。先检查全部内容并列出新增/修改/未变，"
        "没有错误才一次性写入；有任何错误则什么也不写。退出码：0 已导入，1 有错误未导入，"
        "3 试运行（未写入）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH")
        parser.add_argument("--year", type=int, required=True, help="年度，如 2021")
        parser.add_argument("--dry-run", action="store_true", help="只检查和预览，不写入")
        parser.add_argument("--create-units", action="store_true", help="表中不认识的单位新建")
        parser.add_argument(
            "--orientation",
            choices=ORIENTATIONS,
            help="rows：单位为行；columns：单位为列（默认自动识别）",
        )
        parser.add_argument("--sheet", help="只导入这个工作表（默认导入所有有数值的工作表）")
        parser.add_argument("--actuals", action="store_true", help="导入的是完成数，而不是目标值")
        parser.add_argument("--as-of", type=date.fromisoformat, help="完成数的截至日期（默认今天）")

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(
                f"无法读取文件「{path}」：{exc.strerror}", returncode=EXIT_REFUSED
            ) from None
        mode = ACTUALS if options["actuals"] else TARGETS
        preview, batch = run_import(
            data=data,
            file_name=path.name,
            year=options["year"],
            mode=mode,
            create_units=options["create_units"],
            orientation=options["orientation"],
            sheet=options["sheet"],
            dry_run=options["dry_run"],
            as_of=options["as_of"],
        )
        self._show(preview, verbose=options["verbosity"] >= 2)
        if preview.errors or not preview.rows:
            for error in preview.errors:
                self.stderr.write(f"错误：{error}")
            raise CommandError(
                f"有 {len(preview.errors)} 处错误，未导入任何数据。", returncode=EXIT_REFUSED
            )
        if batch is None:
            self.stdout.write("试运行：检查通过，未写入任何数据。")
            raise SystemExit(EXIT_DRY_RUN)
        self.stdout.write(self.style.SUCCESS(f"已导入（导入记录 #{batch.pk}）。"))

    def _show(self, preview, verbose: bool) -> None:
        what = "完成数" if preview.mode == ACTUALS else "目标任务"
        self.stdout.write(f"文件：{preview.file_name}  年度：{preview.year}  内容：{what}")
        for name, orientation in preview.sheets.items():
            self.stdout.write(f"工作表「{name}」：{ORIENTATION_LABELS.get(orientation, '未识别')}")
        counts = preview.counts
        self.stdout.write(f"新增 {counts[NEW]}，修改 {counts[CHANGED]}，未变 {counts[UNCHANGED]}")
        for unit in preview.new_units:
            self.stdout.write(f"新单位：{unit.name}（{unit.parent.name}之下）")
        for head in preview.new_indicators:
            self.stdout.write(
                f"新指标：{head.name}" + (f"（{head.measure}）" if head.measure else "")
            )
        shown = 0
        for row in preview.rows:
            if row.action == UNCHANGED or (shown >= SHOWN_ROWS and not verbose):
                continue
            shown += 1
            old = f"{describe(row.old_value, row.old_sub)} → " if row.action == CHANGED else ""
            self.stdout.write(
                f"  {row.action_label} {row.unit_name} · {preview.indicator_label(row.indicator)}："
                f"{old}{describe(row.new_value, row.new_sub)}"
            )
        hidden = counts[NEW] + counts[CHANGED] - shown
        if hidden > 0:
            self.stdout.write(f"  ……另有 {hidden} 项（加 -v 2 显示全部）")
        for warning in preview.warnings:
            self.stdout.write(self.style.WARNING(f"警告：{warning}"))
        if verbose:
            for note in preview.notes:
                self.stdout.write(f"说明：{note}")
