"""Logging in through the form, as a browser does (the lockout needs a real request)."""

from django.urls import reverse

OFFICE = "10.1.2.3"
ELSEWHERE = "10.9.9.9"


def post_login(client, username, password, *, address=OFFICE, url=None):
    return client.post(
        url or reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail(client, username, times, *, address=OFFICE):
    for _i in range(times):
        post_login(client, username, "wrong-password", address=address)
