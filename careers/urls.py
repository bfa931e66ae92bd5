from django.urls import path

from . import views

app_name = "careers"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("tracks/", views.track_list, name="tracks"),
    path("tracks/<slug:slug>/", views.track_detail, name="track"),
    path("skills/<slug:slug>/", views.skill_detail, name="skill"),
    path("advisor/", views.advisor, name="advisor"),
]
