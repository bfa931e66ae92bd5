"""What the browser checks matches what the server checks: weekly hours and maximum lengths."""

import pytest
from django.urls import reverse

from profiles.forms import NoteForm, OnboardingForm, ProgressForm, SettingsForm
from profiles.models import Profile

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("form_class", [SettingsForm, OnboardingForm])
def test_weekly_hours_input_has_the_servers_bounds(form_class, mentee):
    html = str(form_class(instance=mentee.profile)["weekly_hours"])
    assert 'min="1"' in html and 'max="80"' in html and 'inputmode="numeric"' in html


@pytest.mark.parametrize("hours", ["0", "81", "-3"])
def test_weekly_hours_out_of_bounds_are_refused_beside_the_field(client, mentee, hours):
    client.force_login(mentee)
    response = client.post(
        reverse("profiles:settings"), {"weekly_hours": hours, "visibility": "mentors"}
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("weekly_hours")
    assert Profile.objects.get(user=mentee).weekly_hours == 8


def test_note_and_evidence_inputs_carry_the_servers_maximum_lengths(client, mentee):
    from .factories import SkillFactory

    skill = SkillFactory()
    client.force_login(mentee)
    body = client.get(skill.get_absolute_url()).content.decode()
    assert f'maxlength="{ProgressForm.base_fields["note"].max_length}"' in body
    assert f'maxlength="{ProgressForm.base_fields["evidence_url"].max_length}"' in body
    assert NoteForm.base_fields["text"].max_length == 2000
