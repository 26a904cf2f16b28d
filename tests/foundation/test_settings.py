import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    # The test run's own settings variables must not leak into the checked process.
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and not k.startswith("SECURE_")
    }
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


class TestProductionSettings:
    def test_production_without_secret_key_refuses_to_start_and_says_why(self):
        result = run_manage("check", DEBUG="0")
        assert result.returncode != 0
        assert "SECRET_KEY" in result.stderr
        assert "未设置环境变量" in result.stderr

    def test_unreadable_boolean_is_rejected_naming_the_variable(self):
        result = run_manage("check", DEBUG="maybe")
        assert result.returncode != 0
        assert "DEBUG" in result.stderr and "maybe" in result.stderr

    def test_unsupported_database_url_is_rejected(self):
        result = run_manage("check", DEBUG="1", DATABASE_URL="mysql://root@127.0.0.1/test")
        assert result.returncode != 0
        assert "只支持 PostgreSQL 与 SQLite" in result.stderr

    def test_deploy_check_is_clean_with_debug_off_and_a_real_secret(self):
        result = run_manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="kaohe.example.gov.cn",
        )
        assert result.returncode == 0, result.stderr
        assert "no issues" in result.stdout + result.stderr


class TestHstsScope:
    """Hole 8 of the security issue: HSTS ``includeSubDomains`` and ``preload`` commit the
    bureau's whole parent domain, so they are the operator's choice, off by default."""

    SHOW = (
        "from django.conf import settings; "
        "print(settings.SECURE_HSTS_SECONDS, settings.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "settings.SECURE_HSTS_PRELOAD)"
    )

    def production(self, **env):
        return run_manage(
            "shell",
            "-c",
            self.SHOW,
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="kaohe.example.gov.cn",
            **env,
        )

    def test_production_sends_hsts_for_this_host_only_by_default(self):
        result = self.production()
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1].split() == ["31536000", "False", "False"]

    def test_subdomains_and_preload_are_opt_in(self):
        result = self.production(SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="yes")
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[-1].split() == ["31536000", "True", "True"]

    def test_deploy_check_is_clean_with_the_opt_ins_too(self):
        result = run_manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            DEBUG="0",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="kaohe.example.gov.cn",
            SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
            SECURE_HSTS_PRELOAD="1",
        )
        assert result.returncode == 0, result.stderr
        assert "no issues" in result.stdout + result.stderr
