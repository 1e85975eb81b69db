"""Pages of the powers app: the public list, item history, import, gaps, readiness."""

from django.urls import path

from . import views, views_readiness

app_name = "powers"
URL_PREFIX = "powers/"
urlpatterns = [
    path("", views.public_list, name="public"),
    path("export.xlsx", views.public_export, name="public-export"),
    path("items/<str:code>/", views.item_detail, name="item"),
    path("import/", views.import_page, name="import"),
    path("gaps/", views.gaps_page, name="gaps"),
    path("gaps/export.xlsx", views.gaps_export, name="gaps-export"),
    path("readiness/board/", views_readiness.board, name="board"),
    path("readiness/<str:region>/", views_readiness.township, name="readiness"),
    path("readiness/<str:region>/<str:code>/", views_readiness.edit, name="readiness-edit"),
]
