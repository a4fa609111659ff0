"""The main menu: five tabs on a phone (Check in, History, two app tabs, More), the rest under "More"."""

import re

from django.urls import reverse

from fibrotrack.lib import navigation


def _nav(html, label):
    match = re.search(rf'<nav [^>]*aria-label="{label}"[^>]*>(.*?)</nav>', html, re.S)
    assert match, f"a navigation landmark labelled {label}"
    return match.group(1)


def _links(fragment):
    return re.findall(r'<a href="([^"]+)"([^>]*)>([^<]+)</a>', fragment)


def test_at_most_two_app_tabs_and_every_other_link_under_more(monkeypatch):
    links = {}
    monkeypatch.setattr(navigation, "_NAV", links)
    for order, name in enumerate(["diary:chart", "diary:symptoms", "diary:acr_list", "accounts:settings"]):
        navigation.add_nav(name, name, order=order, tab=True)
    navigation.add_nav("Other", "diary:history", order=1)
    tabs = navigation.tab_links()
    assert [t.url_name for t in tabs] == ["diary:chart", "diary:symptoms"]
    assert len(tabs) == navigation.MAX_APP_TABS
    assert {link.url_name for link in navigation.more_links()} == {
        "diary:history",
        "diary:acr_list",
        "accounts:settings",
    }


def test_the_tab_bar_has_five_items_and_marks_the_current_page(owner_client):
    html = owner_client.get(reverse("treatments:list")).content.decode()
    tabs = _links(_nav(html, "Main"))
    assert [label for _, _, label in tabs] == ["Check in", "History", "Treatments", "My progress", "More"]
    current = [label for _, attrs, label in tabs if 'aria-current="page"' in attrs]
    assert current == ["Treatments"]
    assert tabs[-1][0] == "#menu"


def test_more_holds_the_other_pages_and_log_out(owner_client):
    html = owner_client.get(reverse("diary:chart")).content.decode()
    more = _nav(html, "More")
    labels = [label for _, _, label in _links(more)]
    assert labels[:5] == ["Chart", "Trials", "Community", "Studies", "Settings"]
    assert 'id="menu"' in html
    assert re.search(r'<form class="logout" method="post" action="[^"]+">', more)
    assert [label for _, attrs, label in _links(more) if 'aria-current="page"' in attrs] == ["Chart"]
    # A tab is never listed twice.
    tab_urls = {url for url, _, _ in _links(_nav(html, "Main"))}
    assert not tab_urls & {url for url, _, _ in _links(more)}


def test_signed_out_pages_have_no_menu(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'aria-label="Main"' not in html
    assert 'id="menu"' not in html
