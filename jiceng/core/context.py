"""Template context every page gets: the caller's person, the map tile setting, the menu."""

from django.apps import apps
from django.conf import settings
from django.urls import NoReverseMatch, reverse


def _nav_items(person) -> list[dict]:
    """Menu entries apps declare as `nav = [(url_name, label, roles or None), ...]` in apps.py."""
    items = []
    for config in apps.get_app_configs():
        for url_name, label, roles in getattr(config, "nav", []):
            if roles and not (person and person.has_role(*roles)):
                continue
            try:
                items.append({"url": reverse(url_name), "label": label})
            except NoReverseMatch:
                continue
    return items


def platform(request):
    person = None
    if request.user.is_authenticated:
        person = getattr(request.user, "person", None)
    return {
        "tile_url": settings.JICENG_TILE_URL,
        "me": person,
        "nav_items": _nav_items(person) if request.user.is_authenticated else [],
    }
