"""Settings, read from the environment (see README, "Settings")."""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_database, env_int, env_json, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

# On by default for a developer's checkout; every production deployment sets DEBUG=0
# (see README, "Production"), and then SECRET_KEY becomes mandatory.
DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "未设置环境变量 SECRET_KEY：关闭 DEBUG 运行时必须提供一个随机的长密钥"
            '（例如 python -c "import secrets; print(secrets.token_urlsafe(50))"）。'
        )
    SECRET_KEY = "dev-only-insecure-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "accounts.axes_app.AxesConfig",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "org",
    "kit",
    "audit",
    "jobs",
    "accounts",
    "targets",
    "rubrics",
    "assessments",
    "notices",
    "staff",
    "printing",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # With DEBUG on too, a missing page is the app's Chinese page (config/errors.py).
    "config.errors.ErrorPagesMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After authentication: the security log knows who and from where; the audit
    # administrator is kept to the audit pages.
    "audit.context.RequestContextMiddleware",
    "accounts.middleware.AuditorGateMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    # After the second factor, so the password is changed by a verified person.
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked login into the page explaining the lock.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.role",
                "accounts.context_processors.session_timeout",
                "notices.context_processors.inbox",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {"default": env_database("DATABASE_URL", BASE_DIR / "db.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Password rules (口令复杂度, see accounts/passwords.py): length and character classes, not
# the user name, not one of the last PASSWORD_HISTORY_COUNT; Django's similarity and
# common-password checks stay.
PASSWORD_HISTORY_COUNT = env_int("PASSWORD_HISTORY_COUNT", 5)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "accounts.passwords.ComplexityValidator",
        "OPTIONS": {"min_length": env_int("PASSWORD_MIN_LENGTH", 8), "min_classes": 3},
    },
    {"NAME": "accounts.passwords.NotUsernameValidator"},
    {
        "NAME": "accounts.passwords.PasswordHistoryValidator",
        "OPTIONS": {"count": PASSWORD_HISTORY_COUNT},
    },
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# A password older than this many days must be changed at the next request (0 = never).
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 90)

# Login failure handling (登录失败处理, django-axes; see accounts/lockout.py). An account
# locks after LOGIN_FAILURE_LIMIT failures within LOGIN_LOCKOUT_MINUTES, for that long
# after the last failure; an address is throttled the same way after
# LOGIN_ADDRESS_FAILURE_LIMIT failures across all user names (0 = no address throttle).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 30)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", 20)
if LOGIN_FAILURE_LIMIT < 1 or LOGIN_LOCKOUT_MINUTES < 1 or LOGIN_ADDRESS_FAILURE_LIMIT < 0:
    raise ImproperlyConfigured(
        "LOGIN_FAILURE_LIMIT 与 LOGIN_LOCKOUT_MINUTES 须为正整数，"
        "LOGIN_ADDRESS_FAILURE_LIMIT 须为 0（不限制地址）或正整数。"
    )
AXES_ENABLED = True
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# The same client address as the security log records.
AXES_CLIENT_IP_CALLABLE = "audit.log.client_address"
# A success clears the account's count (the failures must be consecutive); a try during a
# lock is refused without moving the lock's end, so the time shown stays true.
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Logins and logouts are in the security log (audit); axes keeps only the failure counts.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Generated files (job outputs, batch-print chunks) and uploads live in the default
# storage, used only through the storage API: with several app servers it must be one
# they all reach — a shared MEDIA_ROOT (NFS), or an S3-compatible store through
# django-storages (not a dependency: install it, then STORAGE_BACKEND=
# storages.backends.s3.S3Storage and STORAGE_OPTIONS='{"bucket_name": ..., ...}' as JSON).
# See README, "Printing".
STORAGES = {
    "default": {
        "BACKEND": env_str("STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": env_json("STORAGE_OPTIONS", {}),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# Uploads: spreadsheets and evidence files. Larger requests are refused with a message.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Target tables: the file itself, and what its zip members may unpack to (zip bombs).
TARGET_IMPORT_MAX_BYTES = env_int("TARGET_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
TARGET_IMPORT_MAX_UNZIPPED_BYTES = env_int("TARGET_IMPORT_MAX_UNZIPPED_BYTES", 200 * 1024 * 1024)
# Every uploaded table (targets, roster, offline score workbooks): the most rows, columns
# and cells of its used range. A file past one is refused before its grid is built, which
# bounds a worker's memory by these numbers, whatever the file declares (kit/imports).
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 500)
IMPORT_MAX_CELLS = env_int("IMPORT_MAX_CELLS", 500_000)
# Exports of targets and of the roster: a selection of more rows than this is written to a
# file by a background job (streamed, openpyxl write-only); a smaller one in the request.
EXPORT_INLINE_ROWS = env_int("EXPORT_INLINE_ROWS", 5_000)
# A confirmed import (targets, roster, offline scores) of more rows than this commits in a
# background job (jobs app) instead of in the request; smaller ones stay in the request.
IMPORT_INLINE_ROWS = env_int("IMPORT_INLINE_ROWS", 2000)
# Evidence images: the most pixels, checked from the header before decoding.
EVIDENCE_MAX_PIXELS = env_int("EVIDENCE_MAX_PIXELS", 40_000_000)

# Sessions end after SESSION_IDLE_MINUTES without a request from the person (background
# polling does not count) and SESSION_MAX_HOURS after the login, whichever comes first
# (accounts.middleware.SessionTimeoutMiddleware); the cookie lives as long as the longest
# a session may last, so the browser never drops it before the server would.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
if SESSION_IDLE_MINUTES < 1 or SESSION_MAX_HOURS < 1:
    raise ImproperlyConfigured(
        "环境变量 SESSION_IDLE_MINUTES 与 SESSION_MAX_HOURS 至少为 1（会话不能关闭超时）。"
    )
SESSION_COOKIE_AGE = 60 * 60 * SESSION_MAX_HOURS

# Two-factor authentication (TOTP, django-otp). The roles that must use it ("all" for
# every role; superusers count as admin), and whether load_demo's accounts are exempt
# from mandatory enrolment so the demo stays one command (see README, "Two-factor").
OTP_REQUIRED_ROLES = env_list("OTP_REQUIRED_ROLES", ["admin", "auditor"])
OTP_EXEMPT_DEMO = env_bool("OTP_EXEMPT_DEMO", True)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "人社局考核系统")
# Secrets of authenticator devices are never shown again after enrolment.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Background work (see README, "Background work"): django-tasks with its database backend;
# `manage.py db_worker` runs the tasks (`./dev run` starts one). A running job silent for
# JOB_STALE_SECONDS is failed so it can be resubmitted; finished jobs and their files are
# deleted after JOB_RETENTION_DAYS; the periodic work looks every SCHEDULE_TICK_SECONDS.
TASKS = {
    "default": {
        "BACKEND": env_str("TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 900)
JOB_RETENTION_DAYS = env_int("JOB_RETENTION_DAYS", 30)
SCHEDULE_TICK_SECONDS = env_int("SCHEDULE_TICK_SECONDS", 60)
# A batch print is cut into chunks that any worker renders (docs/printing.md): each chunk
# task renders with PRINT_RENDER_PROCESSES processes (1: the parallelism comes from the
# number of workers); PRINT_CHUNK_SHEETS documents a chunk (0: about eight chunks, 4–25
# documents each).
PRINT_RENDER_PROCESSES = env_int("PRINT_RENDER_PROCESSES", 1)
PRINT_CHUNK_SHEETS = env_int("PRINT_CHUNK_SHEETS", 0)

# Behind a reverse proxy that terminates TLS (see README, "Production").
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
# HSTS for this host only unless the operator opts in: includeSubDomains and preload
# commit the bureau's whole parent domain (every sibling site must then serve HTTPS, and a
# preload listing takes months to undo). See the README's settings table.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Django's deploy check suggests both (security.W005, security.W021); with them opt-in
# above, leaving them off is the intended default, not an oversight.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True

# Content-Security-Policy on every response (django-csp): scripts, styles and images from
# this site only, no inline script or style, no plugins, no framing. Evidence downloads send
# their own stricter policy (assessments.sheet_views.evidence_download), which is kept.
# CSP_REPORT_ONLY=1 sends the same policy as Content-Security-Policy-Report-Only instead, for
# a bureau that wants to trial it: browsers then only report what they would have blocked (to
# CSP_REPORT_URI when set). django-csp refuses Django settings named CSP_*, hence the names.
_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
_CSP_REPORT_URI = env_str("CSP_REPORT_URI")
if _CSP_REPORT_URI:
    _CSP_DIRECTIVES["report-uri"] = [_CSP_REPORT_URI]
_CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
if _CSP_REPORT_ONLY:
    CONTENT_SECURITY_POLICY = None
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
    CONTENT_SECURITY_POLICY_REPORT_ONLY = None
X_FRAME_OPTIONS = "DENY"

# The security log is kept at least 180 days (网络安全法 第二十一条: six months);
# `manage.py prune_audit_log` deletes what is older than this.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 180)
if AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured(
        f"环境变量 AUDIT_RETENTION_DAYS 的值「{AUDIT_RETENTION_DAYS}」太小：安全审计日志至少保存 "
        "180 天（网络安全法 第二十一条：不少于六个月）。"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request is one line, not a traceback (kit/logs.py).
    "filters": {"refusals": {"()": "kit.logs.RefusalWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusals"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # django-axes notes every login at INFO; its warnings (failures, lockouts) are kept.
    "loggers": {"axes": {"level": "WARNING"}},
}

# Notices (notices app): the inbox always; e-mail through Django's mail settings to users
# who have an address. The demo prints mail on the console; production sets EMAIL_BACKEND
# to django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST/PORT/HOST_USER/
# HOST_PASSWORD/USE_TLS (README "Deadlines and notices").
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "kaohe@localhost")
NOTICE_EMAIL = env_bool("NOTICE_EMAIL", True)
# The address links in e-mails start with.
NOTICE_SITE_URL = env_str("NOTICE_SITE_URL", "http://127.0.0.1:8000")
