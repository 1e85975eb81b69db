"""The JSON API at /api/v1/: one NinjaAPI, one router per app that has an `api` module."""

import importlib

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import NinjaAPI
from ninja.errors import HttpError
from ninja.errors import ValidationError as RequestInvalid
from ninja.security import APIKeyHeader, HttpBearer, django_auth

from jiceng.core.errors import UserError
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
    return api.create_response(request, {"detail": str(exc) or _("无权执行此操作")}, status=403)


@api.exception_handler(Http404)
def _not_found(request, exc):
    """The selector's own reason ("未找到，或不在您的管辖范围内" …), not a bare "Not Found"."""
    return api.create_response(request, {"detail": str(exc) or _("未找到")}, status=404)


@api.exception_handler(UserError)
def _user_error(request, exc):
    """A procedure's refusal raised where no endpoint wears `caught` (a helper shared with a page)."""
    return api.create_response(request, {"detail": exc.message}, status=exc.status)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    detail = str(exc)
    if exc.status_code == 400 and detail.startswith("Cannot parse request body"):
        detail = _("请求内容不是有效的 JSON")
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


# pydantic's error types, said in the user's language (anything else: "不符合要求")
_WHAT = {
    "missing": gettext_noop("必须填写"),
    "int_parsing": gettext_noop("应为整数"),
    "int_from_float": gettext_noop("应为整数"),
    "decimal_parsing": gettext_noop("应为数字"),
    "float_parsing": gettext_noop("应为数字"),
    "date_parsing": gettext_noop("应为日期（年-月-日）"),
    "date_from_datetime_parsing": gettext_noop("应为日期（年-月-日）"),
    "datetime_parsing": gettext_noop("应为日期时间"),
    "datetime_from_date_parsing": gettext_noop("应为日期时间"),
    "bool_parsing": gettext_noop("应为 true 或 false"),
    "string_type": gettext_noop("应为文字"),
    "list_type": gettext_noop("应为列表"),
    "greater_than_equal": gettext_noop("超出允许的范围"),
    "greater_than": gettext_noop("超出允许的范围"),
    "less_than_equal": gettext_noop("超出允许的范围"),
    "less_than": gettext_noop("超出允许的范围"),
    "string_too_long": gettext_noop("太长"),
    "json_invalid": gettext_noop("不是有效的 JSON"),
}
_WRAPPERS = {"body", "query", "path", "form", "file", "payload", "header", "cookie"}


@api.exception_handler(RequestInvalid)
def _invalid(request, exc):
    """A body or query the schema refuses: 422 with the fields and what is wrong, in Chinese
    (or English), and pydantic's own list under `errors` for programs."""
    parts = []
    for err in exc.errors:
        field = ".".join(str(p) for p in err.get("loc", ()) if p not in _WRAPPERS) or "—"
        what = _WHAT.get(err.get("type", ""), gettext_noop("不符合要求"))
        parts.append(_("%(field)s：%(what)s") % {"field": field, "what": _(what)})
    detail = _("请求数据有误：%(parts)s") % {"parts": "；".join(parts)}
    return api.create_response(request, {"detail": detail, "errors": exc.errors}, status=422)


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
