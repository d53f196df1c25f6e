"""Django settings, read from the environment (see README "Production configuration")."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from backend.config.env import (
    DEV_SECRET_KEY,
    check_production_secret,
    env_bool,
    env_list,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

DEBUG = env_bool(os.environ.get("DEBUG"), default=True)
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
check_production_secret(debug=DEBUG, secret_key=SECRET_KEY)

ALLOWED_HOSTS = env_list(
    os.environ.get("ALLOWED_HOSTS"), default=["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list(
    os.environ.get("CSRF_TRUSTED_ORIGINS"),
    default=["http://127.0.0.1:8000", "http://localhost:8000"],
)

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "ninja",
    "backend.common",
    "backend.accounts",
    "backend.geo",
    "backend.plan",
    "backend.catalog",
    "backend.orders",
    # Apps added by the deployment (plug-ins) or by a test; each declares itself.
    *env_list(os.environ.get("EXTRA_APPS"), default=[]),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "backend.config.urls"
ASGI_APPLICATION = "backend.config.asgi.application"
WSGI_APPLICATION = None
# Static files are served by the ASGI app itself unless a front server (nginx) does it.
SERVE_STATIC = env_bool(os.environ.get("SERVE_STATIC"), default=True)

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {"default": parse_database_url(os.environ.get("DATABASE_URL"), base_dir=BASE_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# Every Redis key of this deployment starts with this prefix, so several deployments
# (or test runs) can share one Redis without seeing each other's keys or queues.
# A pytest run gets its own namespace, so a running `make run` worker never takes its tasks;
# the test harness passes the same prefix to the processes it starts.
REDIS_PREFIX = os.environ.get("REDIS_PREFIX") or (
    f"qstest{os.getpid()}" if "pytest" in sys.modules else "qs"
)

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": REDIS_PREFIX,
        "TIMEOUT": 300,
    }
}

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": f"{REDIS_PREFIX}:asgi"},
    }
}

# Celery: the broker defaults to the same Redis; CELERY_BROKER_URL="" means no broker,
# and tasks then run inline (eagerly) in the calling process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == ""
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": f"{REDIS_PREFIX}:celery:"}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"global_keyprefix": f"{REDIS_PREFIX}:celery:"}
CELERY_TIMEZONE = "Asia/Shanghai"

# Domain events (backend/common/events.py): delivered by Celery after commit, or inline
# in the publishing process when there is no broker.
EVENTS_INLINE = env_bool(os.environ.get("EVENTS_INLINE"), default=CELERY_BROKER_URL == "")
EVENT_MAX_ATTEMPTS = int(os.environ.get("EVENT_MAX_ATTEMPTS", 8))
EVENT_RETRY_BASE_SECONDS = float(os.environ.get("EVENT_RETRY_BASE_SECONDS", 10))
EVENT_RETRY_MAX_SECONDS = float(os.environ.get("EVENT_RETRY_MAX_SECONDS", 3600))
EVENT_SWEEP_GRACE_SECONDS = float(os.environ.get("EVENT_SWEEP_GRACE_SECONDS", 30))
# Extra modules holding @handler functions, beside every app's handlers.py (plug-ins, tests).
EVENT_HANDLER_MODULES_EXTRA = env_list(os.environ.get("EVENT_HANDLER_MODULES_EXTRA"), default=[])

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "backend" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "frontend_static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

# Product image uploads (JPEG, PNG, WebP) are refused above this size.
CATALOG_IMAGE_MAX_BYTES = int(os.environ.get("CATALOG_IMAGE_MAX_BYTES", 10 * 1024 * 1024))
# Request bodies above this size are refused with 413 (uploads get their own limit).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool(os.environ.get("SECURE_COOKIES"), default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Encryption at rest of platform secrets, OAuth tokens and stream keys (Fernet).
# Comma-separated keys, newest first, to allow rotation; derived from SECRET_KEY when unset.
FIELD_ENCRYPTION_KEYS = env_list(os.environ.get("FIELD_ENCRYPTION_KEYS"), default=[])

# Accounts: login lock-out and phone one-time codes.
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", 5))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", 15 * 60))
PHONE_CODE_TTL_SECONDS = int(os.environ.get("PHONE_CODE_TTL_SECONDS", 5 * 60))
PHONE_CODE_RESEND_SECONDS = int(os.environ.get("PHONE_CODE_RESEND_SECONDS", 60))
PHONE_CODE_MAX_ATTEMPTS = int(os.environ.get("PHONE_CODE_MAX_ATTEMPTS", 5))
SMS_PROVIDER = os.environ.get("SMS_PROVIDER", "backend.accounts.sms.SandboxSmsProvider")
SMS_SANDBOX_URL = os.environ.get("SMS_SANDBOX_URL", "http://127.0.0.1:8025")
SMS_SANDBOX_API_KEY = os.environ.get("SMS_SANDBOX_API_KEY", "sandbox-sms-key")
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "沁水电商")

# Orders and payments.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ORDER_UNPAID_EXPIRE_MINUTES = int(os.environ.get("ORDER_UNPAID_EXPIRE_MINUTES", 30))
ORDER_AUTO_CONFIRM_DAYS = int(os.environ.get("ORDER_AUTO_CONFIRM_DAYS", 10))
PAYMENT_PROVIDER = os.environ.get(
    "PAYMENT_PROVIDER", "backend.orders.payments.SandboxPaymentProvider"
)
PAYMENT_SANDBOX_URL = os.environ.get("PAYMENT_SANDBOX_URL", "http://127.0.0.1:8026")
PAYMENT_MCH_ID = os.environ.get("PAYMENT_MCH_ID", "qinshui-demo")
PAYMENT_SECRET = os.environ.get("PAYMENT_SECRET", "qinshui-demo-secret")

PLATFORM_NAME = "沁水县电商直播与网店运营平台"
PLATFORM_VERSION = "0.1.0"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "backend.common.logging.RedactSecretsFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "daphne": {"level": "WARNING"},
    },
}
