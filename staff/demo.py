"""Demo coordinators for 湖塘镇 (fixtures/demo_units.yaml), with a little attendance and
leave. Idempotent: what exists is left as it is."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from org.models import Unit
from staff.models import (
    ApprovalEvent,
    AttendanceEntry,
    AttendanceMonth,
    Coordinator,
    LeaveEvent,
    LeaveRequest,
    WindowStaffing,
)

TOWN = "湖塘镇"
# (community, name, gender, birth year-month, education, certificate?, demo username)
PEOPLE = (
    ("周家巷社区", "周丽娟", "女", (1986, 4), "大专", True, None),
    ("淹城社区", "陈静", "女", (1990, 9), "本科", True, "yancheng"),
    ("何留社区", "何晓燕", "女", (1988, 2), "大专", True, "heliu"),
    ("湖塘社区", "王建国", "男", (1979, 11), "高中", False, None),
    ("华家社区", "华敏", "女", (1992, 6), "本科", True, None),
    ("马家巷社区", "马秀英", "女", (1983, 3), "大专", False, None),
    ("沙塘岸社区", "沈玉兰", "女", (1987, 12), "大专", True, None),
    ("烈帝社区", "刘志强", "男", (1985, 8), "本科", True, None),
    ("蒋公岸社区", "蒋丽", "女", (1991, 1), "本科", False, None),
    ("张家坝社区", "张伟", "男", (1984, 5), "大专", True, None),
    ("北庙桥社区", "吴芳", "女", (1989, 10), "本科", True, None),
    ("江村社区", "江海燕", "女", (1993, 7), "本科", False, None),
)


@transaction.atomic
def load_demo_staff() -> str:
    town = Unit.objects.filter(name=TOWN, kind__in=Unit.TOWN_KINDS).first()
    if town is None:
        return "协理员：没有找到演示单位湖塘镇，未载入。"
    today = timezone.localdate()
    created = 0
    people = {}
    for index, (unit_name, name, gender, (y, m), education, certified, username) in enumerate(
        PEOPLE
    ):
        unit = Unit.objects.filter(parent=town, name=unit_name).first()
        if unit is None:
            continue
        person, made = Coordinator.objects.get_or_create(
            unit=unit,
            name=name,
            defaults={
                "gender": gender,
                "birth_month": today.replace(year=y, month=m, day=1),
                "political_status": "中共党员" if index % 3 == 0 else "群众",
                "education": education,
                "position": "人社协理员",
                "phone": f"1391234{5600 + index:04d}",
                "joined_on": today.replace(year=2012 + index % 8, month=3, day=1),
                "certificate_no": f"JS-XLY-{2015 + index % 6}-{1000 + index}" if certified else "",
                "certificate_date": today.replace(year=2015 + index % 6, month=6, day=20)
                if certified
                else None,
                "contract_start": today.replace(year=today.year - 1, month=1, day=1),
                "contract_end": today.replace(year=today.year + 1, month=12, day=31),
            },
        )
        created += int(made)
        if made and username:
            account = User.objects.filter(username=username, role=User.Role.COORDINATOR).first()
            if account is not None and not Coordinator.objects.filter(user=account).exists():
                person.user = account
                person.save(update_fields=["user"])
        people[name] = person

    WindowStaffing.objects.get_or_create(
        unit=town,
        year=today.year,
        defaults={"windows": 2, "window_staff": 4, "village_coordinators": len(people)},
    )
    _attendance(people, today)
    pending = _leave(people, today)
    vacant = town.children.filter(active=True).count() - len(people)
    return (
        f"协理员：湖塘镇 {len(people)} 人（新建 {created} 人），{vacant} 个社区空缺；"
        f"考勤与请假示例已载入，待审批请假 {pending} 件。"
    )


def _attendance(people: dict, today) -> None:
    year_start = today.replace(month=1, day=1)

    def day(n):  # n days ago, kept inside this year
        return max(year_start, today - timedelta(days=n))

    wang = people.get("王建国")
    if wang is not None and not wang.attendance_entries.exists():
        AttendanceEntry.objects.create(
            coordinator=wang, date=day(20), status="absent", days=Decimal("2"), note="未请假外出"
        )
    liu = people.get("刘志强")
    if liu is not None and not liu.attendance_entries.exists():
        AttendanceEntry.objects.create(
            coordinator=liu, date=day(40), status="absent", days=Decimal("3"), note="无故缺勤"
        )
        AttendanceEntry.objects.create(
            coordinator=liu,
            date=day(10),
            status="off_post",
            days=Decimal("2"),
            note="电话随访不在岗",
        )
    chen = people.get("陈静")
    if chen is not None and not chen.attendance_months.exists():
        first = today.replace(day=1)
        for back in (1, 2):
            month = (first - timedelta(days=28 * back)).replace(day=1)
            if month.year != today.year:
                continue
            AttendanceMonth.objects.get_or_create(
                coordinator=chen,
                month=month,
                defaults={"present_days": Decimal("21"), "leave_days": Decimal("1")},
            )


def _leave(people: dict, today) -> int:
    he = people.get("何晓燕")
    if he is not None and not he.leave_requests.exists():
        start = today + timedelta(days=7)
        leave = LeaveRequest.objects.create(
            coordinator=he,
            kind=LeaveRequest.Kind.PERSONAL,
            start_date=start,
            end_date=start + timedelta(days=2),
            days=3,
            reason="家中有事，需回老家处理。",
            phone=he.phone,
            needs_city=True,
            filed_by=he.user,
        )
        LeaveEvent.objects.create(
            request=leave,
            action=ApprovalEvent.Action.FILE,
            actor=he.user,
            actor_name=he.user.display_name if he.user else "演示数据",
            at=timezone.now(),
            state_after=leave.state,
        )
    return LeaveRequest.objects.filter(
        coordinator__in=list(people.values()), state__in=LeaveRequest.PENDING
    ).count()
