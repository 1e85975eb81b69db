"""URL map: pages per app, the API at /api/v1/, admin, health check."""

import importlib

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from jiceng.api import api
from jiceng.core import views as core_views
from jiceng.org import views as org_views

admin.site.site_header = "jiceng 基层治理平台 · 管理后台"
admin.site.site_title = "jiceng 管理后台"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("", org_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(template_name="core/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

# Each app with a `urls` module is mounted under its own prefix (URL_PREFIX, default "<app>/").
for app in settings.INSTALLED_APPS:
    if not app.startswith("jiceng."):
        continue
    try:
        module = importlib.import_module(f"{app}.urls")
    except ModuleNotFoundError as exc:
        if exc.name != f"{app}.urls":
            raise
        continue
    prefix = getattr(module, "URL_PREFIX", app.split(".")[-1] + "/")
    urlpatterns.append(path(prefix, include(module)))
