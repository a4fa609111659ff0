"""``fibrotrack demo_study``: a finished 30-participant crossover whose pooled interval covers the known effect."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from fibrotrack.studies.demo import SHORT_CODE
from fibrotrack.studies.models import AnalysisRun, Participant, Study

pytestmark = pytest.mark.django_db


def test_the_demo_study_is_finished_and_its_pooled_interval_covers_the_known_effect():
    out = io.StringIO()
    call_command("demo_study", password="demo-pass-123", effect=-1.5, stdout=out)
    study = Study.objects.get(short_code=SHORT_CODE)
    assert study.status == Study.Status.UNBLINDED and study.locked_at is not None
    participants = study.participants.filter(randomised_at__isnull=False)
    assert participants.count() == 30
    assert participants.filter(status=Participant.Status.WITHDRAWN).count() == 2
    run = AnalysisRun.objects.get(study=study, masked=False)
    pain = run.result["outcomes"][0]
    contrast = next(c for c in pain["contrasts"] if c["reference"] == "placebo")
    assert contrast["effect"]["ci_low"] <= -1.5 <= contrast["effect"]["ci_high"]
    # The withdrawal that removed its data is not in the analysis; the other one's days are.
    assert contrast["n_participants"] <= 29
    assert run.result["blinding"] is not None and run.result["lab"]
    text = out.getvalue()
    assert "pi@" in text and "demo-pass-123" in text and f"/studies/{study.uuid}/results/" in text
