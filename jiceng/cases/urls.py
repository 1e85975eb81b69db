"""Pages of the case loop, under /cases/."""

from django.urls import path

from . import views, views_dashboard

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("report/", views.report, name="report"),
    path("patrol/", views.patrol, name="patrol"),
    path("hotline/", views.hotline, name="hotline"),
    path("suggest/", views.suggest, name="suggest"),
    path("queue/", views.queue, name="queue"),
    path("dashboard/", views_dashboard.dashboard, name="dashboard"),
    path("dashboard.json", views_dashboard.dashboard_json, name="dashboard_json"),
    path("export.xlsx", views_dashboard.export_xlsx, name="export"),
    path("track/", views.track_lookup, name="track_lookup"),
    path("track/<str:code>/", views.track, name="track"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/act/<str:name>/", views.act, name="act"),
]
