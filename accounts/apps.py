from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "用户与角色"

    def ready(self):
        from accounts import role_log

        role_log.connect()
        from accounts import (
            checks,  # noqa: F401 - registers the system checks
            signals,
        )

        signals.connect()
