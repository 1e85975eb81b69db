"""The JSON API at /api/v1/: one NinjaAPI, one router per app that has an `api` module."""

import importlib

from django.conf import settings
from ninja import NinjaAPI
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from jiceng.core.tokens import user_for_token


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="jiceng 基层治理平台 API",
    version="1",
    urls_namespace="api-v1",
    auth=[BearerToken(), django_auth],
    docs_url="/docs",
)


@api.exception_handler(PermissionError)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": str(exc) or "无权执行此操作"}, status=403)


def _mount_app_routers() -> None:
    for app in settings.INSTALLED_APPS:
        if not app.startswith("jiceng."):
            continue
        try:
            module = importlib.import_module(f"{app}.api")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.api":
                raise
            continue
        prefix = getattr(module, "PREFIX", "/" + app.split(".")[-1] + "/")
        api.add_router(prefix, module.router)


_mount_app_routers()
__all__ = ["api", "APIKeyHeader"]
