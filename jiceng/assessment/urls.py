"""Pages of assessment."""

from django.urls import path

from . import views

app_name = "assessment"
URL_PREFIX = "assessment/"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.item_new, name="new"),
    path("<int:pk>/", views.item_detail, name="item"),
    path("<int:pk>/edit/", views.item_edit, name="edit"),
    path("<int:pk>/submit/", views.item_submit, name="submit"),
    path("<int:pk>/approve/", views.item_approve, name="approve"),
    path("<int:pk>/reject/", views.item_reject, name="reject"),
    path("<int:pk>/decompose/", views.item_decompose, name="decompose"),
    path("<int:pk>/inspect/", views.item_inspect, name="inspect"),
    path("<int:pk>/results.xlsx", views.results_export, name="results-export"),
    path("<int:pk>/results/import/", views.results_import, name="results-import"),
    path("<int:pk>/notice.xlsx", views.notice_export, name="notice-export"),
    path("<int:pk>/notice/", views.notice_issue, name="notice-issue"),
    path("<int:pk>/notice/document/", views.notice_document, name="notice-document"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/score/", views.inspection_score, name="inspection-score"),
    path("inspections/<int:pk>/appeal/", views.appeal_create, name="appeal"),
    path("inspections/<int:pk>/appeal/decide/", views.appeal_decide, name="appeal-decide"),
    path("inspections/<int:pk>/appeal/withdraw/", views.appeal_withdraw, name="appeal-withdraw"),
    path("vetoes/", views.vetoes, name="vetoes"),
    path("vetoes/<int:pk>/end/", views.veto_end, name="veto-end"),
    path("summary/", views.summary, name="summary"),
    path("summary.xlsx", views.summary_export, name="summary-export"),
    path("caps/", views.caps, name="caps"),
    path("caps/set/", views.cap_set, name="cap-set"),
    path("caps.xlsx", views.caps_export, name="caps-export"),
    path("evaluations/", views.rounds, name="rounds"),
    path("evaluations/<int:pk>/", views.round_detail, name="round"),
    path("evaluations/<int:pk>/results.xlsx", views.round_export, name="round-export"),
    path("evaluations/<int:pk>/rate/", views.round_rate, name="round-rate"),
    path("evaluations/<int:pk>/close/", views.round_close, name="round-close"),
]
