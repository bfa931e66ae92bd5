import zoneinfo

from django.conf import settings
from django.utils import timezone, translation

SESSION_KEY = "preferred_language"
TIME_ZONE_SESSION_KEY = "time_zone"


class PreferredLanguageMiddleware:
    """Use a signed-in person's saved language unless they picked one with the switcher.

    The order is: the browser's Accept-Language, then the saved preference, then the
    switcher's cookie. The preference is kept in the session so this costs no query.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        preferred = request.session.get(SESSION_KEY)
        if preferred and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            translation.activate(preferred)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class TimeZoneMiddleware:
    """Show dates in the signed-in person's time zone, kept in the session (no query)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = request.session.get(TIME_ZONE_SESSION_KEY)
        zone = None
        if name:
            try:
                zone = zoneinfo.ZoneInfo(name)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                zone = None
        if zone is None:
            return self.get_response(request)
        # Only for this request: the thread goes back to the default zone afterwards.
        with timezone.override(zone):
            return self.get_response(request)
