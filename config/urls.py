from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from . import views

admin.site.site_header = "SkillPath"
admin.site.site_title = "SkillPath admin"
# The admin logs in through allauth, so its rate limits protect the admin too.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("", include("profiles.urls")),
    path("", include("careers.urls")),
]
