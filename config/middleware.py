import logging
import re
import time
from functools import partial
from urllib.parse import quote, urljoin, urlsplit

from allauth.core.internal.httpkit import get_client_ip
from django.conf import settings
from django.core.exceptions import (
    BadRequest,
    DisallowedHost,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.http import Http404, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.http.request import split_domain_port
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from careers.catalogue import one_content_version

logger = logging.getLogger("skillpath.requests")


class OneContentVersionMiddleware:
    """Read the content version once per request (careers.catalogue.one_content_version)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with one_content_version():
            return self.get_response(request)


class RequestLogMiddleware:
    """Log one line per request: method, path, status, duration, user and client address."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        logger.info(
            "%s %s %s %.1fms user=%s ip=%s",
            request.method,
            _loggable_path(request),
            response.status_code,
            duration_ms,
            _user_id(request),
            _client_ip(request),
        )
        return response


def _user_id(request) -> str:
    # request.user is lazy: when the view failed because the database is down, reading
    # it here queries again, and the error would replace the 500 and lose its log line.
    try:
        user = getattr(request, "user", None)
        return str(user.pk) if user is not None and user.is_authenticated else "-"
    except Exception:  # noqa: BLE001
        return "-"


def _loggable_path(request) -> str:
    """The path without its query, with secrets in it (invitation tokens) masked."""
    path = request.path
    match = getattr(request, "resolver_match", None)
    token = match.kwargs.get("token") if match else None
    if token:
        path = path.replace(str(token), "<token>")
    # Percent-encode what is not printable ASCII, so a path holding a line break cannot
    # forge a second log line; long paths are cut.
    return quote(path[:300], safe="/-_.~!$&'()*+,;=:@<>%")


def _client_ip(request) -> str:
    # The same trusted-proxy rule as the rate limits (ALLAUTH_TRUSTED_PROXY_COUNT), so
    # the log shows the address that limits count against. A malformed header must not
    # turn a log line into an error.
    try:
        return get_client_ip(request) or "-"
    except Exception:  # noqa: BLE001
        return "-"


# C0 controls, DEL and C1 controls. ASCII whitespace (tab, line and page breaks) is
# ordinary in a note or a pasted job posting, so form and query values may hold it; a
# path may not.
_VALUE_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_PATH_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")
# gunicorn refuses request lines above 8190 bytes with a bare page of its own; the app
# answers long URLs first, with its own page and headers.
MAX_URL_LENGTH = 4096


class RequestGuardMiddleware:
    """Answer, before any view or query sees them, the requests no page can serve.

    The one place that decides it for every URL, present and future: a control character
    (NUL above all: PostgreSQL refuses it in text) in the path is a 404, in a query or form
    key or value a 400; a body that cannot be read (a charset other than UTF-8, a broken
    multipart) is a 400, a body over the size limit a 413, an over-long URL a 414. Placed
    after the middleware that add headers, so these answers carry all of them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.build_absolute_uri = partial(site_absolute_uri, request)
        path_info = request.META.get("PATH_INFO", "")
        if len(path_info) + len(request.META.get("QUERY_STRING", "")) > MAX_URL_LENGTH:
            return render(request, "414.html", status=414)
        if _PATH_CONTROLS.search(request.path_info):
            raise Http404("A path never holds control characters.")
        if _has_controls(request.GET):
            return _control_characters(request)
        if request.method == "POST":
            try:
                form = request.POST
            except RequestDataTooBig:
                # Later readers (CSRF, the error page) then see an empty form, not the error.
                request._mark_post_parse_error()
                return render(request, "413.html", status=413)
            except (
                BadRequest,
                SuspiciousOperation,
                MultiPartParserError,
                UnreadablePostError,
            ) as error:
                request._mark_post_parse_error()
                raise BadRequest("The form could not be read.") from error
            if _has_controls(form):
                return _control_characters(request)
        return self.get_response(request)


def _control_characters(request):
    reason = _(
        "What you sent holds an invisible control character (such as NUL), which this site"
        " does not accept. Remove it, or type the text again, and send it once more."
    )
    return render(request, "400.html", {"reason": reason}, status=400)


def _has_controls(data) -> bool:
    return any(
        _VALUE_CONTROLS.search(key) or any(_VALUE_CONTROLS.search(value) for value in values)
        for key, values in data.lists()
    )


def site_absolute_uri(request, location: str | None = None) -> str:
    """request.build_absolute_uri, from SITE_URL when configured: links in e-mails never take their
    host or port from a request header. Without SITE_URL, the port in the Host header must
    be the one the server listens on (ALLOWED_HOSTS checks the name, not the port)."""
    if location is None:
        location = request.get_full_path()
    if urlsplit(location).scheme:
        return location
    if settings.CONFIGURED_SITE_URL:
        origin = settings.CONFIGURED_SITE_URL.rstrip("/")
    else:
        host = request.get_host()
        port = split_domain_port(host)[1]
        if port and port != str(request.META.get("SERVER_PORT", "")):
            raise DisallowedHost(f"Host header port {port!r} is not the server's port.")
        origin = f"{request.scheme}://{host}"
    return urljoin(origin + request.path, location)


class PrivateCacheMiddleware:
    """Every dynamic answer is for one visitor only: personal data, and on every page the
    visitor's CSRF token. Unless a view said otherwise (the export says no-store), no cache
    but the visitor's own browser may keep it, and that one must ask again before reuse."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_cache=True)
        return response
