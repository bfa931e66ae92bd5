from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from careers.admin import TrackAdmin
from careers.models import Track

from .models import DigestSent, PlanSettings, Profile, SkillProgress

# Below this many rows an exact count is cheap, and exact.
ESTIMATE_ABOVE = 100_000


class EstimatedCountPaginator(Paginator):
    """The unfiltered list of a large table counts with PostgreSQL's estimate.

    count(*) reads the whole table: on millions of rows it took most of the page's time, and
    it grows with every user. Filtered lists (a status, a search) still count exactly.
    """

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            # -1 (or nothing) until the table was first analysed.
            if row and row[0] > ESTIMATE_ABOVE:
                return row[0]
        return super().count


@admin.register(SkillProgress)
class SkillProgressAdmin(admin.ModelAdmin):
    """Administrators look progress up here; nobody edits it (the status log must match)."""

    list_display = ["user", "skill", "status", "updated_at", "verified_by"]
    list_filter = ["status"]
    list_select_related = ["user", "skill", "verified_by"]
    # Millions of rows: exact searches on indexed columns, no counting of the whole table,
    # and no drop-down of every user or skill on the change page.
    search_fields = ["=user__username", "=skill__slug"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    raw_id_fields = ["user", "skill", "verified_by"]
    # Django 6's default, set per field (FORMS_URLFIELD_ASSUME_HTTPS is deprecated).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    ordering = ["-id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Changes go through profiles.progress.set_progress, which writes the status log.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The track admin lives in careers, which may not know about profiles: the learner count
# and the refusal to delete a targeted track are added here.
admin.site.unregister(Track)


@admin.register(Track)
class TrackWithLearnersAdmin(TrackAdmin):
    """Tracks, with how many learners target each; a targeted track cannot be deleted."""

    list_display = [*TrackAdmin.list_display, "learners"]

    def get_queryset(self, request):
        learners = (
            Profile.objects.filter(target_track=OuterRef("pk"))
            .order_by()
            .values("target_track")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(learners=Coalesce(Subquery(learners), 0))

    @admin.display(description=_("learners targeting it"), ordering="learners")
    def learners(self, track) -> int:
        return track.learners

    def get_deleted_objects(self, objs, request):
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        targeting = Profile.objects.filter(target_track__in=list(objs)).count()
        if targeting:
            # Name the count and the way out, never the learners (editors may not see them).
            prefix = f"{capfirst(Profile._meta.verbose_name)}: "
            protected = [
                ngettext(
                    "%(count)d learner targets this: unpublish the track instead of deleting it.",
                    "%(count)d learners target this: unpublish the track instead of deleting it.",
                    targeting,
                )
                % {"count": targeting},
                *[item for item in protected if not str(item).startswith(prefix)],
            ]
        return to_delete, model_count, perms_needed, protected


class SuperuserReadOnlyAdmin(admin.ModelAdmin):
    """Listed and readable by superusers only, whatever permissions a group is given;
    nobody edits here."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlanSettings)
class PlanSettingsAdmin(SuperuserReadOnlyAdmin):
    """People's plan choices, to answer a support question; changes are theirs to make."""

    list_display = ["user", "time_zone", "start_date", "weekly_digest", "mentor_digest"]
    list_display += ["calendar_feed", "updated_at"]
    list_filter = ["weekly_digest", "mentor_digest"]
    list_select_related = ["user"]
    search_fields = ["=user__username"]
    ordering = ["-updated_at"]
    # The feed token is a password to the person's calendar: the page says only whether one
    # exists.
    exclude = ["ical_token"]
    readonly_fields = ["calendar_feed"]

    @admin.display(description=_("calendar feed on"), boolean=True)
    def calendar_feed(self, settings) -> bool:
        return bool(settings.ical_token)


@admin.register(DigestSent)
class DigestSentAdmin(SuperuserReadOnlyAdmin):
    """The log of weekly e-mails sent: who got which week's, and when."""

    list_display = ["user", "week", "sent_at"]
    list_select_related = ["user"]
    search_fields = ["=user__username", "=week"]
    date_hierarchy = "sent_at"
    ordering = ["-sent_at"]
