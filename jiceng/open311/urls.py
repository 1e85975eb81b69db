"""GeoReport v2 at /open311/v2/: every endpoint in JSON and XML by its suffix."""

from django.urls import path, register_converter

from . import views

URL_PREFIX = "open311/v2/"
app_name = "open311"


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "fmt")

urlpatterns = [
    path("discovery.<fmt:fmt>", views.discovery, name="discovery"),
    path("services.<fmt:fmt>", views.services, name="services"),
    path("services/<str:service_code>.<fmt:fmt>", views.service_definition, name="service"),
    path("requests.<fmt:fmt>", views.requests_view, name="requests"),
    path("requests/<str:service_request_id>.<fmt:fmt>", views.request_detail, name="request"),
    path("tokens/<str:token>.<fmt:fmt>", views.token_detail, name="token"),
    path("servicerequestupdates.<fmt:fmt>", views.updates_view, name="updates"),
]
