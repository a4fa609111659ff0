"""A study from a template; its protocol edited while a draft, registered at the first enrolment, amended with reasons."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fibrotrack.studies import access, designs, roles
from fibrotrack.studies.actions import protocol
from fibrotrack.studies.designs import Protocol
from fibrotrack.studies.models import Membership, ProtocolVersion, Study
from fibrotrack.studies.tests.enrol_helpers import join, open_study, user

pytestmark = pytest.mark.django_db


def _form(study: Study, **overrides: object) -> dict[str, object]:
    p = Protocol.from_json(study.protocol)
    data = {
        "primary_outcome": p.primary_outcome,
        "secondary_outcomes": list(p.secondary_outcomes),
        "responder_threshold_pct": p.responder_threshold_pct,
        "blinding": p.blinding,
        "stratify_by": p.stratify_by,
        "block_sizes": ", ".join(str(b) for b in p.block_sizes),
        "min_age": p.eligibility.min_age,
        "max_age": "",
        "women_only": "on",
        "requires_acr_2016": "on",
        "excludes_opioids": "on",
        "exclusion_questions": "",
        "target_enrolment": study.target_enrolment,
        **{f"days_{c.key}": c.days for c in p.conditions},
    }
    data.update(overrides)
    return data


def test_anyone_signed_in_can_start_a_study_from_a_template_and_becomes_its_pi(client):
    person = user()
    client.force_login(person)
    response = client.post(
        reverse("studies:new"), {"template": designs.CROSSOVER_2013, "title": "", "short_code": "ldnx"}
    )
    study = Study.objects.get()
    assert response["Location"] == reverse("studies:home", args=[study.uuid])
    assert study.short_code == "LDNX"
    assert study.status == Study.Status.DRAFT
    assert study.protocol == protocol.stored(designs.ldn_crossover_2013())
    assert Membership.objects.get(study=study).role == roles.PI


def test_a_short_code_already_taken_is_refused():
    protocol.do_create_study(user(), template=designs.PILOT_2009, title="A", short_code="LDN")
    with pytest.raises(ValidationError, match="already uses"):
        protocol.do_create_study(user(), template=designs.PILOT_2009, title="B", short_code="ldn")


def test_the_pi_edits_the_draft_protocol_through_the_form(client):
    pi = user()
    study = protocol.do_create_study(pi, template=designs.CROSSOVER_2013, title="", short_code="X1")
    client.force_login(pi)
    response = client.post(
        reverse("studies:protocol_edit", args=[study.uuid]),
        _form(study, days_ldn=70, responder_threshold_pct=50, exclusion_questions="Are you pregnant?\n", max_age=65),
    )
    assert response.status_code == 302, response.content.decode()
    study.refresh_from_db()
    p = Protocol.from_json(study.protocol)
    assert p.condition("ldn").days == 70
    assert p.responder_threshold_pct == 50
    assert p.eligibility.exclusion_questions == ("Are you pregnant?",)
    assert p.eligibility.max_age == 65
    assert p.contrasts == designs.ldn_crossover_2013().contrasts  # fixed by the template
    assert not ProtocolVersion.objects.exists()  # nothing registered while a draft


def test_an_unbalanced_block_size_is_refused_in_plain_words(client):
    pi = user()
    study = protocol.do_create_study(pi, template=designs.CROSSOVER_2013, title="", short_code="X2")
    client.force_login(pi)
    response = client.post(reverse("studies:protocol_edit", args=[study.uuid]), _form(study, block_sizes="3"))
    assert response.status_code == 400
    assert "multiple of the number of sequences" in response.content.decode()


def test_after_registration_a_change_is_an_amendment_with_a_reason(client):
    study, pi = open_study()
    join(study, pi)
    client.force_login(pi)
    url = reverse("studies:protocol_edit", args=[study.uuid])
    response = client.post(url, _form(study, days_placebo=42))
    assert response.status_code == 400  # no reason
    response = client.post(url, _form(study, days_placebo=42, reason="Match the LDN period's washout."))
    assert response.status_code == 302
    versions = list(ProtocolVersion.objects.filter(study=study))
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].reason == "Match the LDN period's washout."
    assert versions[1].prev_hash == versions[0].hash
    assert protocol.verify(versions) is None
    page = client.get(reverse("studies:protocol", args=[study.uuid])).content.decode()
    assert "chain intact" in page
    assert "Placebo: from 28 to 42 days" in page
    assert "Arthritis &amp; Rheumatism. 2013" in page  # the citation


def test_a_rewritten_version_breaks_the_chain_and_the_page_says_so(client):
    study, pi = open_study()
    join(study, pi)
    view = access.get_staff_view(pi, study.uuid)
    amended = protocol.with_fields(Protocol.from_json(study.protocol), responder_threshold_pct=50)
    protocol.do_amend_protocol(view, amended, reason="Stricter responders.", target_enrolment=30)
    ProtocolVersion.objects.filter(study=study, version=1).update(payload={"tampered": True})
    assert protocol.verify(list(ProtocolVersion.objects.filter(study=study))) == 1
    client.force_login(pi)
    assert (
        "fails its integrity check at version 1"
        in client.get(reverse("studies:protocol", args=[study.uuid])).content.decode()
    )


def test_a_registered_version_cannot_be_saved_again():
    study, pi = open_study()
    join(study, pi)
    version = ProtocolVersion.objects.get(study=study)
    version.reason = "rewrite"
    with pytest.raises(Exception, match="cannot be changed"):
        version.save()


def test_only_the_pi_changes_the_protocol():
    study, pi = open_study()
    coordinator = user()
    Membership.objects.create(study=study, user=coordinator, role=roles.COORDINATOR)
    view = access.get_staff_view(coordinator, study.uuid)
    with pytest.raises(PermissionDenied):
        protocol.do_update_protocol(view, Protocol.from_json(study.protocol), target_enrolment=10)


def test_an_amendment_cannot_change_the_blinding_or_the_randomisation():
    study, pi = open_study()
    join(study, pi)
    view = access.get_staff_view(pi, study.uuid)
    current = Protocol.from_json(study.protocol)
    for change in ({"blinding": "none"}, {"block_sizes": (4,)}, {"stratify_by": "site"}):
        with pytest.raises(ValidationError, match="cannot change after registration"):
            protocol.do_amend_protocol(
                view, protocol.with_fields(current, **change), reason="Why not.", target_enrolment=30
            )
    with pytest.raises(ValidationError, match="Nothing was changed"):
        protocol.do_amend_protocol(view, current, reason="No change.", target_enrolment=study.target_enrolment)
    assert ProtocolVersion.objects.filter(study=study).count() == 1


def test_an_open_study_is_closed_before_its_unregistered_protocol_changes():
    study, pi = open_study()
    with pytest.raises(ValidationError, match="close enrolment"):
        protocol.do_update_protocol(
            access.get_staff_view(pi, study.uuid), Protocol.from_json(study.protocol), target_enrolment=10
        )
