from axes.apps import AppConfig

# django-axes ships no Chinese: its models' names and fields as the admin shows them.
MODEL_NAMES = {
    "AccessAttempt": "登录失败计数",
    "AccessFailureLog": "登录失败记录",
    "AccessLog": "登录记录",
}
FIELD_NAMES = {
    "user_agent": "浏览器标识",
    "ip_address": "地址",
    "username": "用户名",
    "http_accept": "HTTP Accept",
    "path_info": "路径",
    "attempt_time": "时间",
    "get_data": "GET 参数",
    "post_data": "POST 参数",
    "failures_since_start": "失败次数",
    "locked_out": "是否锁定",
    "logout_time": "退出时间",
    "session_hash": "会话摘要（sha256）",
}


class AxesConfig(AppConfig):
    """django-axes under a Chinese heading in the admin, its models and fields named in
    Chinese."""

    verbose_name = "登录失败记录（django-axes）"

    def ready(self):
        super().ready()
        for model in self.get_models():
            name = MODEL_NAMES.get(model.__name__)
            if name:
                model._meta.verbose_name = model._meta.verbose_name_plural = name
            for field in model._meta.fields:
                if field.name in FIELD_NAMES:
                    field.verbose_name = FIELD_NAMES[field.name]
