from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.messages.storage.session import SessionStorage


class HostPrefixedCookieStorage(CookieStorage):
    """Django's cookie storage under MESSAGE_COOKIE_NAME (`__Host-messages` in production)."""

    @property
    def cookie_name(self) -> str:
        return settings.MESSAGE_COOKIE_NAME


class HostPrefixedFallbackStorage(FallbackStorage):
    """Messages in the prefixed cookie, and in the session when they do not fit."""

    storage_classes = (HostPrefixedCookieStorage, SessionStorage)
