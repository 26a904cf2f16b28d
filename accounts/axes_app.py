from axes.apps import AppConfig


class AxesConfig(AppConfig):
    """django-axes under a Chinese heading in the admin (axes ships no Chinese)."""

    verbose_name = "登录失败记录（django-axes）"
