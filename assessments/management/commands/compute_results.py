from django.core.management.base import BaseCommand, CommandError

from assessments import services
from assessments.models import Cycle


class Command(BaseCommand):
    help = "计算考核周期的结果（平均分、阶段加权、总分、一票否决、排名、名额、等次、补助）。"

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="考核周期编号")

    def handle(self, *args, cycle, **options):
        found = Cycle.objects.filter(pk=cycle).first()
        if found is None:
            raise CommandError(f"没有编号为 {cycle} 的考核周期。")
        try:
            rows = services.cycle_compute(cycle=found, user=None)
        except services.WorkflowError as exc:
            raise CommandError(str(exc)) from None
        grades: dict[str, int] = {}
        for r in rows:
            grades[r.grade] = grades.get(r.grade, 0) + 1
        summary = "，".join(f"{g} {n}" for g, n in grades.items())
        self.stdout.write(f"已计算「{found.title}」{len(rows)} 个结果：{summary}。")
        waiting = sum(1 for r in rows if r.needs_confirmation)
        if waiting:
            self.stdout.write(f"有 {waiting} 个结果需要管理员确认（名额边界）。")
