"""Pages of outreach (主动服务)."""

from django.urls import path

from . import views

app_name = "outreach"
urlpatterns = [
    path("", views.index, name="index"),
    path("rules/new/", views.rule_new, name="rule_new"),
    path("rules/preview/", views.rule_preview, name="rule_preview"),
    path("rules/<int:pk>/", views.rule_detail, name="rule"),
    path("rules/<int:pk>/do/", views.rule_action, name="rule_action"),
    path("rules/<int:pk>/matches.csv", views.rule_export, name="rule_export"),
    path("subjects/<str:subject>/<int:pk>/", views.subject_detail, name="subject"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("residents/", views.residents, name="residents"),
]
