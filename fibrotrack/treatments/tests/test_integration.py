"""Treatments in the rest of FibroTrack: timeline, queries for trials, catalogue, demo, account deletion."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from fibrotrack.accounts.actions import do_delete_account
from fibrotrack.lib import charts
from fibrotrack.lib.dates import diary_day as today_for
from fibrotrack.lib.reference import load_all
from fibrotrack.lib.testing.factories import make_checkin
from fibrotrack.treatments import catalogue, queries
from fibrotrack.treatments.actions import DoseEntry, do_change_dose, do_log_doses, do_stop_regimen
from fibrotrack.treatments.models import DoseLog, Regimen, SideEffect, TitrationPlan, Treatment
from fibrotrack.treatments.tests.helpers import start
from fibrotrack.treatments.timeline import provider

pytestmark = pytest.mark.django_db


def test_regimens_appear_on_the_timeline(owner, today, django_assert_max_num_queries):
    start(owner, "naltrexone", on=today - dt.timedelta(days=20), plan="ldn_standard")
    pregabalin = start(owner, "pregabalin", on=today - dt.timedelta(days=60), amount="75")
    do_change_dose(
        pregabalin, effective_on=today - dt.timedelta(days=50), amount=Decimal(150), unit="mg", reason="prescriber"
    )
    do_stop_regimen(pregabalin, stopped_on=today - dt.timedelta(days=30), reason="side_effects")
    with django_assert_max_num_queries(2):
        items = provider(owner, today - dt.timedelta(days=89), today)
    bands = [i for i in items if isinstance(i, charts.Band)]
    markers = [(m.day, m.label) for m in items if isinstance(m, charts.Marker)]
    assert [b.label.split(" from ")[0] for b in bands] == ["Pregabalin", "Naltrexone (LDN)"]
    assert bands[0].end == today - dt.timedelta(days=30)
    assert (today - dt.timedelta(days=50), "Pregabalin changed to 150 mg") in markers
    assert (today - dt.timedelta(days=30), "Pregabalin stopped (side effects)") in markers
    assert (today - dt.timedelta(days=20), "Naltrexone (LDN) started at 1 mg") in markers
    assert (today - dt.timedelta(days=13), "Naltrexone (LDN) changed to 2 mg") in markers


def test_the_diary_chart_draws_them(owner, owner_client, today):
    make_checkin(owner, today - dt.timedelta(days=1), pain=5)
    start(owner, "naltrexone", on=today - dt.timedelta(days=20), plan="ldn_standard")
    html = owner_client.get(reverse("diary:chart")).content.decode()
    assert "Naltrexone (LDN) changed to 2 mg" in html
    assert "<title>Naltrexone (LDN) from" in html


def test_the_timeline_keeps_to_the_person(owner, stranger, today):
    start(owner, "naltrexone", plan="ldn_standard")
    assert provider(stranger, today - dt.timedelta(days=30), today) == []


def test_queries_for_trials(owner, today, django_assert_max_num_queries):
    ldn = start(owner, "naltrexone", on=today - dt.timedelta(days=10), plan="ldn_standard")
    magnesium = start(owner, "magnesium", on=today - dt.timedelta(days=3), amount="300")
    do_log_doses(owner, today - dt.timedelta(days=1), [DoseEntry(ldn, 0, "taken", Decimal(2), "mg")])
    ldn = Regimen.objects.select_related("treatment", "plan").prefetch_related("dose_changes").get(pk=ldn.pk)
    doses = queries.dose_in_force(ldn, today - dt.timedelta(days=12), today)
    assert doses[today - dt.timedelta(days=11)] is None
    assert doses[today - dt.timedelta(days=10)].amount == Decimal(1)
    assert doses[today - dt.timedelta(days=3)].amount == Decimal(2)
    with django_assert_max_num_queries(1):
        shares = queries.adherence_by_day(ldn, today - dt.timedelta(days=2), today - dt.timedelta(days=1))
    assert shares == {today - dt.timedelta(days=2): 0.0, today - dt.timedelta(days=1): 1.0}
    with django_assert_max_num_queries(2):
        changes = queries.treatment_changes(owner, today - dt.timedelta(days=5), today, exclude=ldn)
    assert [(c.name, c.kind, c.day) for c in changes] == [("Magnesium", "started", magnesium.started_on)]
    everything = queries.treatment_changes(owner, today - dt.timedelta(days=30), today)
    assert [c.label for c in everything] == [
        "Naltrexone (LDN) started, 1 mg",
        "Magnesium started, 300 mg",
        "Naltrexone (LDN) 2 mg",
    ]


def test_the_catalogue_covers_the_issue(db):
    keys = {t.key for t in Treatment.objects.filter(user=None)}
    required = {
        "pregabalin", "duloxetine", "milnacipran", "amitriptyline", "cyclobenzaprine", "gabapentin", "naltrexone",
        "tramadol", "codeine", "hydrocodone", "oxycodone", "morphine", "methadone", "buprenorphine", "fentanyl",
        "ibuprofen", "zolpidem", "diazepam", "guaifenesin", "sodium_oxybate",
        "melatonin", "vitamin_b12", "magnesium", "5_htp", "ginkgo", "vitamin_d", "coq10", "acetyl_l_carnitine",
        "glucosamine", "caffeine",
        "cbt", "physical_therapy", "massage", "myofascial_release", "acupuncture", "chiropractic", "tens",
        "biofeedback", "hydrotherapy", "light_therapy", "guided_imagery", "hypnosis", "meditation", "relaxation",
        "tai_chi", "yoga", "warm_water_exercise", "swimming", "strength_training", "walking", "diet_change",
        "aromatherapy", "craniosacral_therapy", "reflexology", "reiki", "polarity_therapy", "homeopathy",
        "magnetic_therapy", "hormone_therapy", "affective_self_awareness", "behavioural_modification",
        "sleep_hygiene", "online_self_management",
    }  # fmt: skip
    assert required <= keys
    lyrica = Treatment.objects.get(user=None, key="pregabalin")
    assert "Lyrica" in lyrica.aliases and lyrica.category == "medication" and lyrica.is_sedative
    ldn = Treatment.objects.get(user=None, key="naltrexone")
    assert ldn.side_effects == list(catalogue.LDN_EFFECTS)
    for entry in catalogue.ENTRIES:
        assert entry.units and set(entry.units) <= set(catalogue.UNIT_CODES), entry.key
        assert set(entry.forms) <= set(catalogue.FORM_LABELS), entry.key
        assert set(entry.side_effects) <= set(catalogue.SIDE_EFFECTS), entry.key


def test_loading_again_changes_nothing(db, django_assert_num_queries):
    before = list(Treatment.objects.filter(user=None).order_by("key").values())
    with django_assert_num_queries(1):
        from fibrotrack.treatments.catalogue import load

        assert load() == len(catalogue.ENTRIES)
    load_all()
    assert list(Treatment.objects.filter(user=None).order_by("key").values()) == before


def test_a_changed_entry_is_refreshed(db):
    Treatment.objects.filter(user=None, key="tramadol").update(is_opioid=False, name="Old name")
    load_all()
    tramadol = Treatment.objects.get(user=None, key="tramadol")
    assert tramadol.is_opioid and tramadol.name == "Tramadol"


def _demo(user, seed=7):
    from fibrotrack.diary import demo as diary_demo
    from fibrotrack.treatments import demo

    end = today_for(user) - dt.timedelta(days=1)
    begin = end - dt.timedelta(days=182)
    diary_demo.build(user, begin, end, random.Random(seed))
    return demo.build(user, begin, end, random.Random(seed))


def test_the_demo_tells_a_treatment_story(owner):
    user = owner
    summary = _demo(user)
    assert "LDN" in summary and "pregabalin stopped" in summary
    regimens = list(Regimen.objects.filter(user=user).select_related("treatment").order_by("started_on"))
    by_key = {r.treatment.key: r for r in regimens}
    assert set(by_key) == {"naltrexone", "pregabalin", "magnesium"}
    assert by_key["pregabalin"].stop_reason == "side_effects"
    capsules, after = [r for r in regimens if r.treatment.key == "naltrexone"]  # the trial's, then openly
    assert capsules.stopped_on is not None and after.started_on == capsules.stopped_on + dt.timedelta(days=15)
    assert not TitrationPlan.objects.filter(regimen__user=user).exists()  # 4.5 mg from the first capsule
    assert SideEffect.objects.filter(user=user, key="vivid_dreams", regimen=capsules).exists()
    assert SideEffect.objects.filter(user=user, regimen=by_key["pregabalin"]).count() >= 1
    ldn_days = set(DoseLog.objects.filter(regimen=capsules).values_list("day", flat=True))
    gap = [capsules.started_on + dt.timedelta(days=45 + i) for i in range(7)]
    assert not ldn_days & set(gap)  # a week away without logging
    amounts = set(
        DoseLog.objects.filter(regimen__in=[capsules, after], status="taken").values_list("amount", flat=True)
    )
    assert amounts == {Decimal("4.5")}
    # Building again replaces, never duplicates.
    _demo(user)
    assert Regimen.objects.filter(user=user).count() == 4


def test_deleting_an_account_removes_every_treatment_row(owner, stranger, today):
    ldn = start(owner, "naltrexone", on=today - dt.timedelta(days=10), plan="ldn_standard")
    start(owner, "tramadol", amount="50", schedule="as_needed")
    theirs = start(stranger, "magnesium")
    Treatment.objects.create(user=owner, key="own", name="Own thing", category="supplement")
    do_log_doses(owner, today, [DoseEntry(ldn, 0, "taken", Decimal(2), "mg")])
    from fibrotrack.treatments.actions import SideEffectAnswer, do_record_opioid_answer, do_record_side_effects
    from fibrotrack.treatments.safety import Finding, rule

    do_record_side_effects(owner, today, [SideEffectAnswer("nausea", "Nausea", "mild", ldn)])
    do_record_opioid_answer(owner, today, True, Finding(rule("opioid_while_on_naltrexone"), "LDN"))
    do_delete_account(owner)
    for model in apps.get_app_config("treatments").get_models():
        if model is Treatment:
            assert not Treatment.objects.exclude(user=None).exclude(user=stranger).exists()
            continue
        rows = model.objects.all()
        if model is Regimen:
            assert list(rows) == [theirs]
        else:
            assert set(rows.values_list("pk", flat=True)) <= set(
                model.objects.filter(**_owned_by(model, stranger)).values_list("pk", flat=True)
            ), model.__name__
    assert Treatment.objects.filter(user=None).count() == len(catalogue.ENTRIES)


def _owned_by(model, user):
    names = {f.name for f in model._meta.get_fields()}
    if "user" in names:
        return {"user": user}
    if "regimen" in names:
        return {"regimen__user": user}
    return {"side_effect__user": user}
