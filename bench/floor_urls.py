"""The app's URLs and two one-line views, for bench/floor_wsgi.py and bench/wsgi_cpu.py."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import include, path


def ok(request):
    return HttpResponse("ok")


urlpatterns = [
    path("bench/visitor/", ok),
    path("bench/signed-in/", login_required(ok)),
    # The app's own URLs stay, so a sign-in redirect resolves.
    path("", include("config.urls")),
]
