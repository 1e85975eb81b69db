"""Pages of the org app."""

from django.urls import path

from . import views

app_name = "org"
URL_PREFIX = "org/"
urlpatterns = [
    path("regions/", views.regions, name="regions"),
    path("regions/<str:code>/", views.region_detail, name="region"),
    path("regions/<str:code>/grids.geojson", views.region_geojson, name="region-geojson"),
    path("units/", views.units, name="units"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
]
