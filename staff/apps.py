from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "协理员管理"

    def ready(self):
        from staff import personnel_log

        personnel_log.connect()
