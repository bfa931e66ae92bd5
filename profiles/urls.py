from django.urls import path

from . import views

app_name = "profiles"

urlpatterns = [
    path("me/", views.dashboard, name="dashboard"),
    path("me/welcome/", views.welcome, name="welcome"),
    path("me/settings/", views.settings_view, name="settings"),
    path("me/target/", views.set_target, name="set_target"),
    path("me/skills/<slug:slug>/", views.set_skill_status, name="set_status"),
    path("me/history/", views.history, name="history"),
    path("me/report/", views.report, name="report"),
    path("me/export/", views.export, name="export"),
    path("me/delete/", views.delete_account, name="delete"),
    path("how-progress-is-computed/", views.how_progress_works, name="how"),
    path("u/<str:username>/", views.public_profile, name="public"),
]
