"""manage.py send_digests: the weekly e-mail, once per person per week, and its one-click stop."""

from datetime import timedelta
from io import StringIO
from smtplib import SMTPRecipientsRefused
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from careers.models import Skill
from profiles import digests, plans
from profiles.mentoring_services import add_note
from profiles.models import DigestSent, Mentorship, PlanSettings, Profile
from profiles.progress import set_progress

from .factories import UserFactory, make_track

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(db):
    return make_track(n_steps=2, skills_per_step=2, name="Platform")


def learner_on(track, username, **settings):
    user = UserFactory(username=username)
    Profile.objects.filter(user=user).update(target_track=track, weekly_hours=10)
    PlanSettings.objects.update_or_create(
        user=user, defaults={"weekly_digest": True, "ical_token": plans.new_token(), **settings}
    )
    return user


def last_week():
    return timezone.now() - timedelta(days=7)


def test_a_learner_gets_last_week_this_week_finish_and_notes_once(track):
    user = learner_on(track, "ada")
    skills = list(Skill.objects.filter(step_skills__track=track).order_by("step_skills__order"))
    mentor = UserFactory(username="grace")
    mentorship = Mentorship.objects.create(mentee=user, mentor=mentor)
    with mock.patch("django.utils.timezone.now", return_value=last_week()):
        set_progress(user, skills[0], status="done")
        add_note(mentorship, "Nice work on the first one.")
    mail.outbox.clear()  # the note's own notification
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@example.com"]
    assert message.subject == "Your week on SkillPath"
    text = message.body
    assert f"- {skills[0].name}: done" in text
    assert f"- {skills[1].name} (10 h)" in text  # this week's plan
    assert "Finish date:" in text
    assert "grace: Nice work on the first one." in text
    html, kind = message.alternatives[0]
    assert kind == "text/html" and f">{skills[1].name}</a>" in html
    unsubscribe = message.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<http") and "/digest/unsubscribe/" in unsubscribe
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "1 sent, 0 already sent this week, 0 with nothing to send, 0 failed" in out.getvalue()
    # Any number of runs in the same week send nothing more.
    out = StringIO()
    call_command("send_digests", stdout=out)
    call_command("send_digests", stdout=StringIO())
    assert len(mail.outbox) == 1
    assert "0 sent, 1 already sent this week" in out.getvalue()
    assert DigestSent.objects.get(user=user).week == digests.iso_week(timezone.localdate())


def test_the_e_mail_is_in_the_learners_language(track):
    user = learner_on(track, "li")
    Profile.objects.filter(user=user).update(language="zh-hans")
    digests.send_due()
    assert mail.outbox[0].subject == "你在 SkillPath 的一周"
    assert "完成日期" in mail.outbox[0].body


def test_nobody_is_sent_anything_without_opting_in(track, mentee):
    learner_on(track, "quiet", weekly_digest=False)
    no_address = learner_on(track, "noaddress")
    no_address.email = ""
    no_address.save()
    report = digests.send_due()
    assert mail.outbox == [] and report.sent == []


def test_a_mentor_gets_a_digest_of_mentees_but_not_private_ones(track):
    mentor = UserFactory(username="mentor")
    PlanSettings.objects.create(user=mentor, mentor_digest=True)
    shown = learner_on(track, "shown", weekly_digest=False)
    hidden = learner_on(track, "hidden", weekly_digest=False)
    Profile.objects.filter(user=hidden).update(visibility="private")
    for mentee in (shown, hidden):
        Mentorship.objects.create(mentee=mentee, mentor=mentor)
    skill = Skill.objects.filter(step_skills__track=track).first()
    with mock.patch("django.utils.timezone.now", return_value=last_week()):
        set_progress(shown, skill, status="done")
    digests.send_due()
    assert [m.to for m in mail.outbox] == [["mentor@example.com"]]
    body = mail.outbox[0].body
    assert "shown · Platform · 1 of 4 core skills done" in body
    assert f"{skill.name}: done" in body
    assert "hidden" not in body


class Killed(BaseException):  # noqa: N818
    """The process dies (a signal, the machine going down): nothing in the run catches it."""


def test_a_crash_mid_batch_and_a_rerun_send_everyone_exactly_once(track):
    users = [learner_on(track, f"learner{n}") for n in range(5)]
    real_send = EmailMultiAlternatives.send
    calls = {"n": 0}

    def dying_send(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise Killed
        return real_send(self, *args, **kwargs)

    with mock.patch.object(EmailMultiAlternatives, "send", dying_send), pytest.raises(Killed):
        digests.send_due(batch_size=2)
    assert len(mail.outbox) == 2
    # The interrupted send left no record: its transaction was rolled back with it.
    assert DigestSent.objects.count() == 2
    out = StringIO()
    call_command("send_digests", "--batch-size", "2", stdout=out)
    assert "3 sent, 2 already sent this week, 0 with nothing to send, 0 failed" in out.getvalue()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(user.email for user in users)


def test_a_refused_address_does_not_stop_the_others_and_is_tried_again(track, caplog):
    users = [learner_on(track, f"learner{n}") for n in range(4)]
    real_send = EmailMultiAlternatives.send

    def refusing_send(self, *args, **kwargs):
        if self.to == [users[1].email]:
            raise SMTPRecipientsRefused({users[1].email: (550, b"No such mailbox")})
        return real_send(self, *args, **kwargs)

    out = StringIO()
    with (
        mock.patch.object(EmailMultiAlternatives, "send", refusing_send),
        pytest.raises(CommandError, match="1 e-mails failed"),
    ):
        call_command("send_digests", "--batch-size", "2", stdout=out)
    assert "3 sent, 0 already sent this week, 0 with nothing to send, 1 failed" in out.getvalue()
    assert "failed learner1" in out.getvalue()
    assert "weekly e-mail to user" in caplog.text
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        user.email for user in users if user != users[1]
    )
    assert not DigestSent.objects.filter(user=users[1]).exists()
    # Once the address works again, the next run sends that one e-mail and no other.
    out = StringIO()
    call_command("send_digests", stdout=out)
    assert "1 sent, 3 already sent this week, 0 with nothing to send, 0 failed" in out.getvalue()
    assert len(mail.outbox) == 4


def test_a_batch_size_below_one_is_refused():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("send_digests", "--batch-size", "0", stdout=StringIO())


def test_one_click_unsubscribe_works_by_post_without_login_or_csrf(track):
    user = learner_on(track, "leaving", mentor_digest=True)
    digests.send_due()
    url = mail.outbox[0].extra_headers["List-Unsubscribe"].strip("<>")
    path = url.split("://", 1)[1].split("/", 1)[1]
    client = Client(enforce_csrf_checks=True)
    page = client.get("/" + path)
    assert page.status_code == 200 and "Stop the weekly e-mails" in page.content.decode()
    response = client.post("/" + path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    settings = PlanSettings.objects.get(user=user)
    assert not settings.weekly_digest and not settings.mentor_digest
    assert digests.send_due().sent == []


@pytest.mark.parametrize("token", ["1", "1:forged", "not-a-token"])
def test_a_bad_unsubscribe_token_is_a_404(client, mentee, token):
    PlanSettings.objects.create(user=mentee, weekly_digest=True)
    assert client.post(f"/digest/unsubscribe/{token}/").status_code == 404
    assert PlanSettings.objects.get(user=mentee).weekly_digest
