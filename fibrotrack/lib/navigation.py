"""Extension point: apps add links to the main menu and the settings page.

Register in ``AppConfig.ready()``, e.g.
``navigation.add_nav("Treatments", "treatments:list", order=20)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    order: int

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_NAV: dict[str, Link] = {}
_SETTINGS: dict[str, Link] = {}


def add_nav(label: str, url_name: str, order: int = 50) -> None:
    _NAV[url_name] = Link(label, url_name, order)


def add_settings_link(label: str, url_name: str, order: int = 50) -> None:
    _SETTINGS[url_name] = Link(label, url_name, order)


def nav_links() -> list[Link]:
    return sorted(_NAV.values(), key=lambda link: link.order)


def settings_links() -> list[Link]:
    return sorted(_SETTINGS.values(), key=lambda link: link.order)
