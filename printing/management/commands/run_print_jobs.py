from django.core.management.base import BaseCommand

from printing import jobs


class Command(BaseCommand):
    help = "后台打印进程：轮询打印任务表，逐个生成 PDF（PostgreSQL 上可在多台服务器上各运行一个）。"

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="处理完当前排队的任务后退出")
        parser.add_argument("--poll", type=float, default=2.0, help="空闲时的轮询间隔（秒）")

    def handle(self, *args, once=False, poll=2.0, **options):
        self.stdout.write(f"打印进程 {jobs.worker_id()} 已启动。")
        try:
            count = jobs.work(once=once, poll=poll)
        except KeyboardInterrupt:
            self.stdout.write("已停止。")
            return
        self.stdout.write(f"已处理 {count} 个打印任务。")
