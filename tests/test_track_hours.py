"""A track's hours are counted in one place: the track list, its page and the gap analysis agree."""

import pytest
from django.urls import reverse

from careers.catalogue import catalogue, published_track_hours
from careers.content_types import Effort, SkillInfo, hours_of
from profiles.progress_on_tracks import track_progress

from .factories import SkillFactory, StepSkillFactory, make_track

pytestmark = pytest.mark.django_db


def test_archived_skills_are_left_out_of_a_tracks_hours():
    assert hours_of([Effort(10, False), Effort(30, True), Effort(5, False)]) == 15
    assert hours_of([SkillInfo("a", "A", 7), SkillInfo("b", "B", 9, archived=True)]) == 7


def test_track_list_track_page_and_gap_analysis_show_the_same_hours(client, mentee):
    track = make_track(n_steps=2, skills_per_step=2)  # 4 core skills x 10 h
    step = track.steps.first()
    StepSkillFactory(step=step, importance="optional", skill=SkillFactory(hours=5))
    StepSkillFactory(step=step, skill=SkillFactory(name="Legacy", hours=100, archived=True))
    total, core = 45, 40

    info = catalogue().tracks[track.slug]
    assert catalogue().track_hours(info) == total
    assert catalogue().track_hours(info, core_only=True) == core
    assert published_track_hours() == {track.slug: total}
    listing = client.get(reverse("careers:tracks")).content.decode()
    assert f"{total} hours" in listing
    page = client.get(track.get_absolute_url()).content.decode()
    assert f"{total} hours" in page and f"{core} hours" in page
    report = track_progress(mentee, track.slug).report
    assert report.core_hours_total == report.remaining_core_hours == core
