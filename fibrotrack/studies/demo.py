"""A finished demo study: a 30-participant LDN crossover on simulated data with a known effect.

``build_demo_study`` makes the 2013 crossover design (``designs.ldn_crossover_2013``)
with a principal investigator, coordinator, blinded assessor, pharmacist and
data monitor; consent, a registered protocol, a permuted-block allocation
list (blocks of two: one of each order); and participants whose daily pain
scores come from ``fibrostats.simulate_study`` (whole numbers 0-10, AR(1)
noise, about 10% of days missing) and are written as real diary check-ins.
Two participants withdraw: one keeps the data already given, one asks for
it to be removed; two more fail screening. The study is then closed,
locked, unblinded and analysed, so every results page has something to show.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from fibrostats import StudyTruth, simulate_study
from fibrotrack.diary.actions import CheckInData, do_save_checkin, do_setup_symptoms
from fibrotrack.diary.defaults import DEFAULT_SYMPTOMS
from fibrotrack.studies import designs, roles
from fibrotrack.studies.access import get_staff_view
from fibrotrack.studies.actions.analysis import do_lock_dataset, do_run_analysis
from fibrotrack.studies.actions.protocol import register
from fibrotrack.studies.actions.unblinding import do_unblind_study
from fibrotrack.studies.models import (
    AllocationSlot,
    AnalysisRun,
    ConsentSignature,
    ConsentVersion,
    Membership,
    Participant,
    Screening,
    Study,
)

SHORT_CODE = "DEMO-LDN"
EMAIL_DOMAIN = "demo-study.example.org"
STAFF = (roles.PI, roles.COORDINATOR, roles.ASSESSOR, roles.PHARMACIST, roles.MONITOR)
#: fibrostats' simulated lab measure -> the protocol's measure key.
LAB_NAMES = {
    "pressure_kpa": "pressure_kpa",
    "heat_threshold_c": "heat_c",
    "cold_threshold_c": "cold_c",
    "cold_pressor_s": "cold_pressor_s",
}
ORDERS = {"ldn-placebo": "AB", "placebo-ldn": "BA"}


@dataclass(frozen=True)
class DemoStudy:
    study: Study
    staff: dict[str, Any]
    run: AnalysisRun
    truth: StudyTruth


def _user(email: str, password: str, name: str) -> Any:
    # ``password`` is already hashed (once for everyone: hashing is slow on purpose).
    user = get_user_model().objects.create_user(email=email)
    user.password = password
    user.display_name = name
    user.time_zone = "Europe/London"
    user.onboarded_at = timezone.now()
    user.save()
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _remove_previous() -> None:
    Study.objects.filter(short_code=SHORT_CODE).delete()
    get_user_model().objects.filter(email__iendswith=f"@{EMAIL_DOMAIN}").delete()


def build_demo_study(password: str, *, n_participants: int = 30, effect: float = -1.5, seed: int = 2013) -> DemoStudy:
    rng = random.Random(seed)  # noqa: S311  (demo data, not security)
    protocol = designs.ldn_crossover_2013()
    length = protocol.longest_days()
    ldn, placebo = protocol.condition("ldn").days, protocol.condition(designs.PLACEBO).days
    today = timezone.localdate()
    first_day = today - dt.timedelta(days=length + 60 + 14)
    sim = simulate_study(
        n_participants,
        baseline_days=protocol.condition(designs.BASELINE).days,
        treatment_days=ldn,
        placebo_days=placebo,
        effect=effect,
        integer_scores=True,
        start=first_day,
        seed=seed,
    )
    hashed = make_password(password)
    with transaction.atomic():
        _remove_previous()
        staff = {role: _user(f"{role}@{EMAIL_DOMAIN}", hashed, f"Demo {role.title()}") for role in STAFF}
        study = Study.objects.create(
            title="LDN crossover (demo, simulated data)",
            short_code=SHORT_CODE,
            summary="A finished demo study on simulated diaries; nothing here is real patient data.",
            template=designs.CROSSOVER_2013,
            protocol=protocol.to_json(),
            status=Study.Status.OPEN,
            target_enrolment=n_participants,
            created_by=staff[roles.PI],
        )
        for role, user in staff.items():
            Membership.objects.create(study=study, user=user, role=role, added_by=staff[roles.PI])
        register(study, staff[roles.PI])  # the registered protocol, version 1 of the hash chain
        consent = ConsentVersion.objects.create(
            study=study, version=1, text="Simulated consent for the demo.", shares=["diary", "doses", "side_effects"]
        )
        codes = _participants(study, consent, sim, hashed, rng)
        _screen_failures(study, consent, hashed)
        lab = []
        for row in sim.lab.to_dict("records"):
            p = codes[str(row["participant"])]
            if p.start_date is not None:
                day = (row["date"].date() - p.start_date).days + 1
                measure = LAB_NAMES[str(row["measure"])]
                lab.append({"participant": p.code, "study_day": day, "measure": measure, "value": float(row["value"])})
        guesses = [
            {"participant": codes[str(g.participant)].code, "guess": g.guess}
            for g in sim.guesses.itertuples(index=False)
        ]
        study.status = Study.Status.CLOSED
        study.save(update_fields=["status"])
        do_lock_dataset(study, staff[roles.PI], lab=lab, guesses=guesses)
        # Study-wide unblinding, as the PI does it (logged, with the unblinding's record).
        study.refresh_from_db()
        do_unblind_study(get_staff_view(staff[roles.PI], study.uuid), "The demo study has ended.")
        study.refresh_from_db()
        run = do_run_analysis(study, staff[roles.PI])
    return DemoStudy(study, staff, run, sim.truth)


def _participants(
    study: Study, consent: ConsentVersion, sim: Any, password: str, rng: random.Random
) -> dict[str, Participant]:
    diary = sim.diary
    sequences = {str(pid): ORDERS[str(seq)] for pid, seq in diary.groupby("participant")["sequence"].first().items()}
    starts = {str(pid): d.date() for pid, d in diary.groupby("participant")["date"].min().items()}
    # Blocks of two, one of each order, in a random order within the block.
    by_order = {o: sorted(p for p, s in sequences.items() if s == o) for o in ("AB", "BA")}
    ordered: list[str] = []
    while by_order["AB"] or by_order["BA"]:
        block = [by_order[o].pop(0) for o in ("AB", "BA") if by_order[o]]
        rng.shuffle(block)
        ordered += block
    # The two who withdraw: one keeps the data already given, one asks for it to be removed.
    keeps, removes = ordered[3], ordered[8]
    codes: dict[str, Participant] = {}
    length = designs.ldn_crossover_2013().longest_days()
    symptom_keys = [s.key for s in DEFAULT_SYMPTOMS]
    for n, pid in enumerate(ordered, start=1):
        user = _user(f"participant{n:02d}@{EMAIL_DOMAIN}", password, f"Demo participant {n}")
        symptoms = {s.key: s.pk for s in do_setup_symptoms(user, symptom_keys)}
        p = Participant.objects.create(
            study=study, user=user, code=f"{SHORT_CODE}-{n:03d}", status=Participant.Status.COMPLETED
        )
        p.open_window(starts[pid], length)
        p.randomised_at = timezone.make_aware(dt.datetime.combine(starts[pid], dt.time(9)))
        p.completed_at = timezone.make_aware(dt.datetime.combine(p.end_date or starts[pid], dt.time(20)))
        if pid in (keeps, removes):
            last = starts[pid] + dt.timedelta(days=59)
            p.close_window(last)
            p.status = Participant.Status.WITHDRAWN
            p.completed_at = None
            p.withdrawn_at = timezone.make_aware(dt.datetime.combine(last, dt.time(20)))
            p.withdrawal_reason = "Simulated withdrawal."
            p.withdrawal_keeps_data = pid == keeps
        p.save()
        Screening.objects.create(participant=p, answers={}, wpi=9, sss=7, eligible=True)
        ConsentSignature.objects.create(
            participant=p, version=consent, typed_name=f"Demo participant {n}", shares=consent.shares
        )
        AllocationSlot.objects.create(
            study=study,
            seq=n,
            block=(n + 1) // 2,
            block_size=2,
            arm=sequences[pid],
            kit=f"K{n:04d}",
            participant=p,
            assigned_at=p.randomised_at,
        )
        rows = diary[diary["participant"] == pid]
        for day, value in zip(rows["date"], rows["pain"], strict=True):
            if p.end_date is not None and day.date() > p.end_date:
                continue
            do_save_checkin(user, day.date(), CheckInData(scores={symptoms["pain"]: int(value)}))
        codes[pid] = p
    return codes


def _screen_failures(study: Study, consent: ConsentVersion, password: str) -> None:
    for n, reason in enumerate(("Takes an opioid painkiller", "Does not meet the ACR 2016 criteria"), start=1):
        user = _user(f"screened{n:02d}@{EMAIL_DOMAIN}", password, f"Demo screened {n}")
        p = Participant.objects.create(
            study=study,
            user=user,
            code=f"{SHORT_CODE}-S{n:02d}",
            status=Participant.Status.SCREEN_FAILED,
            screen_fail_reasons=[reason],
        )
        ConsentSignature.objects.create(
            participant=p, version=consent, typed_name=f"Demo screened {n}", shares=consent.shares
        )
        Screening.objects.create(participant=p, answers={}, wpi=3, sss=2, eligible=False, reasons=[reason])
