from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections, models
from django.utils.functional import cached_property

from .models import SkillProgress

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
