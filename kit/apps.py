from django.apps import AppConfig


class KitConfig(AppConfig):
    """No models: installed only so that ``{% load display %}`` finds the filters."""

    name = "kit"
    verbose_name = "共用组件"
