from django.conf import settings
from django.db import migrations, models

KNOWN = ["none", "learning", "done", "skipped"]


def forget_unknown_statuses(apps, schema_editor):
    """A status no page can name (an empty form field stored it) becomes "not started"."""
    SkillProgress = apps.get_model("profiles", "SkillProgress")
    SkillProgress.objects.exclude(status__in=KNOWN).update(
        status="none", verified_by=None, verified_at=None
    )


class Migration(migrations.Migration):
    dependencies = [
        ("careers", "0004_second_edition_merges_first_job_projects_link_checks"),
        ("profiles", "0007_profile_display_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(forget_unknown_statuses, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="skillprogress",
            constraint=models.CheckConstraint(
                condition=models.Q(status__in=KNOWN), name="progress_status_is_known"
            ),
        ),
    ]
