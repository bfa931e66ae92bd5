"""Plan settings and the weekly e-mail log in the admin: superusers read them, nobody else."""

import pytest
from django.urls import reverse

from profiles.models import DigestSent, PlanSettings

from .factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "feed-secret-0123456789"


@pytest.fixture
def plan(mentee):
    settings, _created = PlanSettings.objects.update_or_create(
        user=mentee,
        defaults={"time_zone": "Asia/Shanghai", "weekly_digest": True, "ical_token": TOKEN},
    )
    return settings


@pytest.fixture
def digest(mentee):
    return DigestSent.objects.create(user=mentee, week="2026-W49")


def test_a_superuser_reads_the_plan_settings(client, superuser, plan):
    client.force_login(superuser)
    listing = client.get(reverse("admin:profiles_plansettings_changelist"))
    assert listing.status_code == 200
    assert "Asia/Shanghai" in listing.content.decode()
    page = client.get(reverse("admin:profiles_plansettings_change", args=[plan.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Asia/Shanghai" in body and "Calendar feed on" in body
    assert TOKEN not in body  # the feed's secret is never shown
    assert 'name="_save"' not in body  # read-only: no save button


def test_a_superuser_reads_the_digest_log(client, superuser, digest):
    client.force_login(superuser)
    listing = client.get(reverse("admin:profiles_digestsent_changelist"))
    assert listing.status_code == 200 and "2026-W49" in listing.content.decode()
    page = client.get(reverse("admin:profiles_digestsent_change", args=[digest.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()


def test_nobody_adds_changes_or_deletes_there(client, superuser, plan, digest):
    client.force_login(superuser)
    assert client.get(reverse("admin:profiles_plansettings_add")).status_code == 403
    assert client.get(reverse("admin:profiles_digestsent_add")).status_code == 403
    change = reverse("admin:profiles_plansettings_change", args=[plan.pk])
    client.post(change, {"time_zone": "UTC", "weekly_digest": ""})
    assert PlanSettings.objects.get(pk=plan.pk).time_zone == "Asia/Shanghai"
    delete = reverse("admin:profiles_digestsent_delete", args=[digest.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert DigestSent.objects.filter(pk=digest.pk).exists()


@pytest.mark.parametrize("who", ["editor", "staff"])
def test_content_editors_and_plain_staff_cannot_see_them(client, editor, plan, digest, who):
    client.force_login(editor if who == "editor" else UserFactory(is_staff=True))
    for url in [
        reverse("admin:profiles_plansettings_changelist"),
        reverse("admin:profiles_plansettings_change", args=[plan.pk]),
        reverse("admin:profiles_digestsent_changelist"),
        reverse("admin:profiles_digestsent_change", args=[digest.pk]),
    ]:
        assert client.get(url).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "plansettings" not in index and "digestsent" not in index


def test_anonymous_is_sent_to_the_admin_login(client, plan):
    response = client.get(reverse("admin:profiles_plansettings_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
