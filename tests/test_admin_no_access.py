"""A signed-in person without staff rights who opens /admin/ is told so in the site's layout."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_learner_opening_the_admin_gets_a_clear_page(client, mentee):
    client.force_login(mentee)
    response = client.get("/admin/", follow=True)
    body = response.content.decode()
    assert response.status_code == 403
    assert "No access to the admin" in body
    assert 'class="site-header"' in body  # the site's own layout
    assert "Username" not in body and 'name="password"' not in body


def test_staff_still_reach_the_admin(client, editor):
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
