"""The admin site: allauth's login for everyone, safe bulk actions, no id-to-page mapping."""

from allauth.account.decorators import secure_admin_login
from allauth.account.utils import get_next_redirect_url
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _

# The range of the ids in the database; a larger number is no id at all (SQLite overflows).
_ID_RANGE = range(-(2**63), 2**63)


class SafeActionsMixin:
    """Bulk actions refuse ids that cannot be ids, with a message instead of an error."""

    def response_action(self, request, queryset):
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if not all(self._is_id(value) for value in selected):
            self.message_user(
                request, _("The selection holds items that do not exist."), messages.WARNING
            )
            return HttpResponseRedirect(request.get_full_path())
        return super().response_action(request, queryset)

    def _is_id(self, value: str) -> bool:
        try:
            pk = self.model._meta.pk.to_python(value)
        except ValidationError:
            return False
        return not isinstance(pk, int) or pk in _ID_RANGE


class SkillPathAdminSite(admin.AdminSite):
    site_header = "SkillPath"
    site_title = "SkillPath admin"

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model admin, ours and the contrib apps', gets the safe actions."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SafeActionsMixin):
            admin_class = type(
                admin_class.__name__,
                (SafeActionsMixin, admin_class),
                {"__module__": admin_class.__module__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def login(self, request, extra_context=None):
        """No password form of its own: anonymous visitors log in through allauth (and its
        rate limits); a signed-in non-staff user gets a 403; staff go to the admin."""
        return secure_admin_login(self._after_login)(request)

    def _after_login(self, request):
        return redirect(get_next_redirect_url(request) or reverse("admin:index"))

    def password_change(self, request, extra_context=None):
        """The old password is checked in one place, allauth's (rate-limited) form."""
        return redirect("account_change_password")

    def get_urls(self):
        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                urls[index] = path(
                    "r/<int:content_type_id>/<path:object_id>/",
                    self.admin_view(self.view_on_site),
                    name="view_on_site",
                )
        return urls

    def view_on_site(self, request, content_type_id, object_id):
        """Django's shortcut, only for what the user may view in the admin: a content editor
        must not turn profile ids into usernames (404, as for anything else not theirs)."""
        content_type = get_object_or_404(ContentType, pk=content_type_id)
        label = f"{content_type.app_label}.%s_{content_type.model}"
        if not any(request.user.has_perm(label % action) for action in ("view", "change")):
            raise Http404("No such object")
        return shortcut(request, content_type_id, object_id)
