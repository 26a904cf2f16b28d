from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "考核"

    def ready(self):
        # Registers the batch print kinds this app provides, and its periodic work.
        from assessments import printouts, reminders  # noqa: F401
