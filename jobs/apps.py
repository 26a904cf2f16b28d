from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "后台任务"

    def ready(self):
        # Every app describes its background work in its own job_kinds module (like the
        # admin's admin.py); the housekeeping this app schedules itself is registered here.
        from django.utils.module_loading import autodiscover_modules

        from jobs import housekeeping  # noqa: F401

        autodiscover_modules("job_kinds")
