"""The user admin edits the units a person works for as org.Assignment rows."""

import pytest
from django.urls import reverse

from org.models import Assignment


def _change_form_data(page):
    """What the change page would post back unchanged: every field's initial value."""
    form = page.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        widget = field.widget
        data.update(
            {
                key: ("" if val is None else val)
                for key, val in _widget_data(widget, form.add_prefix(name), value).items()
            }
        )
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value is not None and value is not False:
                    data[sub.add_prefix(name)] = value
    return data


def _widget_data(widget, name, value):
    subwidgets = getattr(widget, "widgets", None)
    if subwidgets:  # date and time as two inputs
        values = widget.decompress(value) if not isinstance(value, list) else value
        return {
            f"{name}{widget.widgets_names[i]}": v for i, v in enumerate(values) if v is not None
        }
    if isinstance(value, bool):
        return {name: "on"} if value else {}
    if isinstance(value, list | tuple):
        return {name: [str(v) for v in value]} if value else {}
    return {name: value}


@pytest.mark.django_db
class TestUserAdminUnits:
    def test_change_page_lists_the_users_units_in_an_inline(self, client_for, world):
        reviewer = world.users["reviewer_a"]
        page = client_for("admin").get(reverse("admin:accounts_user_change", args=[reviewer.pk]))
        assert page.status_code == 200
        text = page.content.decode()
        assert "角色与范围" in text and "负责单位" in text
        (inline,) = page.context["inline_admin_formsets"]
        assert inline.formset.model is Assignment
        assert [f.instance.unit_id for f in inline.formset.initial_forms] == [world.town_a.pk]
        # The unit is picked by search (the Unit admin's search_fields), not from a long list.
        assert "admin-autocomplete" in text

    def test_saving_with_another_unit_changes_the_assignment(self, client_for, world):
        reviewer = world.users["reviewer_a"]
        assignment = Assignment.objects.get(user=reviewer)
        client = client_for("admin")
        url = reverse("admin:accounts_user_change", args=[reviewer.pk])
        data = _change_form_data(client.get(url))
        prefix = next(k for k in data if k.endswith("-0-unit"))
        data[prefix] = str(world.town_b.pk)

        response = client.post(url, data)

        assert response.status_code == 302, response.context["adminform"].form.errors
        assert [u.pk for u in reviewer.units.all()] == [world.town_b.pk]
        assert Assignment.objects.get(user=reviewer).pk == assignment.pk

    def test_adding_a_unit_in_the_empty_row_assigns_it(self, client_for, world):
        viewer = world.users["viewer"]
        client = client_for("admin")
        url = reverse("admin:accounts_user_change", args=[viewer.pk])
        data = _change_form_data(client.get(url))
        prefix = next(k for k in data if k.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
        data[f"{prefix}-0-unit"] = str(world.unit_a.pk)

        response = client.post(url, data)

        assert response.status_code == 302
        assert [u.pk for u in viewer.units.all()] == [world.unit_a.pk]

    def test_add_page_creates_the_user_with_their_unit(self, client_for, world):
        from accounts.models import User

        client = client_for("admin")
        url = reverse("admin:accounts_user_add")
        page = client.get(url)
        assert page.status_code == 200 and "负责单位" in page.content.decode()
        data = _change_form_data(page)
        prefix = next(k for k in data if k.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
        data.update(
            {
                "username": "lishi",
                "password1": "a-long-Passw0rd",
                "password2": "a-long-Passw0rd",
                "first_name": "李石",
                "role": User.Role.COORDINATOR,
                f"{prefix}-0-unit": str(world.unit_b.pk),
            }
        )

        response = client.post(url, data)

        assert response.status_code == 302, response.context["adminform"].form.errors
        user = User.objects.get(username="lishi")
        assert user.role == User.Role.COORDINATOR
        assert [u.pk for u in user.units.all()] == [world.unit_b.pk]
