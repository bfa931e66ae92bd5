"""Public pages for visitors, rendered once per content version and served from the cache.

A page marked with `cache_for_visitors` is the same for every visitor without a session:
same path and query, language, content version and HX-Request, same HTML, except for the
CSRF token (the language switcher's form and htmx's header carry it). So the page is
rendered with a random placeholder in the token's place, kept in the cache without any
cookie, and each visitor gets it with their own token put in (and their CSRF cookie set),
exactly as Django's CSRF middleware would. The middleware sits right after the ones that
add the security headers and before the session: a warm page costs no session, user,
message or locale work and no query. Anyone with a session or a messages cookie (everyone
signed in), or a cookie this module does not know, gets the page rendered for them.
"""

import hashlib
import secrets
from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.urls import Resolver404, get_resolver
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language_from_request

# The request headers the key covers; a response that varies on any other is not kept.
KEYED_VARY = {"accept-language", "cookie", "hx-request"}


def cache_for_visitors(version: Callable[[], str]):
    """Mark a view whose answer to visitors may be kept per (URL, language, htmx, version())."""

    def mark(view):
        view.visitor_cache_version = version
        return view

    return mark


def csrf_placeholder(request) -> dict:
    """Context processor: while a page is rendered to be kept (for visitors, or as a signed-in
    page's shell), a placeholder, not a token."""
    placeholder = getattr(request, "csrf_placeholder", None)
    return {"csrf_token": placeholder} if placeholder else {}


@lru_cache(maxsize=4096)
def _version_function(resolver, path_info: str) -> Callable[[], str] | None:
    """The content version function of the page at this path, if it may be kept for visitors."""
    # Per resolver, so a test's own URLconf gets its own answers. Resolving costs about as
    # much as the rest of a warm page, and Django resolves again when the page is rendered.
    try:
        match = resolver.resolve(path_info)
    except Resolver404:
        return None
    return getattr(match.func, "visitor_cache_version", None)


class VisitorPageCacheMiddleware:
    """Serve pages marked with cache_for_visitors to visitors from the cache (see above)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)
        self.known_cookies = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}

    def __call__(self, request):
        key = self.key(request)
        if key is None:
            return self.get_response(request)
        # The visitor's own CSRF secret (from their cookie), as the CSRF middleware reads it.
        self.csrf.process_request(request)
        pages = caches["visitor_pages"]
        kept = pages.get(key)
        if kept is not None:
            response = HttpResponse(kept["content"], status=kept["status"])
            for name, value in kept["headers"]:
                response.headers[name] = value
            return self.personal(request, response, kept["placeholder"])
        placeholder = secrets.token_hex(16)
        request.csrf_placeholder = placeholder
        response = self.get_response(request)
        if self.may_keep(request, response):
            kept = {
                "status": response.status_code,
                "headers": list(response.headers.items()),
                "content": response.content,
                "placeholder": placeholder,
            }
            pages.set(key, kept)
        return self.personal(request, response, placeholder)

    def key(self, request) -> str | None:
        """The cache key of this request's page, or None when it must be rendered for it."""
        if request.method not in ("GET", "HEAD") or not self.known_cookies.issuperset(
            request.COOKIES
        ):
            return None
        version = _version_function(get_resolver(), request.path_info)
        if version is None:
            return None
        url = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        url = hashlib.md5(url.encode(), usedforsecurity=False)
        htmx = request.headers.get("HX-Request") == "true"
        language = get_language_from_request(request)
        return f"visitor-page:{version()}:{language}:{htmx:d}:{url.hexdigest()}"

    def may_keep(self, request, response) -> bool:
        """Whether the answer is the same for every visitor: nothing personal went into it."""
        messages = getattr(request, "_messages", None)
        user = getattr(request, "user", None)
        vary = {v.lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies  # a session, a message, a CSRF token of its own
            and not (messages is not None and messages.used)
            and not (user is not None and user.is_authenticated)
            and "no-store" not in response.get("Cache-Control", "")
            and vary <= KEYED_VARY
        )

    def personal(self, request, response, placeholder: str):
        """The visitor's answer: their own CSRF token in the page, their CSRF cookie set."""
        if response.streaming or placeholder.encode() not in response.content:
            return response
        response.content = response.content.replace(
            placeholder.encode(), get_token(request).encode()
        )
        if response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        return self.csrf.process_response(request, response)
