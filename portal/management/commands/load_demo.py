from django.core.management.base import BaseCommand

from accounts.demo import load_demo_users, remembered_password
from assessments.demo import load_demo_cycles
from rubrics.demo import load_demo_rubrics
from staff.demo import load_demo_staff
from targets.demo import load_demo_targets, load_demo_units


class Command(BaseCommand):
    help = (
        "载入演示数据（单位、目标任务、评分标准、每种角色一个账号、协理员、考核周期）；"
        "可重复执行，不会重复创建。"
    )

    def handle(self, *args, **options):
        created = load_demo_units()
        self.stdout.write(f"单位：新建 {created} 个。")
        self.stdout.write(load_demo_rubrics())
        self.stdout.write(load_demo_targets())
        rows = load_demo_users()
        self.stdout.write(load_demo_staff())
        self.stdout.write(load_demo_cycles())
        self.stdout.write("演示账号（用户名 / 角色 / 密码）：")
        for username, role, password in rows:
            shown = password or remembered_password(username) or "（已存在，密码未改动）"
            self.stdout.write(f"  {username:<10} {role:<12} {shown}")
