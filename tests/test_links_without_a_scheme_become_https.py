"""Addresses typed without a scheme become https://, set on each form field (no settings flag)."""

import pytest
from django.contrib import admin
from django.test import RequestFactory

from careers.models import Resource, Skill
from profiles.forms import ProgressForm


@pytest.mark.django_db
def test_admin_resource_forms_assume_https(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    resource_form = admin.site._registry[Resource].get_form(request)
    assert resource_form.base_fields["url"].assume_scheme == "https"
    skill_admin = admin.site._registry[Skill]
    inline = next(i for i in skill_admin.get_inline_instances(request) if i.model is Resource)
    assert inline.get_formset(request).form.base_fields["url"].assume_scheme == "https"


def test_the_evidence_link_assumes_https():
    form = ProgressForm({"evidence_url": "example.com/my-work"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["evidence_url"] == "https://example.com/my-work"
