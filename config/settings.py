"""SkillPath settings: one module, configured from environment variables."""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
# Set by the test run (pyproject.toml's [tool.pytest.ini_options] env, through pytest-env):
# a local-development key, memory cache, plain-http cookies and a fast password hasher,
# whatever happens to be imported. Never set it on a server.
TESTING = env_bool("DJANGO_TESTING")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105
elif not DEBUG and (SECRET_KEY.startswith("django-insecure") or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured("SECRET_KEY must be a random string of 32+ characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Where links in e-mails and invitations point: SITE_URL, else the first trusted origin,
# never the request's Host header. With neither (local development), links made during a
# request use its host with the port checked (config.middleware.site_absolute_uri), and
# mail sent outside a request (the weekly digest) the development server's address.
CONFIGURED_SITE_URL = os.environ.get("SITE_URL") or (
    CSRF_TRUSTED_ORIGINS[0] if CSRF_TRUSTED_ORIGINS else ""
)
SITE_URL = (CONFIGURED_SITE_URL or "http://127.0.0.1:8000").rstrip("/")
# How many reverse proxies in front of the app we control. Only their X-Forwarded-For
# and X-Forwarded-Proto are believed; with 0 (no proxy) both headers are ignored, so a
# client cannot pick the address that rate limits count against.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
REDIS_URL = os.environ.get("REDIS_URL", "")

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    # The admin site with one login (allauth's) and safe actions: config/admin.py.
    "config.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.github",
    "allauth.socialaccount.providers.google",
    "careers",
    "profiles",
    "demo",  # generate_demo_data: demo and benchmark data, apart from the product
]
# The people's layer over the content pages (careers.personal.PersonalLayer): careers
# reaches profiles only through this object, never by import.
SKILLPATH_PERSONAL_LAYER = "profiles.personal_layer.LAYER"

MIDDLEWARE = [
    "config.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # One read of the content version per request, for the visitor cache and the pages.
    "config.middleware.OneContentVersionMiddleware",
    # Inside the security headers and the request log, before the session: a visitor's
    # public page from the cache skips everything below (config/visitor_cache.py).
    "config.visitor_cache.VisitorPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "profiles.middleware.PreferredLanguageMiddleware",
    "profiles.middleware.TimeZoneMiddleware",
    "config.middleware.PrivateCacheMiddleware",
    # Last, so its refusals pass back through every middleware above (headers, log line).
    "config.middleware.RequestGuardMiddleware",
]

if os.environ.get("DATABASE_REPLICA_URL"):
    # Outside the session middleware: the session itself is read through the router.
    MIDDLEWARE.insert(1, "config.replicas.ReplicaMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # After Django's own CSRF token, which it replaces on cached pages.
                "config.visitor_cache.csrf_placeholder",
            ],
            "libraries": {"page_shell": "config.page_shell", "fragments": "config.fragments"},
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# PostgreSQL receives each query and its values apart, so psycopg does not write the
# values into the SQL in Python: a signed-in track page serves about a tenth more requests a
# second (docs/performance.md). Prepared statements stay off, as Django leaves them, so a
# connection pooler in front keeps working. 0 goes back to binding on the client.
SERVER_SIDE_BINDING = os.environ.get("DATABASE_SERVER_SIDE_BINDING", "1") == "1"
# An optional read replica (PostgreSQL streaming replication): requests read from it
# unless they must see a write (config/replicas.py); writes always go to the primary.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.replicas.ReplicaRouter"]
    # How long after a write the writer's reads stay on the primary, on every server.
    REPLICA_STICKY_SECONDS = int(os.environ.get("REPLICA_STICKY_SECONDS", "5"))
for database in DATABASES.values():
    if database["ENGINE"] == "django.db.backends.postgresql" and SERVER_SIDE_BINDING:
        database.setdefault("OPTIONS", {})["server_side_binding"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# Accounts (django-allauth): e-mail and password, log in by e-mail.
ACCOUNT_LOGIN_METHODS = {"email"}
# E-mails name the site from here, not from the request's host ("Hello from 127.0.0.1");
# the domain they give is SITE_URL's host (profiles.emails.current_site).
SITE_NAME = os.environ.get("SITE_NAME", "SkillPath")
# profiles.emails' adapter (mail named from settings), with one key per account for the
# failed-login limit (config.accounts).
ACCOUNT_ADAPTER = "config.accounts.AccountAdapter"
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# Mandatory confirmation lets allauth's enumeration prevention work: signing up with an
# address that has an account answers exactly like a new one, and its owner gets a mail.
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_PREVENT_ENUMERATION = True
# Confirming in the browser that signed up signs in and goes on to onboarding.
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SIGNUP_REDIRECT_URL = "/me/welcome/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# allauth's rate limits are on by default and count in the cache (CACHES), shared by
# every app server when REDIS_URL is set. Every password check on the site goes through
# allauth's adapter (profiles.passwords), so its failed-login limits (per address and per
# account) count attempts from every form; the admin has no login form of its own
# (config/admin.py). Our own actions add two limits.
ACCOUNT_RATE_LIMITS = {
    "change_skill_status": os.environ.get("RATE_LIMIT_STATUS", "120/m/user"),
    "invite_mentor": os.environ.get("RATE_LIMIT_INVITE", "20/h/user"),
    # Job-posting analyses: cheap, but not free; visitors are counted by address.
    "analyse_job": os.environ.get("RATE_LIMIT_JOB_USER", "30/m/user"),
    "analyse_job_ip": os.environ.get("RATE_LIMIT_JOB_IP", "60/m/ip"),
}
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ACCOUNT_FORMS = {
    "change_password": "config.accounts.RateLimitedChangePasswordForm",
    "reset_password_from_key": "config.accounts.PlainResetPasswordKeyForm",
}
# Sign-in with GitHub or Google, each offered only when its OAuth client is configured.
SOCIALACCOUNT_PROVIDERS = {
    provider: {
        "APPS": [
            {
                "client_id": os.environ[f"{prefix}_CLIENT_ID"],
                "secret": os.environ[f"{prefix}_CLIENT_SECRET"],
            }
        ],
        "SCOPE": scope,
    }
    for provider, prefix, scope in [
        ("github", "GITHUB", ["user:email"]),
        ("google", "GOOGLE", ["profile", "email"]),
    ]
    if os.environ.get(f"{prefix}_CLIENT_ID") and os.environ.get(f"{prefix}_CLIENT_SECRET")
}
SOCIALACCOUNT_ADAPTER = "profiles.social.SocialAccountAdapter"
# A provider's verified e-mail is trusted, so no second confirmation mail is needed. Only an
# address the provider itself reports verified signs into (and auto-connects to) an existing
# account: profiles.social's adapter ignores VERIFIED_EMAIL overrides and checks the flag.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_LOGIN_ON_GET = False
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/me/"

if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    # Development: print mail to the console (tests use Django's in-memory outbox).
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SkillPath <noreply@skillpath.local>")

if TESTING:
    # PBKDF2 at a million iterations costs about 0.2 s per created user; tests check
    # who may log in, not how hard a stolen hash is to crack.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in each language's own form ("1 Dec 2026", "2026年12月1日"), not Django's US default.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Serve straight from the app directories in development (no collectstatic). Not in tests:
# WhiteNoise would walk every static file for each new test client (0.1 s each), and the
# browser tests' live server serves static files itself.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# The cache holds rate-limit counters and the content version, so every process that
# serves requests must see the same one: Redis when several servers share the work; a
# directory on disk for the workers of a single production server; memory locally.
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's backend, reusing its Redis client object (config/cache.py).
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "skillpath",
        }
    }
    # Sessions live in the database (never lost with the cache) and are read via Redis.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif DEBUG or TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
        }
    }

# Visitors' public pages (config/visitor_cache.py), in each process's memory: a page is
# 10-50 KB, and a warm one then costs the content version's round trip to the cache only.
CACHES["visitor_pages"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "visitor-pages",
    # Short enough that a page rendered from a lagging read replica right after an edit
    # cannot outlive the edit by more than this.
    "TIMEOUT": 600,
    "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("VISITOR_PAGES_MAX", "1000"))},
}

# Production hardening; DEBUG (local development) runs on plain http.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG and not TESTING)
if TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Cookies: Secure outside local development, so they can carry the __Host- prefix
# (the browser then refuses them from http, from another path or from a subdomain).
# The CSRF token reaches htmx through the page (hx-headers), so scripts never need
# the cookie and it can be HttpOnly too.
SECURE_COOKIES = not (DEBUG or TESTING)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
MESSAGE_COOKIE_NAME = "messages"
if SECURE_COOKIES:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
    MESSAGE_COOKIE_NAME = "__Host-messages"
# Django names the messages cookie in code; this storage takes the name above.
MESSAGE_STORAGE = "config.messages.HostPrefixedFallbackStorage"

# Content-Security-Policy (django-csp): everything from our own origin, no inline
# script or style, no framing. Static files are vendored, so nothing else is needed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# One line per request from config.middleware.RequestLogMiddleware; Django's own
# request loggers would repeat 4xx lines, so they only report errors (with tracebacks).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR"},
        "skillpath.requests": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
        # WeasyPrint (the transcript's PDF) logs every layout step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
