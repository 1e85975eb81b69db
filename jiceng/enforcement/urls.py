"""Pages of the penalty procedure, under /enforcement/."""

from django.urls import path

from . import views

app_name = "enforcement"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("open/", views.open_page, name="open"),
    path("on-spot/", views.on_spot_page, name="on-spot"),
    # before "<str:code>/": "thresholds" is not a case code
    path("thresholds/", views.thresholds, name="thresholds"),
    path("thresholds/add/", views.threshold_add, name="threshold-add"),
    path("thresholds/<int:pk>/end/", views.threshold_end, name="threshold-end"),
    path("thresholds.xlsx", views.thresholds_export, name="thresholds-export"),
    path("export.xlsx", views.ledger_export, name="export"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/act/<str:name>/", views.act, name="act"),
    path("<str:code>/evidence/", views.evidence_upload, name="evidence-upload"),
    path("<str:code>/evidence/<int:pk>/", views.evidence_file, name="evidence-file"),
    path("<str:code>/documents/<str:kind>/", views.case_document, name="document"),
]
