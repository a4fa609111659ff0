"""Every study page, as a role that may open it, in the pseudo-locale: no visible word left unmarked.

The pages come from the role sweep's ``MATRIX`` (so a new study URL is swept as soon as it has its row),
each opened by the first visitor allowed to GET it. What the study's people wrote (the title, the
consent text, reasons, visit labels from the protocol) and codes are data, passed as ``ignore``.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from fibrotrack.lib.testing.i18n import PSEUDO, pseudo_locale, untranslated_text
from fibrotrack.studies import codes, designs
from fibrotrack.studies.models import AllocationSlot, ConsentVersion, InviteCode, StaffInvite, UnblindingEvent
from fibrotrack.studies.tests.test_role_sweep import MATRIX, _urls
from fibrotrack.studies.tests.world import (
    SECRET_EMAILS,
    SECRET_NAMES,
    STAFF_ROLES,
    VISITORS,
    StudyWorld,
    build_study_world,
)

pytestmark = pytest.mark.django_db
# Who opens a page: the most senior visitor allowed to (the PI sees the most).
PREFERENCE = (*STAFF_ROLES, "participant", "other_participant", "stranger")


def _data(world: StudyWorld) -> list[str]:
    study = world.study
    protocol = designs.Protocol.from_json(study.protocol)
    join_codes = [codes.code_for(c.nonce) for c in InviteCode.objects.filter(study=study)]
    return [
        *[settings.SITE_ROOT.rstrip("/") + reverse("studies:join_code", args=[c]) for c in join_codes],
        *join_codes,
        *InviteCode.objects.filter(study=study).values_list("label", flat=True),
        *StaffInvite.objects.filter(study=study).values_list("email", flat=True),
        *protocol.sequences,
        "kPa",
        study.title,
        study.short_code,
        protocol.citation,
        *[v.label for v in protocol.visits],
        *[c.label for c in protocol.conditions],
        *[p.code for p in world.participants.values()],
        *AllocationSlot.objects.filter(study=study).values_list("kit", flat=True),
        *ConsentVersion.objects.filter(study=study).values_list("text", flat=True),
        *UnblindingEvent.objects.filter(study=study).values_list("reason", flat=True),
        *SECRET_NAMES.values(),
        *SECRET_EMAILS.values(),
        *[u.display_name for u in world.users.values()],
        *[u.email for u in world.users.values()],
    ]


def test_every_study_page_is_fully_marked_for_translation():
    world = build_study_world()
    data = _data(world)
    found: dict[str, list[str]] = {}
    with pseudo_locale():
        for key, url, row in _urls(world):
            visitor = next((v for v in PREFERENCE if v in row.get), None)
            if visitor is None:
                continue
            client = Client()
            client.force_login(world.users[visitor])
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=PSEUDO)
            if response.get("Content-Type", "").startswith("text/html"):
                left = untranslated_text(response.content.decode(), ignore=data)
                if left:
                    found[f"{key} as {visitor}"] = left
    assert found == {}, "\n".join(f"{k}: {' | '.join(v)}" for k, v in found.items())


def test_every_study_url_is_opened_by_someone():
    assert set(MATRIX) and all(set(row.get) <= set(VISITORS) for row in MATRIX.values())
