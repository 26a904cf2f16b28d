import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from assessments.models import ItemScore
from assessments.sides import Side
from tests.conftest import login_verified

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="two connections writing at once need PostgreSQL"
    ),
]


def test_two_people_saving_the_same_version_at_once_one_wins_the_other_is_told(world):
    sheet = world.sheet_a
    url = reverse("assessments:sheet_self", args=[sheet.pk])
    version = sheet.version
    barrier = threading.Barrier(2)
    answers = {}

    def save(persona, score):
        try:
            client = Client()
            login_verified(client, world.users[persona])
            barrier.wait()
            response = client.post(url, {"version": version, "s-6-score": score})
            answers[persona] = (response.status_code, response.content.decode())
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=save, args=("coordinator_a", "1")),
        threading.Thread(target=save, args=("admin", "2")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    codes = sorted(code for code, _ in answers.values())
    assert codes == [302, 409]
    winner = next(p for p, (code, _) in answers.items() if code == 302)
    loser_text = next(text for code, text in answers.values() if code == 409)
    assert "其他人修改了这张考核表" in loser_text
    stored = ItemScore.objects.get(assessment=sheet, item__key="6", side=Side.SELF).score
    assert str(stored) == {"coordinator_a": "1.00", "admin": "2.00"}[winner]
