from django.core.management.base import BaseCommand, CommandError

from assessments.models import Cycle
from assessments.printouts import cycle_sheet_docs
from org.naming import NameMatcher
from printing.batch import write_pdf_file


class Command(BaseCommand):
    help = "把考核周期的评分表打印为一个 PDF（可限定一个镇（街道），或打印空白表）。"

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True)
        parser.add_argument("--town", help="镇（街道）名称")
        parser.add_argument("--blank", action="store_true", help="空白表（现场考核用）")
        parser.add_argument("--out", required=True, help="输出的 PDF 文件")

    def handle(self, *args, cycle, town, blank, out, **options):
        found = Cycle.objects.select_related("rubric").filter(pk=cycle).first()
        if found is None:
            raise CommandError(f"没有编号为 {cycle} 的考核周期。")
        town_id = None
        if town:
            towns = {
                s.unit.parent
                for s in found.assessments.select_related("unit__parent")
                if s.unit.parent_id
            }
            towns |= {
                s.unit for s in found.assessments.select_related("unit") if s.unit.is_town_level
            }
            match = NameMatcher((t.pk, t.name, []) for t in towns).match(town)
            if not match.found:
                near = "、".join(match.suggestions) or "无"
                raise CommandError(f"本考核周期没有「{town}」（相近的名称：{near}）。")
            town_id = match.key
        docs = cycle_sheet_docs(found, town_id=town_id, blank=blank)
        if not docs:
            raise CommandError("所选范围内没有考核表。")
        pages = write_pdf_file(docs, out)
        self.stdout.write(f"已写入 {out}：{len(docs)} 张评分表，共 {pages} 页。")
