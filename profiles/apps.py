from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "profiles"
    verbose_name = _("People and progress")

    def ready(self):
        from careers.views import page_extensions

        from . import pages, signals  # noqa: F401

        page_extensions["track"].append(pages.track_layer)
        page_extensions["skill"].append(pages.skill_layer)
