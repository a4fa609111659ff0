"""The main diary journeys in a real browser (Debian's Chromium via Playwright)."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from fibrotrack.accounts.models import User
from fibrotrack.diary.actions import do_record_acr_assessment
from fibrotrack.diary.models import CheckIn
from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.testing.browser import serious_accessibility_violations
from fibrotrack.lib.testing.factories import make_checkin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _rate(page, symptom, value):
    page.get_by_role("group", name=re.compile(f"^{symptom}")).get_by_role("radio", name=str(value), exact=True).check()


def test_sign_up_onboard_check_in_edit_yesterday_and_see_the_chart(page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Create your free account").click()
    page.get_by_label("Email", exact=True).fill("newcomer@example.org")
    page.get_by_label("Password", exact=True).fill("a sturdy passphrase 42")
    page.get_by_label("Password (again)", exact=True).fill("a sturdy passphrase 42")
    page.get_by_role("button", name="Sign Up").click()

    # The same "check your e-mail" page for a taken and a free address (no
    # account enumeration); the link in the e-mail confirms and signs in.
    page.wait_for_url(re.compile("/confirm-email/"))
    link = re.search(r"https?://\S+confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(live_server.url + "/" + link.split("/", 3)[3])
    page.get_by_role("button", name=re.compile("confirm", re.IGNORECASE)).click()

    page.wait_for_url(re.compile("/me/welcome/"))
    page.get_by_label("Your time zone").select_option("Europe/Berlin")
    page.get_by_role("button", name="Start my diary").click()

    page.wait_for_url(re.compile("/diary/"))
    for symptom, value in [
        ("Pain", 6),
        ("Fatigue", 7),
        ("Sleep quality", 3),
        ("Fibro fog", 5),
        ("Mood", 4),
        ("Stiffness", 6),
    ]:
        _rate(page, symptom, value)
    page.get_by_role("button", name=re.compile("^Save")).click()
    page.get_by_text("Well done for checking in").wait_for()

    user = User.objects.get(email="newcomer@example.org")
    assert user.time_zone == "Europe/Berlin"
    checkin = CheckIn.objects.get(user=user)
    assert {s.symptom.key: s.value for s in checkin.scores.select_related("symptom")}["pain"] == 6

    # Edit yesterday: back-fill it, then change it.
    yesterday = diary_day(user) - dt.timedelta(days=1)
    page.get_by_role("link", name="Previous day").click()
    page.wait_for_url(re.compile(yesterday.isoformat()))
    _rate(page, "Pain", 8)
    page.get_by_role("button", name=re.compile("^Save")).click()
    page.get_by_text("Well done for checking in").wait_for()
    _rate(page, "Pain", 5)
    page.get_by_text("Add a note").click()
    page.get_by_label("Note").fill("Better after a nap")
    page.get_by_role("button", name=re.compile("^Save")).click()
    page.get_by_text("Well done for checking in").wait_for()
    edited = CheckIn.objects.get(user=user, day=yesterday)
    assert edited.note == "Better after a nap"
    assert edited.revisions.count() == 2

    page.get_by_role("navigation", name="Main").get_by_role("link", name="More").click()  # the phone's tab bar
    page.get_by_role("link", name="Chart").click()
    chart = page.locator("svg.chart").first  # one small chart per symptom, the first ticked on top
    chart.wait_for()
    assert "Pain" in chart.get_attribute("aria-label")
    assert page.locator("svg.chart polyline, svg.chart circle").count() > 0


def test_a_check_in_can_be_completed_with_the_keyboard_alone(logged_in_page, live_server, owner):
    page = logged_in_page
    page.goto(live_server.url + reverse("diary:today"))
    # Tab from the top of the page to the first radio of the first symptom.
    page.keyboard.press("Tab")  # skip link
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "radio":
            break
    assert page.evaluate("document.activeElement.name").startswith("s_")
    # Arrow keys move within a radio group; Tab moves to the next symptom.
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    first_name = page.evaluate("document.activeElement.name")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    second_name = page.evaluate("document.activeElement.name")
    assert second_name != first_name
    # Tab on to the save button (no mouse, no scripted focus) and press Enter.
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").startswith("Save"):
            break
    assert page.evaluate("document.activeElement.tagName") == "BUTTON"
    page.keyboard.press("Enter")
    page.get_by_text("Well done for checking in").wait_for()
    scores = {s.symptom.key: s.value for s in CheckIn.objects.get(user=owner).scores.select_related("symptom")}
    assert scores == {"pain": 4, "fatigue": 2}


def test_a_returning_user_completes_a_full_check_in_in_eight_interactions(logged_in_page, live_server, owner):
    today = diary_day(owner)
    for i in range(1, 8):
        make_checkin(owner, today - dt.timedelta(days=i), pain=5, fatigue=5)
    page = logged_in_page
    page.goto(live_server.url + "/")  # opening the app lands on today's check-in
    page.wait_for_url(re.compile("/diary/$"))
    # Every step is one real tap or one typed value; a field hidden behind an
    # extra tap (a closed section, a second page) would make a step fail.
    steps = [
        lambda: _rate(page, "Pain", 6),
        lambda: _rate(page, "Fatigue", 7),
        lambda: _rate(page, "Sleep quality", 3),
        lambda: _rate(page, "Fibro fog", 5),
        lambda: _rate(page, "Mood", 4),
        lambda: _rate(page, "Stiffness", 6),
        lambda: page.get_by_label("Hours slept").fill("6.5"),
        lambda: page.get_by_role("button", name=re.compile("^Save")).click(),
    ]
    for step in steps:
        step()
    page.get_by_text("Well done for checking in").wait_for()
    assert len(steps) <= 8
    checkin = CheckIn.objects.get(user=owner, day=today)
    assert {s.symptom.key: s.value for s in checkin.scores.select_related("symptom")} == {
        "pain": 6,
        "fatigue": 7,
        "sleep_quality": 3,
        "fibro_fog": 5,
        "mood": 4,
        "stiffness": 6,
    }
    assert str(checkin.hours_slept) == "6.50"


def test_double_tapping_save_makes_one_entry(logged_in_page, live_server, owner):
    page = logged_in_page
    page.goto(live_server.url + reverse("diary:today"))
    _rate(page, "Pain", 3)
    page.get_by_role("button", name=re.compile("^Save")).dblclick()
    page.get_by_text("Well done for checking in").wait_for()
    assert CheckIn.objects.filter(user=owner).count() == 1
    assert CheckIn.objects.get(user=owner).revisions.count() == 1


def test_the_body_map_works_by_keyboard_by_tapping_the_figure_and_as_a_list(logged_in_page, live_server, owner):
    page = logged_in_page
    page.goto(live_server.url + reverse("diary:today"))
    page.get_by_text("Where does it hurt?").first.click()
    regions = page.get_by_role("group", name=re.compile("^Where does it hurt"))
    assert regions.get_by_role("checkbox").count() == 19
    hip = regions.get_by_role("checkbox", name="Left hip or buttock")
    hip.focus()
    page.keyboard.press("Space")
    assert hip.is_checked()
    page.locator(".bodymap-figure .part-shoulder_r").click()  # tap the figure itself
    assert regions.get_by_role("checkbox", name="Right shoulder").is_checked()
    assert (
        page.locator(".bodymap-figure .part-shoulder_r").evaluate("e => getComputedStyle(e).fill")
        != "rgb(255, 255, 255)"
    )
    page.get_by_label("Show the areas as a plain list").check()
    assert not page.locator(".bodymap-figure").is_visible()
    assert regions.get_by_role("checkbox", name="Neck").is_visible()
    page.get_by_role("button", name=re.compile("^Save")).click()
    page.get_by_text("Well done for checking in").wait_for()
    assert CheckIn.objects.get(user=owner).pain_regions == ["hip_l", "shoulder_r"]


def test_focus_is_visible_on_the_rating_buttons(logged_in_page, live_server):
    page = logged_in_page
    page.goto(live_server.url + reverse("diary:today"))
    page.locator("input[type=radio]").first.focus()
    outline = page.evaluate("getComputedStyle(document.activeElement.nextElementSibling).outlineStyle")
    assert outline == "solid"


def test_every_diary_page_passes_an_accessibility_scan(logged_in_page, live_server, owner):
    page = logged_in_page
    today = diary_day(owner)
    for i in range(1, 20):
        make_checkin(owner, today - dt.timedelta(days=i), pain=i % 10, fatigue=4, note="x")
    assessment = do_record_acr_assessment(
        owner,
        today,
        regions=["neck", "hip_l", "shoulder_r", "lower_back"],
        fatigue=2,
        unrefreshed=2,
        cognitive=1,
        headache=True,
        abdominal=False,
        depression=False,
        three_months=True,
    )
    urls = [
        reverse("accounts:onboarding"),
        reverse("diary:today"),
        reverse("diary:day", args=[(today - dt.timedelta(days=1)).isoformat()]),
        reverse("diary:revisions", args=[(today - dt.timedelta(days=1)).isoformat()]),
        reverse("diary:history"),
        reverse("diary:chart"),
        reverse("diary:symptoms"),
        reverse("diary:acr_list"),
        reverse("diary:acr_new"),
        reverse("diary:acr_detail", args=[assessment.pk]),
        reverse("diary:symptom_edit", args=[owner.symptoms.first().pk]),
        reverse("accounts:settings"),
        reverse("accounts:delete"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("mfa_index"),
    ]
    problems = {}
    for url in urls:
        page.goto(live_server.url + url)
        # Scan what is folded away too (body map, tags, note).
        page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")
        found = serious_accessibility_violations(page)
        if found:
            problems[url] = found
    assert problems == {}


def test_public_pages_pass_an_accessibility_scan(page, live_server):
    problems = {}
    for url in ["/", reverse("account_login"), reverse("account_signup"), reverse("account_reset_password")]:
        page.goto(live_server.url + url)
        found = serious_accessibility_violations(page)
        if found:
            problems[url] = found
    assert problems == {}
