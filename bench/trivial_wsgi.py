"""The yardstick: a one-line Django view with no middleware, served like the app.

    gunicorn -c config/gunicorn.py bench.trivial_wsgi:application

Everything SkillPath adds to a request (middleware, session, database, templates) is
measured against this: the same gunicorn configuration, the same Django, nothing else.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    SECRET_KEY="trivial-view-of-the-benchmark-holds-no-secret",  # noqa: S106
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    USE_I18N=False,
)


def ok(request):
    return HttpResponse("ok")


urlpatterns = [path("", ok)]
application = get_wsgi_application()
