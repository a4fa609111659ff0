"""Extension point: apps add links to the main menu and the settings page.

Register in ``AppConfig.ready()``, e.g.
``navigation.add_nav(gettext_lazy("Treatments"), "treatments:list", order=20, tab=True)``.
Labels are lazy translations: registered once at start-up, rendered in each request's language.

On a phone the main menu is a bottom tab bar of at most five items: the
diary's "Check in" and "History", the first ``MAX_APP_TABS`` links registered
with ``tab=True``, and "More", which leads to every other link at the foot of
the page (``templates/base.html``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django_stubs_ext import StrPromise

Label = str | StrPromise

MAX_APP_TABS = 2  # five tabs in all: Check in, History, these, More


@dataclass(frozen=True)
class Link:
    label: Label
    url_name: str
    order: int
    tab: bool = False

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_NAV: dict[str, Link] = {}
_SETTINGS: dict[str, Link] = {}


def add_nav(label: Label, url_name: str, order: int = 50, *, tab: bool = False) -> None:
    _NAV[url_name] = Link(label, url_name, order, tab)


def add_settings_link(label: Label, url_name: str, order: int = 50) -> None:
    _SETTINGS[url_name] = Link(label, url_name, order)


def nav_links() -> list[Link]:
    return sorted(_NAV.values(), key=lambda link: link.order)


def tab_links() -> list[Link]:
    """The app links in the tab bar: those asking for a tab, lowest order first, at most ``MAX_APP_TABS``."""
    return [link for link in nav_links() if link.tab][:MAX_APP_TABS]


def more_links() -> list[Link]:
    """Every other app link, under "More"."""
    tabs = tab_links()
    return [link for link in nav_links() if link not in tabs]


def settings_links() -> list[Link]:
    return sorted(_SETTINGS.values(), key=lambda link: link.order)
