"""Consent versions: drafts, publishing, sanitised markdown, re-consent before going on."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fibrotrack.studies import access, markdown
from fibrotrack.studies.actions import consent, enrolment
from fibrotrack.studies.tests.enrol_helpers import join, open_study, user

pytestmark = pytest.mark.django_db


def test_consent_markdown_is_rendered_without_raw_html_images_or_unsafe_links():
    html = markdown.render(
        "# Title\n\n<script>alert(1)</script> **bold** [bad](javascript:alert(1)) ![img](http://x/i.png) "
        "[ok](https://example.org)"
    )
    assert "<h3>Title</h3>" in html
    assert "<script>" not in html and 'href="javascript' not in html and "<img" not in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html


def test_a_published_version_is_what_new_participants_sign_and_a_draft_is_not():
    study, pi = open_study()
    view = access.get_staff_view(pi, study.uuid)
    draft = consent.do_save_consent_draft(view, text="Version two", shares=["diary"])
    assert draft.version == 2 and draft.published_at is None
    assert consent.current_consent(study).version == 1
    consent.do_publish_consent(view)
    assert consent.current_consent(study).version == 2


def test_publishing_needs_a_draft():
    study, pi = open_study()
    with pytest.raises(ValidationError, match="no draft"):
        consent.do_publish_consent(access.get_staff_view(pi, study.uuid))


def test_a_study_cannot_open_without_a_published_consent():
    from fibrotrack.studies import designs
    from fibrotrack.studies.actions import protocol

    pi = user()
    study = protocol.do_create_study(pi, template=designs.PILOT_2009, title="", short_code="P1")
    with pytest.raises(ValidationError, match="Publish a consent form first"):
        enrolment.do_open_enrolment(access.get_staff_view(pi, study.uuid))


def test_a_participant_on_an_older_version_signs_the_new_one_before_going_on(client):
    study, pi = open_study()
    participant = join(study, pi)
    view = access.get_staff_view(pi, study.uuid)
    consent.do_save_consent_draft(
        view, text="We now also ask about **side effects**.", shares=["diary", "side_effects"]
    )
    consent.do_publish_consent(view)
    client.force_login(participant.user)
    me = reverse("studies:me", args=[study.uuid])
    assert client.get(me)["Location"] == reverse("studies:me_consent", args=[study.uuid])
    assert client.get(reverse("studies:me_screen", args=[study.uuid]))["Location"] == reverse(
        "studies:me_consent", args=[study.uuid]
    )
    page = client.get(reverse("studies:me_consent", args=[study.uuid])).content.decode()
    assert "new version of the consent form (version 2)" in page
    assert "<strong>side effects</strong>" in page
    response = client.post(
        reverse("studies:me_consent", args=[study.uuid]),
        {"agree": "on", "typed_name": "Ada Person", "shares": ["side_effects"]},
    )
    assert response.status_code == 302
    latest = consent.latest_signature(participant)
    assert latest.version.version == 2
    assert latest.shares == ["side_effects"]
    assert consent.clean_shares(latest.version, ["doses", "diary"]) == ["diary"]  # only what v2 asks for
    assert client.get(me).status_code == 200


def test_the_staff_list_shows_who_must_sign_again(client):
    study, pi = open_study()
    join(study, pi)
    view = access.get_staff_view(pi, study.uuid)
    consent.do_save_consent_draft(view, text="v2", shares=["diary"])
    consent.do_publish_consent(view)
    client.force_login(pi)
    assert (
        "asked to sign the new version"
        in client.get(reverse("studies:participants", args=[study.uuid])).content.decode()
    )


def test_the_pi_writes_and_publishes_through_the_pages(client):
    study, pi = open_study()
    client.force_login(pi)
    url = reverse("studies:consent", args=[study.uuid])
    response = client.post(url, {"text": "## Risks\n\nNausea.", "shares": ["diary"]})
    assert response.status_code == 302
    client.post(reverse("studies:consent_publish", args=[study.uuid]))
    page = client.get(url).content.decode()
    assert "Version 2, published" in page
    assert "<h4>Risks</h4>" in page
