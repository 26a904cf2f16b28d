from django.core.management.base import BaseCommand

from jobs import schedule


class Command(BaseCommand):
    help = "立即执行到期的定时任务（供 cron 使用；每项每个周期最多执行一次）。"

    def handle(self, *args, **options):
        ran = schedule.run_due()
        for name, outcome in ran:
            self.stdout.write(f"{name}：{outcome}")
        if not ran:
            self.stdout.write("没有到期的定时任务。")
