"""The floor under every SkillPath page: a one-line view inside SkillPath's own stack.

    gunicorn -c config/gunicorn.py bench.floor_wsgi:application

The app's settings, every middleware, its session and its user, with two views that only
answer "ok" (bench/floor_urls.py): /bench/visitor/ and /bench/signed-in/, which loads the
session and the user as every personal page must. A page's cost above this floor is the
page's own work; the floor's cost above the trivial view (bench/trivial_wsgi.py) is what
any page of this stack pays before its view runs.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
settings.ROOT_URLCONF = "bench.floor_urls"
application = get_wsgi_application()
