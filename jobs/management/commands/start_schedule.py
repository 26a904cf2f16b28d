from django.core.management.base import BaseCommand

from jobs import schedule


class Command(BaseCommand):
    help = "确保定时任务在任务队列中运行（已在运行时不重复添加）。"

    def handle(self, *args, **options):
        if not schedule.queues():
            self.stdout.write(
                "当前的任务后端立即执行任务、不排队，无法安排定时任务；请用 cron 运行 run_scheduled。"
            )
        elif schedule.start():
            self.stdout.write("已启动定时任务。")
        else:
            self.stdout.write("定时任务已在运行。")
