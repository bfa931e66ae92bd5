import logging
import time
from urllib.parse import quote

from allauth.core.internal.httpkit import get_client_ip

logger = logging.getLogger("skillpath.requests")


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
