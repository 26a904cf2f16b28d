import pytest
from django.urls import reverse

from assessments.models import Assessment

pytestmark = pytest.mark.django_db


def panels(client):
    response = client.get(reverse("home"))
    return {p.title: p.rows for p in response.context["panels"]}


class TestHomeShowsWhatIsWaiting:
    def test_coordinator_sees_the_draft_self_assessment_of_their_unit_only(self, world, client_for):
        sheet = world.sheet_a  # creates the cycle
        rows = panels(client_for("coordinator_a"))["待填报的自评"]
        assert [r[1] for r in rows] == [reverse("assessments:sheet_self", args=[sheet.pk])]

    def test_reviewer_sees_submitted_sheets_of_their_town(self, world, client_for):
        Assessment.objects.filter(pk=world.sheet_a.pk).update(state=Assessment.State.SUBMITTED)
        assert panels(client_for("reviewer_a"))["待审核的考核表"][0][2] == "1 张待审核"
        assert panels(client_for("reviewer_b"))["待审核的考核表"] == []

    def test_viewer_sees_published_results(self, world, client_for):
        cycle = world.cycle
        assert panels(client_for("viewer"))["已公布的考核结果"] == []
        cycle.state = "published"
        cycle.save()
        assert panels(client_for("viewer"))["已公布的考核结果"][0][0] == cycle.title

    def test_admin_sees_the_cycles_in_progress(self, world, client_for):
        title = world.cycle.title
        assert panels(client_for("admin"))["进行中的考核周期"][0][0] == title
