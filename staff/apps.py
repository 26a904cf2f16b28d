from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "staff"
    verbose_name = "协理员管理"
