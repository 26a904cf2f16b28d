"""Each kind of event lands in the security log with who, from where, what and how it
went: role and scope changes, personnel record changes, exports and downloads of personal
data, and every action in Django's admin."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from accounts.models import User
from audit.events import Event, Outcome
from audit.models import SecurityEvent
from org.models import Assignment
from staff import services as staff_services
from staff.models import AttendanceEntry, Coordinator
from tests.accounts.test_user_admin import _change_form_data
from tests.audit.helpers import last, mark
from tests.staff import world as staff_world
from tests.staff.test_roster import ROW_YANCHENG, xlsx

pytestmark = pytest.mark.django_db

ADDRESS = "127.0.0.1"  # the test client's REMOTE_ADDR


def _after(start, event, **filters):
    return list(SecurityEvent.objects.filter(pk__gt=start, event=event, **filters).order_by("pk"))


class TestRoleChanges:
    def test_role_and_flags_changed_in_the_admin_are_recorded_old_to_new(self, world, client_for):
        viewer = world.users["viewer"]
        client = client_for("admin")
        url = reverse("admin:accounts_user_change", args=[viewer.pk])
        data = _change_form_data(client.get(url))
        data["role"] = User.Role.REVIEWER
        data["is_staff"] = "on"
        start = mark()

        response = client.post(url, data)

        assert response.status_code == 302
        (row,) = _after(start, Event.ROLE_CHANGE)
        assert row.username == "admin" and row.user_id == world.users["admin"].pk
        assert row.address == ADDRESS
        assert row.object_repr == "viewer" and row.object_id == str(viewer.pk)
        assert row.outcome == Outcome.SUCCESS
        assert row.changes == {
            "角色": ["只读查看", "镇（街道）考核人员"],
            "工作人员状态": ["否", "是"],
        }

    def test_units_changed_in_the_admin_inline_are_recorded(self, world, client_for):
        reviewer = world.users["reviewer_a"]
        client = client_for("admin")
        url = reverse("admin:accounts_user_change", args=[reviewer.pk])
        data = _change_form_data(client.get(url))
        data[next(k for k in data if k.endswith("-0-unit"))] = str(world.town_b.pk)
        start = mark()

        assert client.post(url, data).status_code == 302

        (row,) = _after(start, Event.ROLE_CHANGE)
        assert row.changes == {"负责单位": ["湖塘镇", "东陈镇"]}
        assert row.object_repr == "reviewer_a" and row.username == "admin"
        assert row.detail == "修改负责单位"

    def test_units_set_anywhere_are_recorded_added_and_removed(self, world):
        reviewer = world.users["reviewer_a"]
        start = mark()
        reviewer.units.set([world.town_b])
        rows = _after(start, Event.ROLE_CHANGE)
        changes = [r.changes for r in rows]
        assert {"负责单位": ["湖塘镇", ""]} in changes
        assert {"负责单位": ["", "东陈镇"]} in changes
        assert all(r.object_repr == "reviewer_a" for r in rows)
        assert Assignment.objects.get(user=reviewer).unit == world.town_b

    def test_superuser_flag_and_deactivation_by_a_service_are_recorded(self, world):
        user = world.users["viewer"]
        start = mark()
        user.is_superuser = True
        user.save()
        user.is_active = False
        user.save(update_fields=["is_active"])
        rows = _after(start, Event.ROLE_CHANGE)
        assert [r.changes for r in rows] == [
            {"超级用户状态": ["否", "是"]},
            {"有效": ["是", "否"]},
        ]
        assert rows[0].username == ""  # no request: a command or the shell

    def test_a_login_touching_last_login_records_nothing(self, world, client_for):
        start = mark()
        client_for("viewer").get(reverse("home"))
        world.users["viewer"].save(update_fields=["last_login"])
        assert _after(start, Event.ROLE_CHANGE) == []

    def test_permission_groups_are_recorded(self, world):
        from django.contrib.auth.models import Group

        group = Group.objects.create(name="审核组")
        start = mark()
        world.users["viewer"].groups.add(group)
        world.users["viewer"].groups.remove(group)
        assert [r.changes for r in _after(start, Event.ROLE_CHANGE)] == [
            {"权限组": ["", "审核组"]},
            {"权限组": ["审核组", ""]},
        ]

    def test_an_account_leaving_with_its_coordinator_is_recorded(self, world):
        report = staff_world.departure_of(world, state="pending_city")
        report.handover_files = report.handover_equipment = True
        report.save()
        city = User.objects.create_user("city", role=User.Role.CITY_OFFICE)
        start = mark()
        staff_services.departure_decide(user=city, report=report, approve=True)
        row = last(Event.ROLE_CHANGE, pk__gt=start, object_repr="coordinator_a")
        assert row.changes == {"有效": ["是", "否"]}


class TestPersonnelChanges:
    def test_editing_a_coordinator_on_the_page_records_each_field(self, world, client_for):
        person = staff_world.coordinator_of(world)
        client = client_for("reviewer_a")
        url = reverse("staff:coordinator_edit", args=[person.pk])
        form = client.get(url).context["form"]
        data = {
            name: ("" if form[name].value() is None else form[name].value()) for name in form.fields
        }
        data.update(
            {
                "phone": "13900000000",
                "position": "副站长",
                "birth_month": "1990-09",
                "joined_on": "2016-03",
                "is_fulltime": "",
                "account": "coordinator_a",
            }
        )
        start = mark()

        response = client.post(url, data)

        assert response.status_code == 302, response.context["form"].errors
        (row,) = _after(start, Event.PERSONNEL_CHANGE)
        assert row.username == "reviewer_a" and row.address == ADDRESS
        assert row.object_type == "协理员" and row.object_repr == "陈静"
        assert row.changes == {
            "职务": ["", "副站长"],
            "联系方式": ["13912345678", "13900000000"],
            "专职": ["是", "否"],
        }

    def test_a_roster_import_records_created_and_changed_people(self, world):
        row = list(ROW_YANCHENG)
        start = mark()
        staff_services.roster_import(
            user=world.users["admin"], data=xlsx(row), filename="花名册.xlsx"
        )
        (created,) = _after(start, Event.PERSONNEL_CHANGE)
        assert created.detail == "新建协理员档案"
        assert created.changes["姓名"] == ["", "陈静"]
        assert created.changes["工作单位"] == ["", "淹城社区"]

        row[6] = "13800009999"
        start = mark()
        staff_services.roster_import(
            user=world.users["admin"], data=xlsx(row), filename="花名册.xlsx"
        )
        (changed,) = _after(start, Event.PERSONNEL_CHANGE)
        assert changed.changes == {"联系方式": ["13912345678", "13800009999"]}

    def test_attendance_added_and_deleted_names_the_coordinator(self, world):
        entry = staff_world.entry_of(world)
        added = last(Event.PERSONNEL_CHANGE, object_type="考勤记录")
        assert added.detail == "协理员「陈静」：新建考勤记录"
        assert added.changes["考勤情况"] == ["", "旷工"]
        assert added.changes["协理员"] == ["", "陈静"]
        start = mark()
        staff_services.attendance_delete(user=world.users["admin"], entry=entry)
        (deleted,) = _after(start, Event.PERSONNEL_CHANGE)
        assert deleted.detail == "协理员「陈静」：删除考勤记录"
        assert deleted.changes["日期"] == [entry.date.isoformat(), ""]
        assert not AttendanceEntry.objects.filter(pk=entry.pk).exists()

    def test_a_leave_request_moving_on_is_recorded(self, world):
        leave = staff_world.leave_of(world)
        start = mark()
        leave.state = "pending_town"
        leave.save(update_fields=["state"])
        (row,) = _after(start, Event.PERSONNEL_CHANGE)
        assert row.changes == {"状态": ["待村审批", "待镇审批"]}

    def test_deleting_a_coordinator_in_the_admin_records_the_record_and_the_action(
        self, world, client_for
    ):
        person = Coordinator.objects.create(
            name="王五", unit=world.unit_a, birth_month=date(1980, 1, 1)
        )
        client = client_for("admin")
        start = mark()
        response = client.post(
            reverse("admin:staff_coordinator_delete", args=[person.pk]), {"post": "yes"}
        )
        assert response.status_code == 302
        (deleted,) = _after(start, Event.PERSONNEL_CHANGE)
        assert deleted.detail == "删除协理员档案" and deleted.changes["姓名"] == ["王五", ""]
        assert deleted.username == "admin" and deleted.address == ADDRESS
        (action,) = _after(start, Event.ADMIN_ACTION)
        assert action.object_repr == "王五" and "删除" in action.detail


class TestExportsAndDownloads:
    def test_roster_export(self, world, client_for):
        staff_world.coordinator_of(world)
        start = mark()
        assert client_for("reviewer_a").get(reverse("staff:roster_export")).status_code == 200
        (row,) = _after(start, Event.EXPORT)
        assert row.username == "reviewer_a" and row.address == ADDRESS
        assert "花名册 1 人" in row.detail

    def test_results_export(self, world, client_for):
        cycle = world.cycle
        start = mark()
        assert (
            client_for("admin")
            .get(reverse("assessments:results_export", args=[cycle.pk]))
            .status_code
            == 200
        )
        (row,) = _after(start, Event.EXPORT)
        assert row.object_repr == str(cycle) and row.object_id == str(cycle.pk)
        assert "考核结果" in row.detail

    def test_target_export(self, world, client_for):
        from targets.models import Indicator, TargetAllocation

        indicator = Indicator.objects.create(name="社保扩面人数")
        TargetAllocation.objects.create(
            year=2024, indicator=indicator, unit=world.unit_a, target=40
        )
        start = mark()
        url = reverse("targets:target_export", args=[2024, "csv"])
        assert client_for("viewer").get(url).status_code == 200
        (row,) = _after(start, Event.EXPORT)
        assert row.username == "viewer" and "2024 年度目标任务" in row.detail

    def test_evidence_download(self, world, client_for):
        evidence = world.evidence_a
        start = mark()
        url = reverse("assessments:evidence_download", args=[world.sheet_a.pk, evidence.pk])
        response = client_for("reviewer_a").get(url)
        assert response.status_code == 200
        (row,) = _after(start, Event.DOWNLOAD)
        assert row.username == "reviewer_a" and row.object_id == str(evidence.pk)
        assert "台账.png" in row.detail

    def test_refused_download_records_nothing(self, world, client_for):
        evidence = world.evidence_a
        start = mark()
        url = reverse("assessments:evidence_download", args=[world.sheet_a.pk, evidence.pk])
        assert client_for("reviewer_b").get(url).status_code == 404
        assert _after(start, Event.DOWNLOAD) == []

    def test_print_job_download(self, world, client_for):
        from jobs.models import Job

        job = Job.objects.create(
            kind="cycle_sheets", title="评分表", requested_by=world.users["reviewer_a"],
            state=Job.State.DONE,
        )  # fmt: skip
        job.result.save(f"job-{job.pk}.pdf", ContentFile(b"%PDF-1.7 test"))
        start = mark()
        response = client_for("reviewer_a").get(reverse("jobs:download", args=[job.pk]))
        assert response.status_code == 200
        (row,) = _after(start, Event.DOWNLOAD)
        assert row.object_id == str(job.pk) and "评分表" in row.detail

    def test_coordinator_leave_slip_pdf(self, world, client_for):
        leave = staff_world.leave_of(world)
        start = mark()
        response = client_for("reviewer_a").get(reverse("staff:leave_slip", args=[leave.pk]))
        assert response.status_code == 200
        (row,) = _after(start, Event.DOWNLOAD)
        assert row.object_id == str(leave.pk) and "请假审批单-陈静" in row.detail

    def test_coordinator_departure_report_pdf(self, world, client_for):
        report = staff_world.departure_of(world)
        start = mark()
        response = client_for("admin").get(reverse("staff:departure_report", args=[report.pk]))
        assert response.status_code == 200
        (row,) = _after(start, Event.DOWNLOAD)
        assert "离职呈报单-陈静" in row.detail

    def test_coordinator_registration_form_pdf(self, world, client_for):
        from assessments import services
        from tests.conftest import import_seed_rubric

        person = Coordinator.objects.create(name="王芳", unit=world.unit_a)
        cycle = services.cycle_create(
            title="新沂协理员年度考核",
            year=2026,
            rubric=import_seed_rubric("xinyi-coordinator"),
            units=[],
            coordinators=[person],
            user=world.users["admin"],
        )
        services.cycle_step(cycle=cycle, action="open_self", user=world.users["admin"])
        services.cycle_compute(cycle=cycle, user=world.users["admin"])
        result = cycle.results.get()
        start = mark()
        url = reverse("assessments:registration_pdf", args=[cycle.pk, result.pk])
        assert client_for("reviewer_a").get(url).status_code == 200
        (row,) = _after(start, Event.DOWNLOAD)
        assert row.object_type == "协理员" and row.object_repr == "王芳"
        assert row.username == "reviewer_a" and "年度考核登记表" in row.detail

    def test_town_coordinator_summary_pdf(self, world, client_for):
        start = mark()
        url = reverse("assessments:town_summary_pdf", args=[world.cycle.pk, world.town_a.pk])
        assert client_for("viewer").get(url).status_code == 200
        (row,) = _after(start, Event.DOWNLOAD)
        assert row.object_repr == "湖塘镇" and "协理员年度考核汇总表" in row.detail


class TestAdminActions:
    def test_an_admin_change_is_recorded_with_its_message(self, world, client_for):
        unit = world.unit_a
        client = client_for("admin")
        url = reverse("admin:org_unit_change", args=[unit.pk])
        page = client.get(url)
        data = _change_form_data(page)
        data["name"] = "淹城新社区"
        start = mark()
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        (row,) = _after(start, Event.ADMIN_ACTION)
        assert row.username == "admin" and row.address == ADDRESS
        assert row.object_id == str(unit.pk) and row.object_repr == "淹城新社区"
        assert row.detail.startswith("后台修改") and "名称" in row.detail

    def test_deleting_several_selected_rows_records_each(self, world, client_for):
        from targets.models import Indicator

        first = Indicator.objects.create(name="指标一")
        second = Indicator.objects.create(name="指标二")
        start = mark()
        response = client_for("admin").post(
            reverse("admin:targets_indicator_changelist"),
            {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"},
        )
        assert response.status_code == 302
        assert not Indicator.objects.filter(pk__in=[first.pk, second.pk]).exists()
        rows = _after(start, Event.ADMIN_ACTION)
        assert sorted(r.object_repr for r in rows) == ["指标一", "指标二"]
        assert all(r.username == "admin" and "删除" in r.detail for r in rows)
