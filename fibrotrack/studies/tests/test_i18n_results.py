"""Every word of the results pages is marked for translation (pseudo-locale ⟦…⟧)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fibrotrack.lib.testing.i18n import PSEUDO, pseudo_locale, untranslated_text
from fibrotrack.studies import roles
from fibrotrack.studies.actions.analysis import do_lock_dataset, do_run_analysis
from fibrotrack.studies.models import UnblindingEvent
from fibrotrack.studies.tests.results_world import finished_world, unblind

pytestmark = pytest.mark.django_db


def test_the_results_pages_have_no_untranslated_word():
    world = finished_world(every_day=3)
    client = Client()
    client.force_login(world.users[roles.PI])
    study = world.study
    reasons = UnblindingEvent.objects.filter(study=study).values_list("reason", flat=True)
    data = [study.title, study.short_code, *[p.code for p in world.participants.values()], *reasons]
    with pseudo_locale():
        for name in ("studies:results", "studies:lock_dataset"):
            page = client.get(reverse(name, args=[study.uuid]), HTTP_ACCEPT_LANGUAGE=PSEUDO).content.decode()
            assert untranslated_text(page, ignore=data) == [], name
        do_lock_dataset(study, world.users[roles.PI])
        unblind(world)
        run = do_run_analysis(study, world.users[roles.PI])
        page = client.get(reverse("studies:results", args=[study.uuid]), HTTP_ACCEPT_LANGUAGE=PSEUDO).content.decode()
    # Stored words shown as written: the design's condition names and the statistics library's notes.
    stored = ["LDN 4.5 mg", "Placebo", "Baseline", "pain", "fatigue", "sleep_quality", "mood", "Double-blind"]
    stored += [study.dataset_locks.get().digest, run.fibrostats_version, *run.result["notes"]]
    for outcome in run.result["outcomes"]:
        if outcome.get("crossover"):
            stored += outcome["crossover"]["notes"]
    leftovers = untranslated_text(page, ignore=data + stored)
    assert leftovers == []
