"""Joining with a code: the code's rules, the closed study, codes handed out in order, registration at the first enrolment."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from fibrotrack.studies import access, codes
from fibrotrack.studies.actions import consent, enrolment
from fibrotrack.studies.models import InviteCode, Participant, ProtocolVersion
from fibrotrack.studies.tests.enrol_helpers import join, make_code, open_study, user

pytestmark = pytest.mark.django_db


def _join(study, code, person=None):
    version = consent.current_consent(study)
    return enrolment.do_join(
        person or user(), code, consent_version=version.version, typed_name="Some One", shares=["diary"]
    )


def test_a_personal_code_works_once_and_then_is_refused_clearly():
    study, pi = open_study()
    code = make_code(study, pi)
    first = _join(study, code)
    assert first.code == "LDNX-001"
    assert first.status == Participant.Status.SCREENING
    with pytest.raises(ValidationError, match="already been used"):
        _join(study, code)


def test_a_link_takes_as_many_people_as_allowed():
    study, pi = open_study()
    code = make_code(study, pi, max_uses=2)
    assert [_join(study, code).code for _ in range(2)] == ["LDNX-001", "LDNX-002"]
    with pytest.raises(ValidationError, match="as many times as the study team allowed"):
        _join(study, code)


def test_it_refuses_an_expired_code():
    study, pi = open_study()
    code = make_code(study, pi, days_valid=1)
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)), pytest.raises(ValidationError, match="expired"):
        _join(study, code)


def test_it_refuses_a_withdrawn_code():
    study, pi = open_study()
    code = make_code(study, pi)
    row = InviteCode.objects.get(code_hash=codes.code_hash(code))
    enrolment.do_revoke_code(access.get_staff_view(pi, study.uuid), row)
    with pytest.raises(ValidationError, match="withdrawn by the study team"):
        _join(study, code)


def test_an_unknown_code_is_refused():
    open_study()
    with pytest.raises(ValidationError, match="do not recognise"):
        enrolment.check_code("AAAA-BBBB-CCCC")


def test_typing_is_forgiving_about_case_dashes_and_look_alikes():
    study, pi = open_study()
    code = make_code(study, pi)
    typed = code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert enrolment.check_code(typed).study == study


def test_a_study_closed_to_enrolment_refuses_new_consents():
    study, pi = open_study()
    code = make_code(study, pi)
    enrolment.do_close_enrolment(access.get_staff_view(pi, study.uuid))
    with pytest.raises(ValidationError, match="not taking new participants"):
        _join(study, code)
    assert not study.participants.exists()


def test_staff_cannot_take_part_in_their_own_study():
    study, pi = open_study()
    code = make_code(study, pi)
    with pytest.raises(PermissionDenied):
        _join(study, code, person=pi)


def test_nobody_joins_the_same_study_twice():
    study, pi = open_study()
    person = user()
    _join(study, make_code(study, pi), person=person)
    with pytest.raises(ValidationError, match="already take part"):
        _join(study, make_code(study, pi), person=person)


def test_the_consent_version_read_must_be_the_current_one():
    study, pi = open_study()
    code = make_code(study, pi)
    with pytest.raises(ValidationError, match="changed while you were reading"):
        enrolment.do_join(user(), code, consent_version=99, typed_name="Some One", shares=[])
    assert InviteCode.objects.get(code_hash=codes.code_hash(code)).uses == 0


def test_the_first_enrolment_registers_the_protocol_once():
    study, pi = open_study()
    assert not study.is_frozen
    join(study, pi)
    join(study, pi)
    study.refresh_from_db()
    assert study.is_frozen
    versions = list(ProtocolVersion.objects.filter(study=study))
    assert [v.version for v in versions] == [1]
    assert versions[0].payload == study.protocol


def test_the_signature_keeps_what_the_participant_chose_to_share():
    study, pi = open_study()
    participant = join(study, pi)
    signature = participant.signatures.get()
    assert signature.shares == ["diary", "doses"]
    assert signature.version.version == 1


def test_a_site_code_puts_the_participant_in_its_stratum_when_the_protocol_stratifies_by_site():
    study, pi = open_study()
    study.protocol = {**study.protocol, "stratify_by": "site"}
    study.save()
    participant = join(study, pi, site="Leeds")
    assert participant.stratum == "Leeds"


def test_the_pages_refuse_a_used_code_with_the_reason(client):
    study, pi = open_study()
    code = make_code(study, pi)
    _join(study, code)
    client.force_login(user())
    response = client.post(reverse("studies:join"), {"code": code})
    assert response.status_code == 400
    assert "already been used" in response.content.decode()
    response = client.get(reverse("studies:join_code", args=[code]))
    assert "already been used" in response.content.decode()


def test_joining_through_the_pages_signs_and_leads_to_the_screener(client):
    study, pi = open_study()
    code = make_code(study, pi)
    person = user()
    client.force_login(person)
    response = client.post(reverse("studies:join"), {"code": code.lower()})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "What taking part means" in page.content.decode()
    assert "<script" not in page.content.decode().split("What taking part means")[1].split("</article>")[0]
    response = client.post(
        reverse("studies:join_code", args=[code]),
        {"version": "1", "agree": "on", "typed_name": "Ada Person", "shares": ["diary"]},
    )
    participant = Participant.objects.get(user=person)
    assert response["Location"] == reverse("studies:me_screen", args=[study.uuid])
    assert participant.signatures.get().typed_name == "Ada Person"


def test_nothing_is_shared_unless_ticked(client):
    study, pi = open_study()
    code = make_code(study, pi)
    client.force_login(user())
    page = client.get(reverse("studies:join_code", args=[code])).content.decode()
    boxes = [line for line in page.split("<input") if 'name="shares"' in line]
    assert len(boxes) == 3
    assert not any("checked" in box.split(">")[0] for box in boxes)
