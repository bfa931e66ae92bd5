"""Production hardening: headers, cookies, client address, sessions, rate limits, errors."""

import json
import logging
import os
import socket
import subprocess
import sys
import threading
from contextlib import contextmanager
from http.client import HTTPConnection
from pathlib import Path

import pytest
from django.test import Client, RequestFactory
from django.urls import include, path, reverse

from profiles.models import Profile, SkillProgress

from .factories import SkillFactory, UserFactory
from .urlconf import Site, routes

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a-different-long-passphrase-77"


@pytest.fixture
def production_cookies(settings):
    """The cookie settings that production runs with (tests run on plain http)."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.LANGUAGE_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    settings.LANGUAGE_COOKIE_NAME = "__Host-language"
    settings.MESSAGE_COOKIE_NAME = "__Host-messages"
    settings.SECURE_HSTS_SECONDS = 31536000


def production_settings(**env) -> dict:
    """Settings as a production process sees them, read in a fresh interpreter."""
    names = [
        "SESSION_COOKIE_NAME",
        "CSRF_COOKIE_NAME",
        "LANGUAGE_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_HTTPONLY",
        "SESSION_COOKIE_SAMESITE",
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
        "SESSION_ENGINE",
        "ALLAUTH_TRUSTED_PROXY_COUNT",
        "MESSAGE_COOKIE_NAME",
        "ACCOUNT_EMAIL_VERIFICATION",
        "ACCOUNT_PREVENT_ENUMERATION",
    ]
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"names = {names!r}; "
        "out = {n: getattr(settings, n) for n in names}; "
        "out['CACHE'] = settings.CACHES['default']['BACKEND']; "
        "out['PROXY_SSL'] = getattr(settings, 'SECURE_PROXY_SSL_HEADER', None); "
        "print(json.dumps(out))"
    )
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "example.com",
        "DEBUG": "0",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


# Settings as production reads them from the environment ----------------------------


def test_production_cookies_are_secure_httponly_samesite_and_host_prefixed():
    values = production_settings()
    assert values["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert values["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert values["LANGUAGE_COOKIE_NAME"] == "__Host-language"
    assert values["MESSAGE_COOKIE_NAME"] == "__Host-messages"
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"] and values["CSRF_COOKIE_HTTPONLY"]
    assert values["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_SSL_REDIRECT"] is True


def test_without_redis_one_server_shares_its_cache_on_disk_and_sessions_in_the_database():
    values = production_settings()
    assert values["CACHE"].endswith("FileBasedCache")
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_with_redis_cache_sessions_and_rate_limits_are_shared():
    values = production_settings(REDIS_URL="redis://127.0.0.1:6379/0")
    assert values["CACHE"].endswith("RedisCache")
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_forwarded_headers_are_believed_only_behind_a_configured_proxy():
    direct = production_settings()
    assert direct["ALLAUTH_TRUSTED_PROXY_COUNT"] == 0 and direct["PROXY_SSL"] is None
    proxied = production_settings(TRUSTED_PROXY_COUNT="1")
    assert proxied["ALLAUTH_TRUSTED_PROXY_COUNT"] == 1
    assert proxied["PROXY_SSL"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_production_refuses_to_start_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "Set SECRET_KEY" in result.stderr


# Headers -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/tracks/", "/accounts/login/", "/me/", "/no-such-page/"])
def test_security_headers_on_pages(client, mentee, production_cookies, url):
    client.force_login(mentee)
    response = client.get(url, secure=True)
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_carry_no_inline_script_or_style(client, mentee):
    client.force_login(mentee)
    for url in ["/", "/tracks/", "/me/", "/me/settings/", "/accounts/login/"]:
        html = client.get(url).content.decode()
        assert "<script>" not in html and "<script type=" not in html, url
        assert "<style" not in html and ' style="' not in html, url
        assert " onclick=" not in html and " onload=" not in html, url


def test_cookies_set_in_production_form(client, production_cookies):
    client.get(reverse("account_login"), secure=True)
    response = client.post(
        reverse("account_login"), {"login": "x@example.com", "password": "nope"}, secure=True
    )
    csrf = client.cookies["__Host-csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    assert csrf["path"] == "/" and not csrf["domain"]
    user = UserFactory(email="me@example.com")
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session = client.cookies["__Host-sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert session["path"] == "/" and not session["domain"]


# Client address behind proxies -------------------------------------------------------


def failed_logins(address: str, forwarded: str | None, attempts: int):
    client = Client(REMOTE_ADDR=address)
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    statuses = []
    for n in range(attempts):
        response = client.post(
            reverse("account_login"),
            {"login": f"nobody{n}@example.com", "password": "wrong"},
            **headers,
        )
        statuses.append(response.status_code)
    return statuses


def test_without_a_trusted_proxy_a_forged_forwarded_for_does_not_dodge_the_limit(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "3/m/ip"}
    statuses = []
    for n in range(4):
        # Each attempt claims a different client: ignored, the socket address counts.
        statuses += failed_logins("203.0.113.5", f"198.51.100.{n}", 1)
    assert statuses[-1] == 429


def test_behind_one_trusted_proxy_each_client_has_its_own_limit(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ACCOUNT_RATE_LIMITS = {"login": "3/m/ip"}
    # The proxy (10.0.0.1) appends the address it saw; what a client wrote before it
    # (the forged first entry) is not believed.
    assert failed_logins("10.0.0.1", "6.6.6.6, 198.51.100.1", 4)[-1] == 429
    assert failed_logins("10.0.0.1", "6.6.6.6, 198.51.100.2", 1) == [200]
    assert failed_logins("10.0.0.1", "7.7.7.7, 198.51.100.2", 3)[-1] == 429


# Sessions ----------------------------------------------------------------------------


def log_in(client, user):
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client.cookies["sessionid"].value


def test_logging_in_gives_a_new_session_key(client):
    user = UserFactory()
    client.get(reverse("account_login"))
    client.session["before"] = True  # an anonymous session exists first
    anonymous = client.session.session_key
    assert log_in(client, user) != anonymous


def test_old_session_cookie_is_useless_after_logout(client):
    user = UserFactory()
    old = log_in(client, user)
    client.post(reverse("account_logout"))
    replay = Client()
    replay.cookies["sessionid"] = old
    response = replay.get(reverse("profiles:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_password_change_ends_the_other_sessions_but_keeps_this_one(client):
    user = UserFactory()
    log_in(client, user)
    elsewhere = Client()
    log_in(elsewhere, user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get(reverse("profiles:dashboard")).status_code == 200
    response = elsewhere.get(reverse("profiles:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# Rate limits on our own actions -----------------------------------------------------


def test_status_changes_are_rate_limited_per_user_with_a_clear_message(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {"change_skill_status": "3/m/user"}
    user = UserFactory()
    skill = SkillFactory()
    client.force_login(user)
    url = reverse("profiles:set_status", args=[skill.slug])
    statuses = ["learning", "done", "learning", "done"]
    responses = [client.post(url, {"status": status}) for status in statuses]
    assert [r.status_code for r in responses] == [302, 302, 302, 429]
    assert "many changes in a short time" in responses[-1].content.decode()
    assert SkillProgress.objects.get(user=user, skill=skill).status == "learning"
    # Over htmx the control comes back with the message (htmx swaps 429 answers).
    response = client.post(url, {"status": "done"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 429 and "many changes" in response.content.decode()
    # Another user has a limit of their own.
    other = Client()
    other.force_login(UserFactory())
    assert other.post(url, {"status": "done"}).status_code == 302


def test_mentor_invitations_are_rate_limited(client, mentee, settings):
    settings.ACCOUNT_RATE_LIMITS = {"invite_mentor": "2/h/user"}
    client.force_login(mentee)
    url = reverse("profiles:invite")
    assert client.post(url, {"email": ""}).status_code == 302
    assert client.post(url, {"email": ""}).status_code == 302
    response = client.post(url, {"email": ""})
    assert response.status_code == 429
    assert "many invitations" in response.content.decode()


# Error pages, health and request logs -------------------------------------------------


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Too many requests"), ("zh-hans", "请求过于频繁")],
)
def test_rate_limit_page_is_in_the_layout_and_the_language(client, settings, language, title):
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.post(reverse("account_login"), {"login": "a@example.com", "password": "x"})
    response = client.post(reverse("account_login"), {"login": "a@example.com", "password": "x"})
    assert response.status_code == 429
    html = response.content.decode()
    assert title in html and 'class="site-header"' in html and f'lang="{language}"' in html


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "The form has expired"), ("zh-hans", "表单已过期")],
)
def test_csrf_failure_page_is_in_the_layout_and_the_language(mentee, settings, language, title):
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentee)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(reverse("profiles:settings"), {})
    assert response.status_code == 403
    assert title in response.content.decode()


def test_bad_host_is_a_400_page(client):
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Something went wrong"), ("zh-hans", "出错了")],
)
def test_server_error_page_needs_no_request_and_speaks_the_language(language, title):
    from django.utils import translation
    from django.views.defaults import server_error

    with translation.override(language):
        response = server_error(RequestFactory().get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert title in html and 'class="site-header"' in html
    assert "language-switcher" not in html  # it would need a CSRF token


def test_healthz_reports_database_and_no_secrets(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_redis_when_configured(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body == {"status": "error", "database": "ok", "redis": "unreachable"}
    assert "127.0.0.1:1" not in response.content.decode()


def test_each_request_is_logged_on_one_line_without_secrets(client, mentee, caplog):
    client.force_login(mentee)
    with caplog.at_level(logging.INFO, logger="skillpath.requests"):
        client.get("/tracks/?q=secret-query")
        client.get("/mentoring/accept/abcdefghijklmnop/")
    lines = [r.getMessage() for r in caplog.records if r.name == "skillpath.requests"]
    assert len(lines) == 2
    assert lines[0].startswith("GET /tracks/ 200 ")
    assert f"user={mentee.pk}" in lines[0] and "ip=127.0.0.1" in lines[0]
    assert "secret-query" not in lines[0]
    assert "abcdefghijklmnop" not in lines[1] and "/mentoring/accept/<token>/" in lines[1]


def test_a_path_cannot_forge_a_log_line(client, caplog):
    with caplog.at_level(logging.INFO, logger="skillpath.requests"):
        client.get("/skills/x%0D%0AGET%20/admin/%20200/")
    (line,) = [r.getMessage() for r in caplog.records if r.name == "skillpath.requests"]
    assert "\n" not in line and "\r" not in line
    assert line.startswith("GET /skills/x%0D%0AGET%20/admin/%20200/ 404 ")


@pytest.mark.parametrize("url", ["/", "/tracks/", "/healthz"])
def test_head_is_answered_like_get_without_a_body(client, url):
    response = client.head(url)
    assert response.status_code == 200 and response.content == b""


def test_a_request_is_logged_even_when_its_user_cannot_be_loaded(caplog):
    """With the database down, reading request.user fails again: the line must still come."""
    from django.db import OperationalError
    from django.http import HttpResponseServerError
    from django.utils.functional import SimpleLazyObject

    from config.middleware import RequestLogMiddleware

    def database_down():
        raise OperationalError("connection refused")

    request = RequestFactory().get("/me/")
    request.user = SimpleLazyObject(database_down)
    middleware = RequestLogMiddleware(lambda request: HttpResponseServerError())
    with caplog.at_level(logging.INFO, logger="skillpath.requests"):
        response = middleware(request)
    assert response.status_code == 500
    (line,) = [r.getMessage() for r in caplog.records if r.name == "skillpath.requests"]
    assert line.startswith("GET /me/ 500 ") and "user=-" in line


# Finding 1: one rate-limited path for every password check ------------------------------


def test_the_sixth_wrong_password_for_a_staff_account_is_refused_through_any_form(
    client, superuser
):
    learner = Client()
    learner.force_login(UserFactory())
    left_open = Client()  # a staff session someone left open: its forms check passwords too
    left_open.force_login(superuser)
    wrong = {"login": superuser.email, "password": "guess-1"}
    change = {"oldpassword": "guess-4", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    attempts = [
        client.post(reverse("account_login"), wrong),
        client.post(reverse("account_login"), {**wrong, "login": superuser.email.upper()}),
        left_open.post(reverse("profiles:delete"), {"password": "guess-3"}),
        left_open.post(reverse("account_change_password"), change),
        client.post(reverse("account_login"), {**wrong, "password": "guess-5"}),
    ]
    assert [r.status_code for r in attempts] == [200] * 5
    assert "Too many" not in attempts[-1].content.decode()
    # The admin has no password form of its own, for anyone: nothing to guess there.
    admin_login = {"username": superuser.username, "password": PASSWORD}
    response = client.post("/admin/login/", admin_login)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert learner.post("/admin/login/", admin_login).status_code == 403
    assert learner.get("/admin/login/").status_code == 403
    assert client.get("/admin/").status_code == 302  # still not signed in
    # The sixth wrong password, from any form, is refused; so is the right one for now.
    sixth = left_open.post(reverse("profiles:delete"), {"password": "guess-6"})
    assert "Too many failed login attempts" in sixth.content.decode()
    right = client.post(reverse("account_login"), {"login": superuser.email, "password": PASSWORD})
    assert right.status_code == 200 and "Too many failed login attempts" in right.content.decode()
    deleting = left_open.post(reverse("profiles:delete"), {"password": PASSWORD})
    assert deleting.status_code == 200 and type(superuser).objects.filter(pk=superuser.pk).exists()


def test_the_per_account_limit_ignores_the_port_in_the_host_header(client, superuser):
    for port in range(1, 7):
        response = client.post(
            reverse("account_login"),
            {"login": superuser.email, "password": "guess"},
            HTTP_HOST=f"localhost:{port}",
            REMOTE_ADDR=f"198.51.100.{port}",
        )
    assert "Too many failed login attempts" in response.content.decode()


def test_staff_reach_the_admin_and_its_password_change_is_allauths(client, superuser):
    client.force_login(superuser)
    response = client.get("/admin/login/?next=/admin/careers/")
    assert response.status_code == 302 and response["Location"] == "/admin/careers/"
    assert client.get("/admin/password_change/")["Location"] == reverse("account_change_password")


# Finding 3: bodies that cannot be read ----------------------------------------------------


def assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "private" in response["Cache-Control"]


def test_a_latin1_form_with_a_valid_csrf_token_gets_the_400_page(production_cookies, caplog):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("account_login"), secure=True)
    token = client.cookies["__Host-csrftoken"].value
    with caplog.at_level(logging.INFO, logger="skillpath.requests"):
        response = client.generic(
            "POST",
            reverse("account_login"),
            f"csrfmiddlewaretoken={token}&login=caf\xe9&password=x".encode("latin-1"),
            content_type="application/x-www-form-urlencoded; charset=latin-1",
            secure=True,
            HTTP_REFERER="https://testserver/accounts/login/",
        )
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
    assert_security_headers(response)
    lines = [r.getMessage() for r in caplog.records if r.name == "skillpath.requests"]
    assert [line for line in lines if line.startswith("POST")] == [lines[-1]]
    assert lines[-1].startswith("POST /accounts/login/ 400 ")


# Every status carries the headers -----------------------------------------------------------


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), path("", include("config.urls"))]


def test_every_status_carries_the_security_headers(production_cookies, settings, mentee, caplog):
    settings.ROOT_URLCONF = __name__
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    settings.ACCOUNT_RATE_LIMITS = {"login": "1/m/ip"}
    client = Client(raise_request_exception=False)
    signed_in = Client()
    signed_in.force_login(mentee)
    latin1 = "application/x-www-form-urlencoded; charset=latin-1"
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(mentee)
    login = reverse("account_login")
    responses = {
        400: client.generic("POST", login, b"login=\xe9", content_type=latin1, secure=True),
        403: csrf.post(reverse("profiles:settings"), {}, secure=True),
        404: client.get("/no-such-page/", secure=True),
        405: signed_in.get(reverse("profiles:set_target"), secure=True),
        413: client.post(login, {"login": "x" * 2000}, secure=True),
        414: client.get("/" + "a" * 5000, secure=True),
        429: [
            client.post(login, {"login": "a@example.com", "password": "x"}, secure=True)
            for _ in range(2)
        ][-1],
        500: client.get("/boom/", secure=True),
    }
    for status, response in responses.items():
        assert response.status_code == status, (status, response.status_code)
        assert_security_headers(response)
    # 403 for a learner at the admin's door, too.
    assert_security_headers(signed_in.get("/admin/login/", secure=True))


# Finding 5: gunicorn believes forwarded headers exactly when the settings do --------------


@contextmanager
def gunicorn(tmp_path, **env):
    """A real gunicorn on a free loopback port, started from config/gunicorn.py."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "s" * 50,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'gunicorn.sqlite3'}",
        "CACHE_DIR": str(tmp_path / "cache"),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        **env,
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(300):  # up to 30 s on a busy machine
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert server.poll() is None, "gunicorn exited"
                threading.Event().wait(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def http(port, method, path, body=None, headers=None):
    connection = HTTPConnection("127.0.0.1", port, timeout=20)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def test_gunicorn_without_a_trusted_proxy_ignores_forwarded_proto(tmp_path):
    token = "t" * 32
    with gunicorn(tmp_path, TRUSTED_PROXY_COUNT="0") as port:
        forged = {"X-Forwarded-Proto": "https"}
        response = http(port, "GET", "/healthz", headers=forged)
        assert response.status == 200
        assert response.getheader("Strict-Transport-Security") is None
        # A form posted over http with a forged https header and no Referer: the CSRF check
        # treats it as the http request it is (https would demand a Referer: 403).
        response = http(
            port,
            "POST",
            "/i18n/setlang/",
            body=f"csrfmiddlewaretoken={token}&language=zh-hans&next=/",
            headers={
                **forged,
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"__Host-csrftoken={token}",
            },
        )
        assert response.status == 302


def test_gunicorn_behind_one_trusted_proxy_believes_forwarded_proto(tmp_path):
    with gunicorn(tmp_path, TRUSTED_PROXY_COUNT="1") as port:
        response = http(port, "GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
        assert response.status == 200
        assert response.getheader("Strict-Transport-Security").startswith("max-age=31536000")
        response = http(port, "GET", "/healthz")
        assert response.getheader("Strict-Transport-Security") is None


# Finding 6: the configured language cookie ------------------------------------------------


def test_a_saved_language_wins_over_the_switcher_with_production_cookies(
    production_cookies, client, mentee
):
    client.force_login(mentee)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"}, secure=True)
    assert client.cookies["__Host-language"].value == "zh-hans"
    assert '<html lang="zh-hans">' in client.get("/tracks/", secure=True).content.decode()
    form = {"weekly_hours": 8, "visibility": "mentors", "language": "en", "background": ""}
    response = client.post(reverse("profiles:settings"), form, secure=True)
    assert response.status_code == 302
    deleted = response.cookies["__Host-language"]
    assert deleted.value == "" and deleted["max-age"] == 0 and deleted["secure"]
    assert '<html lang="en">' in client.get("/tracks/", secure=True).content.decode()


# Finding 9: personal pages are never kept by a shared cache --------------------------------


def test_every_page_of_the_urlconf_is_private_for_every_role():
    site = Site()
    for route in routes():
        for role, client in site.clients.items():
            response = client.get(site.url(route))
            if response.get("Content-Type", "").startswith(("text/css", "application/javascript")):
                continue
            cache_control = response.get("Cache-Control", "")
            assert "private" in cache_control or "no-store" in cache_control, (role, route)
            assert "public" not in cache_control, (role, route)


def test_personal_pages_say_private_no_cache_and_the_export_no_store(client, mentee):
    Profile.objects.filter(user=mentee).update(visibility="public")
    assert Client().get(f"/u/{mentee.username}/")["Cache-Control"] == "private, no-cache"
    client.force_login(mentee)
    for url in ["/me/", "/me/settings/", "/me/history/", "/me/mentors/", f"/u/{mentee}/"]:
        assert client.get(url)["Cache-Control"] == "private, no-cache", url
    assert client.get("/me/export/")["Cache-Control"] == "private, no-store"


# Finding 10: hardening ------------------------------------------------------------------------


def test_the_messages_cookie_is_host_prefixed(production_cookies, client, mentee):
    client.force_login(mentee)
    form = {"weekly_hours": 8, "visibility": "mentors", "language": "", "background": ""}
    response = client.post(reverse("profiles:settings"), form, secure=True)
    cookie = response.cookies["__Host-messages"]
    assert cookie["secure"] and cookie["httponly"] and cookie["path"] == "/"
    assert not cookie["domain"] and "messages" not in response.cookies
    page = client.get(reverse("profiles:settings"), secure=True).content.decode()
    assert "Your settings are saved." in page


def test_e_mail_links_never_take_a_port_from_the_host_header(client, mentee, settings):
    from django.core import mail

    settings.CONFIGURED_SITE_URL = ""
    response = client.post(
        reverse("account_reset_password"), {"email": mentee.email}, HTTP_HOST="localhost:1"
    )
    assert response.status_code == 400 and not mail.outbox
    settings.CONFIGURED_SITE_URL = "https://skillpath.example.com"
    client.post(reverse("account_reset_password"), {"email": mentee.email}, HTTP_HOST="localhost:1")
    (message,) = mail.outbox
    assert "https://skillpath.example.com/accounts/password/reset/key/" in message.body
    assert "localhost:1" not in message.body


def test_mentor_invitation_links_come_from_the_site_url(client, mentee, settings):
    settings.CONFIGURED_SITE_URL = "https://skillpath.example.com"
    client.force_login(mentee)
    response = client.post(reverse("profiles:invite"), {"email": ""}, follow=True)
    assert "https://skillpath.example.com/mentoring/accept/" in response.content.decode()


def test_mentors_see_where_each_evidence_link_leads(client, mentee):
    from profiles.models import Mentorship
    from profiles.progress import set_progress

    mentor = UserFactory(username="guide")
    Mentorship.objects.create(mentee=mentee, mentor=mentor)
    set_progress(mentee, SkillFactory(), status="done", evidence_url="https://github.com/me/x")
    client.force_login(mentor)
    page = client.get(f"/u/{mentee.username}/").content.decode()
    assert "Evidence on github.com:" in page


def test_allauths_reauthentication_counts_toward_the_same_limit(client, superuser):
    """/accounts/reauthenticate/ checks a password too: its failures count with the others."""
    left_open = Client()
    left_open.force_login(superuser)
    for n in range(5):
        response = left_open.post(reverse("account_reauthenticate"), {"password": f"guess-{n}"})
        assert response.status_code == 200 and "Too many" not in response.content.decode()
    right = client.post(reverse("account_login"), {"login": superuser.email, "password": PASSWORD})
    assert right.status_code == 200 and "Too many failed login attempts" in right.content.decode()
