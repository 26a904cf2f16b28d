from django.apps import AppConfig


class PrintingConfig(AppConfig):
    name = "printing"
    verbose_name = "打印"

    def ready(self):
        # Every app describes what it prints in its own print_documents module.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("print_documents")
