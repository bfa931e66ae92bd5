from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "SkillPath"
admin.site.site_title = "SkillPath admin"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("", include("careers.urls")),
]
