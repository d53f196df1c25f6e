"""Django settings, read from the environment (see README "Production configuration")."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from backend.config.env import (
    DEMO_PAYMENT_SECRET,
    DEMO_SMS_API_KEY,
    DEV_SECRET_KEY,
    SANDBOX_SMS_PROVIDER,
    check_production_secret,
    check_production_secrets,
    derived_secret,
    env_bool,
    env_list,
    parse_database_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))

# Off unless asked for: `make run`, the test harness and the dev tools set DEBUG=1 themselves.
DEBUG = env_bool(os.environ.get("DEBUG"), default=False)
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
    "axes",
    "backend.common",
    "backend.accounts",
    "backend.geo",
    "backend.plan",
    "backend.catalog",
    "backend.orders",
    "backend.live",
    "backend.audience",
    "backend.stores",
    "backend.incubation",
    "backend.promotions",
    "backend.campaigns",
    "backend.offline_shop",
    # Apps added by the deployment (plug-ins) or by a test; each declares itself.
    *env_list(os.environ.get("EXTRA_APPS"), default=[]),
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Requests an app answers before sessions and sign-in (a sold-out flash sale).
    "backend.common.middleware.EarlyAnswerMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "backend.common.middleware.SessionIdleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login refused for lock-out into its answer (backend/accounts/lockout.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "backend.config.urls"
# HTTP (pages, API) runs under WSGI in gunicorn's workers, websockets under ASGI in daphne.
ASGI_APPLICATION = "backend.config.asgi.application"
WSGI_APPLICATION = "backend.config.wsgi.application"
# Static files are served by the app itself unless a front server (nginx) does it.
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
# django-axes first: it refuses a locked-out login before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend whose session user comes from Redis (backend/accounts/user_cache.py).
    "backend.accounts.backends.CachedModelBackend",
    # Still resolves sessions signed in before the cached backend existed.
    "django.contrib.auth.backends.ModelBackend",
]
# How long a user or an API token read from PostgreSQL is kept in Redis (saves and deletes
# drop it at once; a queryset update() is seen within this time).
USER_CACHE_SECONDS = int(os.environ.get("USER_CACHE_SECONDS", 60))

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
        "BACKEND": "backend.common.cache.RedisCache",
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
# Committed events delivered per transaction by the drain task (backend/common/event_queue.py).
EVENT_DRAIN_BATCH = int(os.environ.get("EVENT_DRAIN_BATCH", 200))
EVENT_DRAIN_SLICES = int(os.environ.get("EVENT_DRAIN_SLICES", 10))
# A drain armed by a push starts this long after it, so a crowd's events share one drain
# (a drain per checkout cost a task message in the request and a task run in the worker).
EVENT_DRAIN_DELAY_SECONDS = float(os.environ.get("EVENT_DRAIN_DELAY_SECONDS", 0.1))
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

# The storefront's product list and detail: how long Redis keeps an answer (changes drop it
# at once; this only bounds a lost event) and how long browsers and proxies may reuse it.
SHOP_CACHE_SECONDS = int(os.environ.get("SHOP_CACHE_SECONDS", 300))
SHOP_HTTP_MAX_AGE = int(os.environ.get("SHOP_HTTP_MAX_AGE", 5))

# Product image uploads (JPEG, PNG, WebP) are refused above this size.
CATALOG_IMAGE_MAX_BYTES = int(os.environ.get("CATALOG_IMAGE_MAX_BYTES", 10 * 1024 * 1024))
# Deriving image variants retries a failing file storage this often (bounded backoff).
MEDIA_MAX_RETRIES = int(os.environ.get("MEDIA_MAX_RETRIES", 4))
MEDIA_RETRY_BASE_SECONDS = float(os.environ.get("MEDIA_RETRY_BASE_SECONDS", 10))
MEDIA_RETRY_MAX_SECONDS = float(os.environ.get("MEDIA_RETRY_MAX_SECONDS", 300))
# Request bodies above this size are refused with 413 (uploads get their own limit).
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024))

# Sessions are read from Redis (the database stays the record): a signed-in request costs
# no session query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A signed-in session ends after this much idle time; every request renews it
# (backend/common/middleware.py).
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_SECONDS", 2 * 60 * 60))
SESSION_COOKIE_AGE = SESSION_IDLE_SECONDS
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool(os.environ.get("SECURE_COOKIES"), default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Production sits behind TLS: plain HTTP is redirected and browsers are told (HSTS) to use
# HTTPS only. On by default when DEBUG=0; SECURE_HTTPS=0 where nothing terminates TLS.
SECURE_HTTPS = env_bool(os.environ.get("SECURE_HTTPS"), default=not DEBUG)
if not DEBUG or SECURE_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if SECURE_HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # probes from inside the deployment speak HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 365 * 24 * 60 * 60))

# Encryption at rest of platform secrets, OAuth tokens and stream keys (Fernet).
# Comma-separated keys, newest first, to allow rotation; derived from SECRET_KEY when unset.
FIELD_ENCRYPTION_KEYS = env_list(os.environ.get("FIELD_ENCRYPTION_KEYS"), default=[])

# Accounts: login lock-out and phone one-time codes.
# After LOGIN_MAX_FAILURES failed logins of one account from one address, that pair is locked
# out for LOGIN_LOCKOUT_SECONDS (django-axes; the API and the admin count together).
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", 5))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", 15 * 60))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = "backend.accounts.lockout.failure_limit"
AXES_COOLOFF_TIME = "backend.accounts.lockout.cool_off"
AXES_LOCKOUT_CALLABLE = "backend.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "backend.common.throttling.client_ip"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the time we announce holds
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not kept
# Requests per client address to the login endpoints ("N/s|m|h|d").
AUTH_LOGIN_RATE = os.environ.get("AUTH_LOGIN_RATE", "20/m")
AUTH_PHONE_CODE_RATE = os.environ.get("AUTH_PHONE_CODE_RATE", "5/m")
AUTH_PHONE_LOGIN_RATE = os.environ.get("AUTH_PHONE_LOGIN_RATE", "20/m")
# How many proxies of our own stand in front of the app (nginx: 1); their X-Forwarded-For
# entries then name the client. 0: REMOTE_ADDR is the client and the header is ignored.
TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", 0))
PHONE_CODE_TTL_SECONDS = int(os.environ.get("PHONE_CODE_TTL_SECONDS", 5 * 60))
PHONE_CODE_RESEND_SECONDS = int(os.environ.get("PHONE_CODE_RESEND_SECONDS", 60))
# Wrong tries that burn a code: below LOGIN_MAX_FAILURES, so a person is told to ask for a new
# code before the lock-out of that phone at that address would stop them.
PHONE_CODE_MAX_ATTEMPTS = int(os.environ.get("PHONE_CODE_MAX_ATTEMPTS", 3))
# SMS costs money: codes sent per client address per day, and per day in all (any numbers).
PHONE_CODE_SENDS_PER_IP_PER_DAY = int(os.environ.get("PHONE_CODE_SENDS_PER_IP_PER_DAY", 10))
PHONE_CODE_SENDS_PER_DAY = int(os.environ.get("PHONE_CODE_SENDS_PER_DAY", 2000))
SMS_PROVIDER = os.environ.get("SMS_PROVIDER", SANDBOX_SMS_PROVIDER)
SMS_SANDBOX_URL = os.environ.get("SMS_SANDBOX_URL", "http://127.0.0.1:8025")
SMS_SANDBOX_API_KEY = os.environ.get("SMS_SANDBOX_API_KEY", DEMO_SMS_API_KEY)
SMS_SIGN_NAME = os.environ.get("SMS_SIGN_NAME", "沁水电商")
# A code the gateway could not take is retried by a task (a code lives minutes: few, short).
SMS_MAX_RETRIES = int(os.environ.get("SMS_MAX_RETRIES", 3))
SMS_RETRY_BASE_SECONDS = float(os.environ.get("SMS_RETRY_BASE_SECONDS", 5))
SMS_RETRY_MAX_SECONDS = float(os.environ.get("SMS_RETRY_MAX_SECONDS", 30))

# Orders and payments.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
ORDER_UNPAID_EXPIRE_MINUTES = int(os.environ.get("ORDER_UNPAID_EXPIRE_MINUTES", 30))
ORDER_AUTO_CONFIRM_DAYS = int(os.environ.get("ORDER_AUTO_CONFIRM_DAYS", 10))
# Against stock hoarding: what one buyer may hold in unpaid orders, of one SKU and in all.
ORDER_UNPAID_MAX_PER_SKU = int(os.environ.get("ORDER_UNPAID_MAX_PER_SKU", 20))
ORDER_UNPAID_MAX_PER_BUYER = int(os.environ.get("ORDER_UNPAID_MAX_PER_BUYER", 100))
# Checkouts waiting in one web process at once are written together, at most this many in
# one transaction (backend/orders/checkout_batch.py; 1 writes each alone).
CHECKOUT_BATCH_MAX = int(os.environ.get("CHECKOUT_BATCH_MAX", 16))
# Flash sales (backend/promotions/gate.py): the gate's Redis (default REDIS_URL) and the
# buy attempts allowed per account and per address in 10 s, against scripted buyers.
FLASH_GATE_REDIS_URL = os.environ.get("FLASH_GATE_REDIS_URL", "")
FLASH_RATE_PER_ACCOUNT = int(os.environ.get("FLASH_RATE_PER_ACCOUNT", 10))
FLASH_RATE_PER_ADDRESS = int(os.environ.get("FLASH_RATE_PER_ADDRESS", 600))
PAYMENT_PROVIDER = os.environ.get(
    "PAYMENT_PROVIDER", "backend.orders.payments.SandboxPaymentProvider"
)
PAYMENT_SANDBOX_URL = os.environ.get("PAYMENT_SANDBOX_URL", "http://127.0.0.1:8026")
PAYMENT_MCH_ID = os.environ.get("PAYMENT_MCH_ID", "qinshui-demo")
PAYMENT_SECRET = os.environ.get("PAYMENT_SECRET", DEMO_PAYMENT_SECRET)
check_production_secrets(
    debug=DEBUG,
    payment_secret=PAYMENT_SECRET,
    sms_provider=SMS_PROVIDER,
    sms_api_key=SMS_SANDBOX_API_KEY,
    field_keys=FIELD_ENCRYPTION_KEYS,
)
# A refund the provider could not take is retried by a task this many times, waiting
# between base·2^n/2 and base·2^n seconds (capped), then marked failed for staff.
REFUND_MAX_RETRIES = int(os.environ.get("REFUND_MAX_RETRIES", 6))
REFUND_RETRY_BASE_SECONDS = float(os.environ.get("REFUND_RETRY_BASE_SECONDS", 30))
REFUND_RETRY_MAX_SECONDS = float(os.environ.get("REFUND_RETRY_MAX_SECONDS", 1800))
# The beat that expires unpaid orders retries a provider it cannot reach this often.
EXPIRE_MAX_RETRIES = int(os.environ.get("EXPIRE_MAX_RETRIES", 3))
# The notify is public: what is kept of a refused notice is bounded in size and number.
PAYMENT_NOTICE_KEEP_CHARS = int(os.environ.get("PAYMENT_NOTICE_KEEP_CHARS", 4096))
PAYMENT_BAD_NOTICES_PER_HOUR = int(os.environ.get("PAYMENT_BAD_NOTICES_PER_HOUR", 1000))

# Live sessions and the media plane (backend/live builds streaming.MediaSettings from these).
STREAMING_DIR = Path(os.environ.get("STREAMING_DIR", VAR_DIR / "streaming"))
STREAMING_HOST = os.environ.get("STREAMING_HOST", "127.0.0.1")
# The host encoders (OBS, a phone on the LAN) are told to publish to.
STREAMING_PUBLIC_HOST = os.environ.get("STREAMING_PUBLIC_HOST", STREAMING_HOST)
STREAMING_RTMP_PORT = int(os.environ.get("STREAMING_RTMP_PORT", 1935))
STREAMING_HTTP_PORT = int(os.environ.get("STREAMING_HTTP_PORT", 8088))
# Where browsers fetch HLS (nginx's own port, or a CDN in front of it).
STREAMING_HLS_BASE_URL = os.environ.get(
    "STREAMING_HLS_BASE_URL", f"http://{STREAMING_PUBLIC_HOST}:{STREAMING_HTTP_PORT}/hls"
)
STREAMING_CALLBACK_URL = os.environ.get("STREAMING_CALLBACK_URL", f"{SITE_URL}/api/v1/live/rtmp")
STREAMING_CALLBACK_SECRET = os.environ.get("STREAMING_CALLBACK_SECRET") or derived_secret(
    SECRET_KEY, "streaming-callback"
)
STREAMING_HLS_SECRET = os.environ.get("STREAMING_HLS_SECRET") or derived_secret(
    SECRET_KEY, "streaming-hls"
)
STREAMING_LADDER = env_bool(os.environ.get("STREAMING_LADDER"), default=True)
# An encoder that reconnects within this many seconds resumes its live session.
LIVE_RECONNECT_GRACE_SECONDS = int(os.environ.get("LIVE_RECONNECT_GRACE_SECONDS", 60))
# An encoder the stat page has not listed for this long is taken as gone (nginx crashed and
# never sent on_publish_done); the reconnect grace period then runs as after a clean leave.
LIVE_PUBLISHER_LOST_SECONDS = int(os.environ.get("LIVE_PUBLISHER_LOST_SECONDS", 20))
# A scheduled session's key is accepted from this many seconds before its start.
LIVE_PUSH_EARLY_SECONDS = int(os.environ.get("LIVE_PUSH_EARLY_SECONDS", 12 * 3600))
# How long a signed HLS URL stays valid (players refresh it from the API).
LIVE_PLAYBACK_TTL_SECONDS = int(os.environ.get("LIVE_PLAYBACK_TTL_SECONDS", 4 * 3600))
# Recordings, replays and clips are kept at least this long (live-commerce rules ask three
# years); the retention sweep deletes a recording's and a replay's files only after it.
# The offline shop: a QR payment not made in this time is closed by the beat (no order).
SHOP_QR_EXPIRE_SECONDS = int(os.environ.get("SHOP_QR_EXPIRE_SECONDS", 5 * 60))
LIVE_MEDIA_RETENTION_DAYS = int(os.environ.get("LIVE_MEDIA_RETENTION_DAYS", 3 * 365 + 1))
# A product clip runs from this long before its 讲解 to this long after it.
LIVE_CLIP_PADDING_SECONDS = float(os.environ.get("LIVE_CLIP_PADDING_SECONDS", 2))
# A replay or clip job that claimed its row and went silent this long is taken over.
LIVE_MEDIA_JOB_LEASE_SECONDS = int(os.environ.get("LIVE_MEDIA_JOB_LEASE_SECONDS", 1800))
# The restream supervisor (manage.py live_restream): its leadership lease in Redis.
LIVE_RESTREAM_LEASE_SECONDS = float(os.environ.get("LIVE_RESTREAM_LEASE_SECONDS", 10))
# Specialty stores (backend/stores): marketplace calls, OAuth and sync jobs.
STORES_HTTP_TIMEOUT = (
    float(os.environ.get("STORES_CONNECT_TIMEOUT", 3.05)),
    float(os.environ.get("STORES_READ_TIMEOUT", 15)),
)
STORES_RETRY_ATTEMPTS = int(os.environ.get("STORES_RETRY_ATTEMPTS", 4))
STORES_RETRY_BACKOFF_SECONDS = float(os.environ.get("STORES_RETRY_BACKOFF_SECONDS", 0.2))
STORES_OAUTH_STATE_MAX_AGE = int(os.environ.get("STORES_OAUTH_STATE_MAX_AGE", 600))
STORES_TOKEN_REFRESH_AHEAD_SECONDS = int(os.environ.get("STORES_TOKEN_REFRESH_AHEAD", 3600))
STORES_ITEM_LEASE_SECONDS = float(os.environ.get("STORES_ITEM_LEASE_SECONDS", 120))
STORES_ITEM_MAX_ATTEMPTS = int(os.environ.get("STORES_ITEM_MAX_ATTEMPTS", 5))
STORES_STOCK_DEBOUNCE_SECONDS = float(os.environ.get("STORES_STOCK_DEBOUNCE_SECONDS", 5))
# Order import: a new store reads this far back; shipments pushed back retry from this delay.
STORES_IMPORT_LOOKBACK_SECONDS = int(os.environ.get("STORES_IMPORT_LOOKBACK", 3 * 86400))
STORES_IMPORT_PERIOD_SECONDS = float(os.environ.get("STORES_IMPORT_PERIOD", 60))
STORES_PUSH_BACKOFF_SECONDS = float(os.environ.get("STORES_PUSH_BACKOFF", 5))
# Order details read at once while importing (Taobao lists orders without their receiver).
STORES_IMPORT_DETAIL_CONCURRENCY = int(os.environ.get("STORES_IMPORT_DETAIL_CONCURRENCY", 4))
# Items of one job sent at once (threads, each with its own database connection).
# SQLite (make run) takes one writer at a time: one item at a time there.
STORES_SYNC_CONCURRENCY = int(
    os.environ.get(
        "STORES_SYNC_CONCURRENCY", 4 if "postgresql" in DATABASES["default"]["ENGINE"] else 1
    )
)
# The Celery queue of sync jobs (a test may give its own worker a queue of its own).
STORES_SYNC_QUEUE = os.environ.get("STORES_SYNC_QUEUE", "sync")

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
