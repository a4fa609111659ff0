"""The concealed allocation list and randomisation.

* ``do_generate_allocation`` draws the list for every stratum the study knows
  (at opening, or on the first randomisation in a stratum) with
  ``randomisation.make_schedule``: permuted blocks whose sizes are drawn from
  the protocol's ``block_sizes``, each block holding every sequence equally
  often, from the operating system's CSPRNG (``secrets.SystemRandom``: nobody
  can predict or replay it). Each slot gets a
  kit number drawn at random, so a kit number says nothing about its arm or
  even its place in the list.
* ``do_randomise`` gives an eligible participant the next free slot of their
  stratum, taken under a row lock (``select_for_update``): a transaction that
  waited on a slot another one took moves on to the next free one, so two
  people randomised at the same moment never share a slot. The study row is
  locked first as well, so that two randomisations that both find their
  stratum full do not extend its list with the same sequence numbers.
  It places the participant's visits and adds their blinded capsules to their
  own treatments, so doses are logged in the normal check-in under a name
  that says nothing of the arm.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from fibrotrack.lib.dates import diary_day
from fibrotrack.lib.i18n import person_language
from fibrotrack.studies import bottles, designs, randomisation
from fibrotrack.studies.actions.visits import create_visits
from fibrotrack.studies.models import AllocationSlot, InviteCode, Participant, Study

KIT_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY3479"  # no 0/O, 1/I, 2/Z, 5/S, 8/B: read aloud and typed without mistakes
KIT_LENGTH = 6
MAX_SLOTS_PER_STRATUM = 20_000


def _rng() -> secrets.SystemRandom:
    return secrets.SystemRandom()


def _kit(rng: secrets.SystemRandom, taken: set[str]) -> str:
    while True:
        kit = "K-" + "".join(rng.choice(KIT_ALPHABET) for _i in range(KIT_LENGTH))
        if kit not in taken:
            taken.add(kit)
            return kit


def protocol_of(study: Study) -> designs.Protocol:
    return designs.Protocol.from_json(study.protocol)


def known_strata(study: Study, protocol: designs.Protocol) -> list[str]:
    if protocol.stratify_by == "group":
        return list(protocol.groups)
    if protocol.stratify_by == "site":
        sites = set(InviteCode.objects.filter(study=study).exclude(site="").values_list("site", flat=True))
        return sorted(sites) or [""]
    return [""]


def stratum_of(participant: Participant, protocol: designs.Protocol) -> str:
    if protocol.stratify_by == "group":
        return participant.group
    if protocol.stratify_by == "site":
        return participant.invite.site if participant.invite_id and participant.invite else ""
    return ""


def _arms_in_blocks(protocol: designs.Protocol, at_least: int, rng: secrets.SystemRandom) -> list[tuple[int, int, str]]:
    """``(block, block size, sequence)`` for at least ``at_least`` slots, from ``randomisation.make_schedule``."""
    names = list(protocol.sequences)
    if len(names) == 1:  # a fixed design (the 2009 pilot): nothing to draw, one "block" per slot
        return [(n, 1, names[0]) for n in range(1, at_least + 1)]
    drawn = randomisation.make_schedule(names, block_sizes=protocol.block_sizes, n_per_stratum=at_least, rng=rng)
    return [(s.block_number, s.block_size, s.arm) for s in drawn]


def _append_blocks(study: Study, protocol: designs.Protocol, stratum: str, at_least: int) -> int:
    """Add whole blocks to the end of one stratum's list; returns the number of slots added."""
    rng = _rng()
    existing = AllocationSlot.objects.filter(study=study, stratum=stratum).aggregate(seq=Max("seq"), block=Max("block"))
    seq, blocks_before = existing["seq"] or 0, existing["block"] or 0
    taken = set(AllocationSlot.objects.filter(study=study).values_list("kit", flat=True))
    rows = []
    for block, size, arm in _arms_in_blocks(protocol, at_least, rng):
        seq += 1
        rows.append(
            AllocationSlot(
                study=study,
                stratum=stratum,
                seq=seq,
                block=blocks_before + block,
                block_size=size,
                arm=arm,
                kit=_kit(rng, taken),
            )
        )
    AllocationSlot.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def do_generate_allocation(study: Study) -> int:
    """Draw the list for each known stratum that has none yet (enough for the target enrolment in each).

    Idempotent: a stratum that already has slots is left alone. Returns the number of slots drawn.
    """
    study = Study.objects.select_for_update().get(pk=study.pk)
    protocol = protocol_of(study)
    protocol.validate()
    have = set(AllocationSlot.objects.filter(study=study).values_list("stratum", flat=True).distinct())
    size = min(study.target_enrolment, MAX_SLOTS_PER_STRATUM)
    return sum(_append_blocks(study, protocol, s, size) for s in known_strata(study, protocol) if s not in have)


# Randomisation -------------------------------------------------------------------------------


_DOSE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(mg|mcg|IU|ml)\b", re.IGNORECASE)
_OPIOID_ANTAGONIST = re.compile(r"naltrexone|naloxone|\bLDN\b", re.IGNORECASE)


def _capsule_dose(protocol: designs.Protocol) -> tuple[Decimal, str] | None:
    """The labelled dose of the study medicine ("4.5 mg"), the same for every participant and every bottle.

    As in personal blinded trials, the capsules are logged at the active dose
    whatever a bottle holds: a different dose per period would tell the arm.
    """
    for condition in protocol.conditions:
        if condition.kind == designs.TREATMENT and condition.blinded:
            found = _DOSE.search(condition.dose)
            if found:
                unit = {"mg": "mg", "mcg": "mcg", "iu": "IU", "ml": "ml"}[found.group(2).lower()]
                return Decimal(found.group(1).replace(",", ".")), unit
    return None


def _add_capsules(participant: Participant, protocol: designs.Protocol, sequence: str, kit: str) -> int:
    """Add the blinded study capsules to the participant's own treatments; returns the regimens added."""
    from fibrotrack.treatments.actions import RegimenData, do_add_custom_treatment, do_start_regimen

    user, start = participant.user, participant.start_date
    runs = bottles.capsule_runs(protocol, sequence)
    dose = _capsule_dose(protocol)
    if user is None or start is None or not runs or dose is None:
        return 0
    words = " ".join(f"{c.label} {c.dose}" for c in protocol.conditions)
    flags = ["opioid_antagonist"] if _OPIOID_ANTAGONIST.search(words) else []
    # The same name for everyone in the study but the kit: never the arm, the condition or the drug.
    # Stored in the participant's own list, so written in their language.
    with translation.override(person_language(user)):
        name = _("%(study)s study capsules, kit %(kit)s") % {"study": participant.study.short_code.upper(), "kit": kit}
        note = _("One capsule at night from the study bottle for these dates. Do not open the capsules.")
    treatment = do_add_custom_treatment(user, name=name[:80], category="medication", unit=dose[1], flags=flags)
    today = diary_day(user)
    for first, last in runs:
        do_start_regimen(
            user,
            RegimenData(
                treatment=treatment,
                unit=dose[1],
                amount=dose[0],
                form="capsule",
                schedule="nightly",
                started_on=start + dt.timedelta(days=first - 1),
                stopped_on=start + dt.timedelta(days=last - 1),
                prescriber=participant.study.capsule_prescriber,
                note=note,
            ),
            today=today,
        )
    return len(runs)


@transaction.atomic
def do_randomise(participant: Participant, by: Any, *, start_date: dt.date | None = None) -> AllocationSlot:
    """Allocate the next free slot of the participant's stratum; they start on ``start_date`` (default: tomorrow).

    ``by`` is the staff member (the view checks their role). Raises ValidationError with a plain reason.
    """
    # One randomisation at a time per study: the lock on the study row serialises them.
    study = Study.objects.select_for_update().get(pk=participant.study_id)
    participant = (
        Participant.objects.select_for_update(of=("self",)).select_related("invite", "user").get(pk=participant.pk)
    )
    participant.study = study
    if study.status not in (Study.Status.OPEN, Study.Status.CLOSED):
        raise ValidationError(_("Participants are randomised only while the study is running."))
    if participant.status != Participant.Status.ELIGIBLE:
        raise ValidationError(
            _("Only an eligible participant can be randomised (this one is: %(status)s).")
            % {"status": participant.get_status_display()}
        )
    user = participant.user
    if user is None:
        raise ValidationError(_("This participant has no account any more, so they cannot be randomised."))
    protocol = protocol_of(study)
    stratum = stratum_of(participant, protocol)
    slot = _next_free_slot(study, stratum)
    if slot is None:
        _append_blocks(study, protocol, stratum, max(len(protocol.sequences), max(protocol.block_sizes)))
        slot = _next_free_slot(study, stratum)
    if slot is None:  # pragma: no cover - a block always adds at least one slot
        raise ValidationError(_("The allocation list could not be extended."))
    start = start_date or diary_day(user) + dt.timedelta(days=1)
    now = timezone.now()
    slot.participant, slot.assigned_at = participant, now
    slot.save(update_fields=["participant", "assigned_at"])
    participant.stratum = stratum
    # The study reads the longest sequence's days for everyone: the window tells nothing of the order.
    participant.open_window(start, protocol.longest_days())
    participant.status, participant.randomised_at = Participant.Status.ACTIVE, now
    participant.save(update_fields=["stratum", "start_date", "end_date", "status", "randomised_at"])
    create_visits(participant, protocol, slot.arm)
    _add_capsules(participant, protocol, slot.arm, slot.kit)
    return slot


def _next_free_slot(study: Study, stratum: str) -> AllocationSlot | None:
    return (
        AllocationSlot.objects.select_for_update()
        .filter(study=study, stratum=stratum, participant__isnull=True)
        .order_by("seq")
        .first()
    )


def stop_capsules(participant: Participant, last_day: dt.date) -> int:
    """A withdrawal: the study capsules end on ``last_day`` in the participant's own treatments.

    Runs not yet started are removed (nothing was taken); a run under way stops on ``last_day``.
    The capsules are the regimens the study added (prescriber = the study's short code).
    """
    from fibrotrack.treatments.actions import do_stop_regimen
    from fibrotrack.treatments.models import Regimen

    if participant.user is None:
        return 0
    runs = Regimen.objects.filter(user=participant.user, prescriber=participant.study.capsule_prescriber).filter(
        models.Q(stopped_on__isnull=True) | models.Q(stopped_on__gt=last_day)
    )
    changed = 0
    for regimen in runs:
        if regimen.started_on > last_day:
            regimen.delete()
        else:
            do_stop_regimen(regimen, stopped_on=last_day, reason="other", note=_("Stopped taking part in the study."))
        changed += 1
    return changed
