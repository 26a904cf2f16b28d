import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.access_table import EXCLUDED_NAMESPACES, TABLE
from tests.conftest import PERSONA_NAMES


def named_urls(patterns=None, prefix=""):
    patterns = get_resolver().url_patterns if patterns is None else patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace
            if ns in EXCLUDED_NAMESPACES:
                continue
            yield from named_urls(entry.url_patterns, prefix + (ns + ":" if ns else ""))
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


class TestAccessTableCoversEveryView:
    def test_every_named_url_has_an_entry(self):
        missing = sorted(set(named_urls()) - set(TABLE))
        assert missing == [], f"views without an access-table entry: {missing}"

    def test_every_entry_is_a_real_url(self):
        stale = sorted(set(TABLE) - set(named_urls()))
        assert stale == []

    def test_every_entry_names_every_persona(self):
        for name, (_args, _method, answers, *_data) in TABLE.items():
            assert set(answers) == set(PERSONA_NAMES), name


CASES = [(name, persona) for name in sorted(TABLE) for persona in PERSONA_NAMES]


@pytest.mark.parametrize(("name", "persona"), CASES)
def test_persona_gets_expected_answer(name, persona, world, client_for):
    args_of, method, answers, *data = TABLE[name]
    expected = answers[persona]
    client = client_for(persona)
    url = reverse(name, args=args_of(world))
    data = [d(world) if callable(d) else d for d in data]
    response = getattr(client, method)(url, *data)
    login = reverse("accounts:login")
    if expected == "login":
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(login)
    elif expected == 302:
        assert response.status_code == 302
        assert not response["Location"].startswith(login + "?")
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_only_the_bureau_admin_and_the_auditor_reach_the_admin_site(persona, world, client_for):
    response = client_for(persona).get(reverse("admin:index"))
    if persona == "admin":
        assert response.status_code == 200
    elif persona == "auditor":
        # 三员分立: the audit administrator's admin holds the security log and nothing else.
        assert response.status_code == 200
        apps = [app["app_label"] for app in response.context["app_list"]]
        assert apps == ["audit"]
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


class TestWritesAreScoped:
    def test_read_only_viewer_posting_a_unit_edit_is_refused_and_changes_nothing(
        self, world, client_for
    ):
        response = client_for("viewer").post(
            reverse("targets:unit_edit", args=[world.unit_a.pk]), {"name": "改名", "active": "on"}
        )
        assert response.status_code == 403
        world.unit_a.refresh_from_db()
        assert world.unit_a.name == "淹城社区"

    def test_admin_edits_name_and_aliases(self, world, client_for):
        response = client_for("admin").post(
            reverse("targets:unit_edit", args=[world.unit_a.pk]),
            {"name": "淹城社区", "active": "on", "aliases": "淹城\n 淹城居委会 "},
        )
        assert response.status_code == 302
        assert sorted(world.unit_a.aliases.values_list("name", flat=True)) == ["淹城", "淹城居委会"]

    def test_renaming_to_a_sibling_name_written_with_spaces_is_refused(self, world, client_for):
        from org.models import Unit

        Unit.objects.create(name="何留社区", kind=Unit.Kind.COMMUNITY, parent=world.town_a)
        response = client_for("admin").post(
            reverse("targets:unit_edit", args=[world.unit_a.pk]),
            {"name": "何 留 社 区", "active": "on"},
        )
        assert response.status_code == 200
        assert "errors" in response.content.decode()
        world.unit_a.refresh_from_db()
        assert world.unit_a.name == "淹城社区"
