"""Careers (the content) never depends on profiles (the people): not in code, not in templates."""

import re
from pathlib import Path

from django.conf import settings

import careers

CAREERS = Path(careers.__file__).parent
TEMPLATES = Path(settings.BASE_DIR) / "templates" / "careers"
# A profiles URL name ('profiles:...') or template path ('profiles/...') in quotes.
NAMES_PROFILES = re.compile(r"""["']profiles[:/]""")


def test_careers_python_does_not_import_profiles():
    for path in CAREERS.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import) profiles", text, re.M), path
        assert not NAMES_PROFILES.search(text), path


def test_careers_templates_name_no_profiles_url_or_template():
    paths = list(TEMPLATES.rglob("*.html"))
    assert paths
    for path in paths:
        assert not NAMES_PROFILES.search(path.read_text(encoding="utf-8")), path


def test_the_scan_would_catch_a_profiles_url_or_template():
    assert NAMES_PROFILES.search("{% url 'profiles:set_target' %}")
    assert NAMES_PROFILES.search('{% include "profiles/_my_skill.html" %}')
    assert not NAMES_PROFILES.search("{% static 'css/profiles.css' %}")


def test_profiles_reaches_the_content_pages_through_the_one_configured_layer():
    from careers.personal import personal_layer
    from profiles.personal_layer import LAYER

    assert personal_layer() is LAYER
