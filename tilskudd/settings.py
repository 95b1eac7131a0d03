"""One settings module, driven by the environment, with safe development defaults.

DJANGO_ENV=production switches on the production posture (no DEBUG, secure cookies,
HSTS, HTTPS redirect, manifest static files) and refuses to start without a real
SECRET_KEY and ALLOWED_HOSTS. `manage.py check --deploy` passes in that mode (tested).
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from tilskudd.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("TILSKUDD_VAR_DIR", str(BASE_DIR / "var")))

PRODUCTION = env_str("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)

_DEV_SECRET = "dev-only-insecure-secret-key-never-use-in-production-0123456789"
SECRET_KEY = env_str("SECRET_KEY", "" if PRODUCTION else _DEV_SECRET)
if PRODUCTION and (not SECRET_KEY or SECRET_KEY == _DEV_SECRET):
    raise ImproperlyConfigured("SECRET_KEY must be set in production")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
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
    "django.forms",
    "csp",
    "axes",
    # Two-step login (TOTP and recovery codes): django-otp's own models and its throttling.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # its Swagger UI assets, served from our own static files (no CDN)
    # In the order the apps may import each other (DESIGN "Shape"): each only from those above it.
    "tilskudd.ui",
    "tilskudd.backup",  # the backup and restore commands: know no app, only the database and the storage
    "tilskudd.caselog",
    "tilskudd.organisations",
    "tilskudd.accounts",
    "tilskudd.logins",  # who is logged in where: inactivity expiry, the person's active logins
    "tilskudd.identity",  # login through ID-porten or Ansattporten (OpenID Connect)
    "tilskudd.rounds",
    "tilskudd.applications",
    "tilskudd.reporting",
    "tilskudd.settlement",
    "tilskudd.amendments",
    "tilskudd.assessment",
    "tilskudd.decisions",
    "tilskudd.publication",
    "tilskudd.archive",
    "tilskudd.api",
    "tilskudd.home",
]
if not PRODUCTION:
    INSTALLED_APPS.append("tilskudd.demo")  # demo data and its commands: never in production

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tilskudd.ui.middleware.LanguageCookieMiddleware",
    "tilskudd.api.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tilskudd.accounts.roles.RoleMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the session passed the second step
    "tilskudd.accounts.strong.StrongLoginMiddleware",  # request.user.strong_login, and its friendly refusal
    "django.contrib.messages.middleware.MessageMiddleware",
    "tilskudd.logins.middleware.LoginActivityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tilskudd.urls"
FORM_RENDERER = "tilskudd.ui.forms.FormRenderer"
WSGI_APPLICATION = "tilskudd.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tilskudd" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tilskudd.ui.context_processors.service",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------
# SQLite by default, in WAL mode with a busy timeout and IMMEDIATE transactions so
# that concurrent writers queue instead of failing with "database is locked".
# PostgreSQL when DATABASE_URL is set.
_SQLITE_PATH = VAR_DIR / "db.sqlite3"
DATABASE_URL = env_str("DATABASE_URL", "")
# PostgreSQL: a bounded pool of connections per process (psycopg 3's pool, through
# Django's OPTIONS["pool"]), never one connection per thread. A process holds at most
# DB_POOL_MAX_SIZE connections; a request that finds them all busy waits up to
# DB_POOL_TIMEOUT seconds for one instead of failing with "too many clients".
# gunicorn.conf.py sets DB_POOL_MAX_SIZE to the worker's thread count, so the whole
# deployment holds at most
#     app servers x gunicorn workers x threads  +  background workers x 1  (+ a few for commands)
# connections, which must stay below PostgreSQL's max_connections (100 by default).
# DB_POOL_MAX_SIZE=0 turns the pool off and falls back to persistent connections
# (DB_CONN_MAX_AGE seconds). Pooling needs CONN_MAX_AGE = 0: the pool keeps them.
DB_POOL_MAX_SIZE = env_int("DB_POOL_MAX_SIZE", 4)
if DATABASE_URL:
    _database = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
    if DB_POOL_MAX_SIZE > 0 and _database["ENGINE"] == "django.db.backends.postgresql":
        _database["CONN_MAX_AGE"] = 0
        _database.setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(env_int("DB_POOL_MIN_SIZE", 1), DB_POOL_MAX_SIZE),
            "max_size": DB_POOL_MAX_SIZE,
            "timeout": env_int("DB_POOL_TIMEOUT", 10),
        }
    DATABASES = {"default": _database}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _SQLITE_PATH,
            # A file, not memory, so tests run in WAL mode as production does and the
            # browser tests' live server shares the database across threads.
            "TEST": {"NAME": VAR_DIR / "test.sqlite3"},
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Argon2id with OWASP's parameters (m=19 MiB, t=2, p=1), at most ARGON2_MAX_CONCURRENT
# hashes at once per process: tilskudd/accounts/hashers.py. It also reads and upgrades
# hashes made with Django's default Argon2 parameters (same algorithm name), so
# Django's own Argon2PasswordHasher must not be listed too: the later of two hashers
# with one algorithm name would verify.
PASSWORD_HASHERS = [
    "tilskudd.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tilskudd.accounts.throttle.UsernameThrottleBackend",
    "tilskudd.accounts.backends.PasswordBackend",  # Django's ModelBackend, off with PASSWORD_LOGIN = False
    "tilskudd.identity.backends.OIDCBackend",  # answers only the OpenID Connect callback
]
ARGON2_MAX_CONCURRENT = env_int("ARGON2_MAX_CONCURRENT", 2)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "home:home"

# Username and password login: on for development and for offices that need it. Off, the
# login page offers only the identity provider and every password form is refused (the
# Django admin's too).
PASSWORD_LOGIN = env_bool("PASSWORD_LOGIN", True)

# Login through ID-porten or Ansattporten (OpenID Connect, authorization code flow with PKCE,
# state and nonce; mozilla-django-oidc, see tilskudd/identity/ and the README). One provider
# at a time: OIDC_PROVIDER "idporten" or "ansattporten"; empty, none. The endpoints come
# from the issuer's /.well-known/openid-configuration, read on first use and cached for
# OIDC_METADATA_TTL seconds, unless set here.
OIDC_PROVIDER = env_str("OIDC_PROVIDER", "")
OIDC_ISSUER = env_str("OIDC_ISSUER", "")  # empty: the provider's production issuer
OIDC_DISCOVERY_URL = env_str("OIDC_DISCOVERY_URL", "")  # empty: <issuer>/.well-known/openid-configuration
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_JWKS_ENDPOINT", "")
OIDC_OP_LOGOUT_ENDPOINT = env_str("OIDC_LOGOUT_ENDPOINT", "")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID", "")
# "client_secret_post" (OIDC_CLIENT_SECRET) or "private_key_jwt" (OIDC_PRIVATE_KEY_FILE, a PEM
# RSA key whose public half is registered at Digdir, and its key id OIDC_PRIVATE_KEY_ID).
OIDC_CLIENT_AUTH_METHOD = env_str("OIDC_CLIENT_AUTH_METHOD", "client_secret_post")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "")
OIDC_RP_PRIVATE_KEY_FILE = env_str("OIDC_PRIVATE_KEY_FILE", "")
OIDC_RP_PRIVATE_KEY_ID = env_str("OIDC_PRIVATE_KEY_ID", "")
# The assurance level asked for; a token must carry it or a stronger one. Empty: the
# provider's "substantial" (idporten-loa-substantial / substantial).
OIDC_ACR_VALUES = env_str("OIDC_ACR_VALUES", "")
# Ansattporten only: the Rich Authorization Request (JSON) whose Altinn service or resource
# decides which organisations the person may choose to act for. Empty: no organisation picker.
OIDC_AUTHORIZATION_DETAILS = env_str("OIDC_AUTHORIZATION_DETAILS", "")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid profile")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "identity:callback"
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT", 10)  # seconds for each call to the provider
OIDC_METADATA_TTL = env_int("OIDC_METADATA_TTL", 60 * 60 * 24)
OIDC_LEEWAY = 30  # seconds of clock difference allowed on a token's times
OIDC_STATE_MAX_AGE = 60 * 15  # a login not back from the provider within this is refused

# Login throttling, two locks that count usernames that do not exist like those that do:
# - five failures for the same username from the same address lock that pair out
#   for 15 minutes (django-axes);
# - twenty failures for one username from any addresses within an hour lock that
#   username for 15 minutes, then counting starts afresh (tilskudd/accounts/throttle.py),
#   so guessing spread over many addresses is slowed too.
# The lockout page says "15 minutes": both locks last _LOCKOUT_TIME.
_LOCKOUT_TIME = timedelta(minutes=15)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = _LOCKOUT_TIME
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "tilskudd.accounts.throttle.client_ip"
LOGIN_USERNAME_FAILURE_LIMIT = 20
LOGIN_USERNAME_FAILURE_WINDOW = timedelta(hours=1)
LOGIN_USERNAME_LOCKOUT_TIME = _LOCKOUT_TIME

# Two-step login (tilskudd/accounts/twofactor.py). A session is a strong login when it
# passed the second step (a code from an authenticator app, or a recovery code), or when
# it came from ID-porten or Ansattporten at one of these levels (the OpenID Connect login
# writes the level into the session as "login_acr"). Approving needs a strong login.
# ID-porten names its levels idporten-loa-*, Ansattporten plain substantial/high (tilskudd/identity/provider.py).
STRONG_LOGIN_ACR = tuple(
    env_list("STRONG_LOGIN_ACR", ["idporten-loa-substantial", "idporten-loa-high", "substantial", "high"])
)
# The name authenticator apps show next to the codes.
OTP_TOTP_ISSUER = "Kompetanse- og innovasjonstilskudd"
# Wrong codes wait 1, 2, 4, 8 … seconds before the next try (django-otp's throttling, per device).
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
# The admin's device pages never show a secret key.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# A password login waits this long for its code before it must start again.
TWO_STEP_PENDING_SECONDS = 10 * 60

# The client's address (for both locks and the reset limits) is REMOTE_ADDR unless this
# says how many reverse proxies of ours stand in front of Django, each appending to
# X-Forwarded-For; then the entry our outermost proxy wrote is used. Off by default, so
# nobody can pick their own address with a header. Set it only behind proxies that
# always append to X-Forwarded-For.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# The API's rate limits (tilskudd/api/security.py): requests per token, and per client
# address whoever is calling. More get 429 with Retry-After. Counted in CACHES["shared"].
API_RATE_PER_TOKEN = env_str("API_RATE_PER_TOKEN", "600/min")
API_RATE_PER_ADDRESS = env_str("API_RATE_PER_ADDRESS", "1200/min")

# Two caches. "default" is each process's own memory (nothing in the app needs more).
# "shared" holds what every server process must count together, the API's rate limits:
# in production the database (a table the migrations make, so `make serve` needs nothing
# more), so two gunicorn workers or two app servers count one token's requests as one;
# in development and tests each process's memory, unless SHARED_CACHE=database.
# (A Redis cache would serve as well: Django's RedisCache needs the `redis` package,
# which is not among the project's locked dependencies.)
SHARED_CACHE_TABLE = "tilskudd_shared_cache"  # made by tilskudd/api/migrations/0002_shared_cache_table.py
SHARED_CACHE = env_str("SHARED_CACHE", "database" if PRODUCTION else "memory")
if SHARED_CACHE not in ("database", "memory"):
    raise ImproperlyConfigured("SHARED_CACHE is database or memory")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": (
        {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": SHARED_CACHE_TABLE,
            # one row per token and per address seen in the last minute; Django's default of 300
            # would cull counts still running once more than 300 callers came in a minute
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
        if SHARED_CACHE == "database"
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared"}
    ),
}

# Password reset by e-mail: the link works for two hours and once. At most ten requests
# an hour from one address (more get a "too many requests" page) and three e-mails an
# hour to one address (more are silently not sent, so nothing tells whether it has an
# account). The e-mail is sent by the background worker, so the answer takes the same
# time whether or not the address belongs to someone.
PASSWORD_RESET_TIMEOUT = 60 * 60 * 2
PASSWORD_RESET_LIMIT_PER_ADDRESS = 10
PASSWORD_RESET_LIMIT_PER_EMAIL = 3
PASSWORD_RESET_LIMIT_WINDOW = timedelta(hours=1)
# An administrator's invitation to take a role (tilskudd.accounts.invitations) works for
# this many days after it is e-mailed; the administrator can send it again.
INVITATION_DAYS = env_int("INVITATION_DAYS", 14)

# --- Language and time ----------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål"), ("nn", "Norsk nynorsk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "tilskudd" / "locale"]
LANGUAGE_COOKIE_NAME = "sprak"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------
# Designsystemet, its font and htmx come from npm (package-lock.json) and are served
# straight out of node_modules by WhiteNoise: nothing is fetched from a CDN.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
if not PRODUCTION:
    STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns about a missing root; dev serves from finders
    WHITENOISE_USE_FINDERS = True
_NODE = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    BASE_DIR / "tilskudd" / "static",
    ("vendor/designsystemet", _NODE / "@digdir" / "designsystemet-css" / "dist"),
    ("vendor/inter", _NODE / "@fontsource" / "inter"),
    ("vendor/htmx", _NODE / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploads are private: stored outside anything served, handed out only by views
# that check permission.
MEDIA_ROOT = VAR_DIR / "uploads"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 10_485_760

# --- Background work -----------------------------------------------------------
# The Tasks API (django-tasks, the backport of Django 6's django.tasks) with the
# database backend: `manage.py db_worker` runs what the web requests enqueue.
# Tests run tasks in-process with the immediate backend unless they start a worker.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# --- E-mail -----------------------------------------------------------------------
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds; a send that hangs longer fails, so a letter's claim on its e-mail
# (decisions.issuing.SENDING_LEASE) only ever expires for a worker that stopped.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", "Kompetanse- og innovasjonstilskudd <ikke-svar@tilskudd.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security headers ---------------------------------------------------------------
# No inline script or style anywhere: every page must work under this policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# A login ends after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after it
# began whatever happens (tilskudd/logins/middleware.py); the next request is sent to the
# login page with a message saying why. The cookie outlives the maximum by the idle time, so
# a browser that comes back is told why rather than finding itself quietly logged out.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 12)
if SESSION_IDLE_MINUTES < 1 or SESSION_MAX_HOURS < 1:
    raise ImproperlyConfigured("SESSION_IDLE_MINUTES and SESSION_MAX_HOURS must be at least 1")
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 60 * 60 + SESSION_IDLE_MINUTES * 60
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "tilskudd.home.views.csrf_failure"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set in production")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Name and contact shown in the header and footer of every page.
SERVICE_NAME = "Kompetanse- og innovasjonstilskudd"
SERVICE_CONTACT_EMAIL = env_str("SERVICE_CONTACT_EMAIL", "tilskudd@statsforvalteren.example")
