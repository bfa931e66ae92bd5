from django.urls import path

from . import jobs, mentoring, plan_views, search_views, views

app_name = "profiles"

urlpatterns = [
    path("search/", search_views.search, name="search"),
    path("skills/", search_views.skill_index, name="skill_index"),
    path("me/", views.dashboard, name="dashboard"),
    path("me/welcome/", views.welcome, name="welcome"),
    path("me/settings/", views.settings_view, name="settings"),
    path("me/target/", views.set_target, name="set_target"),
    path("me/skills/<slug:slug>/", views.set_skill_status, name="set_status"),
    path("me/history/", views.history, name="history"),
    path("me/plan/", plan_views.plan_page, name="plan"),
    path("me/plan/pin/", plan_views.pin_skill, name="plan_pin"),
    path("me/plan/unpin/", plan_views.unpin_skill, name="plan_unpin"),
    path("me/plan/lose-week/", plan_views.lose_week, name="plan_lose_week"),
    path("me/plan/restore-week/", plan_views.restore_week, name="plan_restore_week"),
    path("me/plan/pace/", plan_views.change_pace, name="plan_pace"),
    path("me/plan/calendar-token/", plan_views.new_feed_token, name="plan_token"),
    path("me/plan.ics", plan_views.plan_feed, name="plan_ics"),
    path("digest/unsubscribe/<str:token>/", plan_views.unsubscribe, name="unsubscribe"),
    path("me/report/", views.report, name="report"),
    path("me/export/", views.export, name="export"),
    path("me/delete/", views.delete_account, name="delete"),
    path("how-progress-is-computed/", views.how_progress_works, name="how"),
    path("u/<str:username>/", views.public_profile, name="public"),
    path("u/<str:username>/notes/", mentoring.write_note, name="write_note"),
    path("u/<str:username>/skills/<slug:slug>/verify/", mentoring.verify, name="verify"),
    path("me/mentors/", mentoring.my_mentors, name="mentors"),
    path("me/mentors/invite/", mentoring.invite, name="invite"),
    path("me/mentors/invitations/<int:pk>/withdraw/", mentoring.withdraw, name="withdraw"),
    path("mentoring/", mentoring.mentees, name="mentoring"),
    path("mentoring/<int:pk>/end/", mentoring.end, name="end_mentorship"),
    path("mentoring/accept/<str:token>/", mentoring.accept, name="accept"),
    path("jobs/", jobs.my_postings, name="jobs"),
    path("jobs/new/", jobs.new_posting, name="jobs_new"),
    path("jobs/compare/", jobs.compare, name="jobs_compare"),
    path("jobs/<int:pk>/", jobs.posting_detail, name="job"),
    path("jobs/<int:pk>/target/", jobs.set_target, name="job_target"),
    path("jobs/<int:pk>/delete/", jobs.delete_posting, name="job_delete"),
]
