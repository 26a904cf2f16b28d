from django.core.management.base import BaseCommand, CommandError

from assessments import compute, services
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
            done = compute.cycle_compute(cycle=found, user=None)
        except services.WorkflowError as exc:
            raise CommandError(str(exc)) from None
        summary = "，".join(f"{g} {n}" for g, n in done.grades.items())
        self.stdout.write(f"已计算「{found.title}」{done.count} 个结果：{summary}。")
        if done.waiting:
            self.stdout.write(
                f"有 {done.waiting} 个单位等待名额决定（超出名额或边界同分），请在「名额决定」页面处理。"
            )
