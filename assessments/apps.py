from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "考核"

    def ready(self):
        # Registers the batch print kinds this app provides, and its periodic work.
        from assessments import printouts, reminders  # noqa: F401

        # The unit page (targets, a lower layer) shows a unit's results across the years.
        from assessments.years_views import unit_panel
        from kit.page_panels import register

        register("unit_detail", unit_panel)
