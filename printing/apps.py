from django.apps import AppConfig


class PrintingConfig(AppConfig):
    name = "printing"
    verbose_name = "打印"

    def ready(self):
        # Every app describes what it prints in its own print_documents module.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("print_documents")
        # Print kinds defined outside the apps (the test suite's and the benchmark's
        # workers; PRINT_EXTRA_KIND_MODULES is set by config/settings_test.py only).
        from importlib import import_module

        from django.conf import settings

        for module in getattr(settings, "PRINT_EXTRA_KIND_MODULES", ()):
            import_module(module)
