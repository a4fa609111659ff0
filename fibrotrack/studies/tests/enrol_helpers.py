"""Building studies for the enrolment tests: through the actions, as the pages do."""

from __future__ import annotations

from typing import Any

from fibrotrack.lib.testing.factories import UserFactory
from fibrotrack.studies import access, designs, screener
from fibrotrack.studies.actions import consent, enrolment, protocol
from fibrotrack.studies.models import Participant, Study

CONSENT_TEXT = "# What taking part means\n\nYou keep a **daily diary**. You may withdraw at any time."
ACR_MET = {
    "regions": ["shoulder_l", "shoulder_r", "hip_l", "hip_r", "lower_back", "neck", "upper_leg_l", "upper_leg_r"],
    "fatigue": 2,
    "unrefreshed": 2,
    "cognitive": 1,
    "headache": True,
    "abdominal": False,
    "depression": False,
    "three_months": True,
}


def user(**kwargs: Any) -> Any:
    return UserFactory(**kwargs)  # type: ignore[no-untyped-call]


def open_study(pi: Any = None, template: str = designs.CROSSOVER_2013, short: str = "LDNX") -> tuple[Study, Any]:
    """A study with a published consent, open to enrolment; returns it and its PI."""
    pi = pi or user(display_name="Dr PI", email="pi@example.org")
    study = protocol.do_create_study(pi, template=template, title="", short_code=short)
    view = access.get_staff_view(pi, study.uuid)
    consent.do_save_consent_draft(view, text=CONSENT_TEXT, shares=["diary", "doses", "side_effects"])
    consent.do_publish_consent(view)
    enrolment.do_open_enrolment(view)
    study.refresh_from_db()
    return study, pi


def make_code(study: Study, pi: Any, **kwargs: Any) -> str:
    options = {"max_uses": 1, "days_valid": 30, **kwargs}
    _row, code = enrolment.do_create_code(access.get_staff_view(pi, study.uuid), **options)
    return code


def join(study: Study, pi: Any, person: Any = None, **code_kwargs: Any) -> Participant:
    person = person or user()
    code = make_code(study, pi, **code_kwargs)
    version = consent.current_consent(study)
    assert version is not None
    return enrolment.do_join(
        person, code, consent_version=version.version, typed_name="Ada Person", shares=["diary", "doses"]
    )


def eligible_answers(**overrides: Any) -> screener.Answers:
    fields = {"age": 45, "is_woman": True, "takes_opioids": False, "acr": ACR_MET, **overrides}
    return screener.Answers(**fields)
