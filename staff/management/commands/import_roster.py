from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from staff.services import roster_import


class Command(BaseCommand):
    help = "导入协理员花名册（.xlsx/.xls/.csv）：先检查全部行，全部无误才一次性写入。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="花名册文件路径")
        parser.add_argument(
            "--dry-run", action="store_true", help="只检查并显示将要做的修改，不写入"
        )
        parser.add_argument(
            "--as-user",
            default="",
            help="以该用户的权限导入（默认：第一个人社局管理员）",
        )

    def handle(self, *args, path, dry_run, as_user, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"找不到文件「{path}」。")
        user = self._user(as_user)
        plan = roster_import(user=user, data=file.read_bytes(), filename=file.name, dry_run=dry_run)
        for warning in plan.warnings:
            self.stdout.write(self.style.WARNING(f"提示：{warning}"))
        if not plan.ok:
            for error in plan.errors:
                self.stderr.write(error)
            raise CommandError(f"发现 {len(plan.errors)} 处问题，未导入任何数据。")
        for row in plan.rows:
            if row.action == "new":
                self.stdout.write(f"  新增  第 {row.row} 行 {row.name}（{row.unit.name}）")
            elif row.action == "changed":
                changes = "；".join(f"{label}：{old} → {new}" for label, old, new in row.changes)
                self.stdout.write(
                    f"  更新  第 {row.row} 行 {row.name}（{row.unit.name}）：{changes}"
                )
        verb = "检查通过（未写入，--dry-run）" if dry_run else "已导入"
        self.stdout.write(self.style.SUCCESS(f"{verb}：{plan.summary()}。"))

    def _user(self, username: str):
        if username:
            user = User.objects.filter(username=username, is_active=True).first()
            if user is None:
                raise CommandError(f"没有可用的用户「{username}」。")
            return user
        user = (
            User.objects.filter(is_active=True).filter(role=User.Role.ADMIN).order_by("pk").first()
            or User.objects.filter(is_active=True, is_superuser=True).order_by("pk").first()
        )
        if user is None:
            raise CommandError("系统中还没有人社局管理员账号；请先创建，或用 --as-user 指定。")
        return user
