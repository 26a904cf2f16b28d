"""Typed readers for settings taken from the environment.

Each reader fails loudly, naming the variable and the value it could not use, so a
misconfigured server stops at start-up instead of running with a silent default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"环境变量 {name} 的值「{raw}」不是布尔值（可用 1/0、true/false、yes/no、on/off）。"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name} 的值「{raw}」不是整数。") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def env_json(name: str, default: dict) -> dict:
    """A JSON object (e.g. a storage backend's options)."""
    import json

    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise ImproperlyConfigured(f'环境变量 {name} 的值不是 JSON 对象（应形如 {{"键": "值"}}）。')
    return value


def env_database(name: str, default_sqlite_path) -> dict:
    import dj_database_url

    raw = os.environ.get(name, "").strip()
    if not raw:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite_path),
            # The web server and the task worker write the same file: wait for each
            # other's writes instead of failing, take the write lock when a transaction
            # starts (no deadlock between two readers both wanting to write), and let
            # readers read while one writes (WAL).
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    try:
        config = dj_database_url.parse(raw, conn_max_age=60)
    except Exception as exc:  # the parser raises several types; all mean "unusable URL"
        raise ImproperlyConfigured(f"环境变量 {name} 的值无法解析为数据库地址：{exc}") from None
    engine = config.get("ENGINE", "")
    if not engine.endswith(("postgresql", "sqlite3")):
        raise ImproperlyConfigured(
            f"环境变量 {name} 指向不支持的数据库「{engine}」：只支持 PostgreSQL 与 SQLite。"
        )
    return config
