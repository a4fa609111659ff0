"""Creating a study and its protocol: edits while a draft, registration at the first enrolment, amendments.

The registered protocol is a hash chain of ``ProtocolVersion`` rows, built
with the personal trials' sealing helpers (``trials.sealing``): version 1 is
"registered", every later one "amended" with its reason, and each hash covers
the previous one, so a rewritten or deleted version breaks every later hash
(``verify``).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fibrotrack.studies import designs, roles
from fibrotrack.studies.access import StaffView, check_role
from fibrotrack.studies.designs import Protocol, ProtocolError
from fibrotrack.studies.models import Membership, ProtocolVersion, Study
from fibrotrack.trials.sealing import GENESIS, entry_hash, verify_chain

REGISTERED, AMENDED = "registered", "amended"
#: What an amendment may not change: the concealed allocation list was drawn with these.
FIXED_AFTER_REGISTRATION = ("blinding", "stratify_by", "block_sizes", "sequences")


@transaction.atomic
def do_create_study(user: Any, *, template: str, title: str, short_code: str) -> Study:
    """Anyone signed in may start a study from a template; they become its principal investigator."""
    if template not in designs.TEMPLATES:
        raise ValidationError(_("Choose one of the designs."))
    protocol = designs.TEMPLATES[template]()
    short = short_code.strip().upper()
    if Study.objects.filter(short_code__iexact=short).exists():
        raise ValidationError(_("Another study already uses the short code %(code)s.") % {"code": short})
    try:
        with transaction.atomic():
            study = Study.objects.create(
                title=title.strip() or protocol.title,
                short_code=short,
                summary=protocol.summary,
                template=template,
                protocol=stored(protocol),
                created_by=user,
            )
    except IntegrityError as exc:  # two people taking the same short code at once
        raise ValidationError(_("Another study already uses the short code %(code)s.") % {"code": short}) from exc
    Membership.objects.create(study=study, user=user, role=roles.PI, added_by=user)
    return study


def stored(protocol: Protocol) -> dict[str, Any]:
    """The protocol as JSON holds it (lists, not tuples), so that equal protocols compare equal."""
    data: dict[str, Any] = json.loads(json.dumps(protocol.to_json()))
    return data


def current_protocol(study: Study) -> Protocol:
    return Protocol.from_json(study.protocol)


def _checked(protocol: Protocol) -> Protocol:
    try:
        protocol.validate()
    except ProtocolError as exc:
        raise ValidationError(str(exc)) from exc
    return protocol


@transaction.atomic
def do_update_protocol(view: StaffView, protocol: Protocol, *, target_enrolment: int) -> Study:
    """Change the protocol freely while the study is a draft (before anyone enrols)."""
    check_role(view, roles.MANAGES, "change the protocol")
    study = Study.objects.select_for_update().get(pk=view.study.pk)
    if study.is_frozen:
        raise ValidationError(_("The protocol was registered at the first enrolment: amend it, with a reason."))
    if study.status == Study.Status.OPEN:
        raise ValidationError(
            _("The study is open to enrolment: close enrolment before changing the protocol, or amend it later.")
        )
    study.protocol = stored(_checked(protocol))
    study.target_enrolment = target_enrolment
    study.save(update_fields=["protocol", "target_enrolment"])
    return study


def _append(study: Study, payload: dict[str, Any], reason: str, by: Any) -> ProtocolVersion:
    last = ProtocolVersion.objects.filter(study=study).order_by("-version").first()
    version = 1 if last is None else last.version + 1
    prev = GENESIS if last is None else last.hash
    created = timezone.now()
    kind = REGISTERED if version == 1 else AMENDED
    return ProtocolVersion.objects.create(
        study=study,
        version=version,
        payload=payload,
        reason=reason,
        created_by=by,
        created_at=created,
        prev_hash=prev,
        hash=entry_hash(prev, version, kind, created.isoformat(), reason, payload),
    )


def register(study: Study, by: Any) -> None:
    """Freeze the protocol as version 1. Called with the study row locked, at the first enrolment."""
    if study.is_frozen:
        return
    _append(study, study.protocol, "", by)
    study.frozen_at = timezone.now()
    study.save(update_fields=["frozen_at"])


@transaction.atomic
def do_amend_protocol(view: StaffView, protocol: Protocol, *, reason: str, target_enrolment: int) -> ProtocolVersion:
    check_role(view, roles.MANAGES, "amend the protocol")
    study = Study.objects.select_for_update().get(pk=view.study.pk)
    if not study.is_frozen:
        raise ValidationError(_("The protocol is not registered yet: edit it directly."))
    if study.status in (Study.Status.LOCKED, Study.Status.UNBLINDED):
        raise ValidationError(_("The dataset is locked: the protocol can no longer change."))
    if not reason.strip():
        raise ValidationError(_("Say why the protocol changes: the reason is registered with it."))
    payload = stored(_checked(protocol))
    fixed = [key for key in FIXED_AFTER_REGISTRATION if payload.get(key) != study.protocol.get(key)]
    if fixed:
        raise ValidationError(
            _(
                "Blinding, randomisation strata and block sizes cannot change after registration: the allocation "
                "list was drawn with them, and the blind depends on them."
            )
        )
    if payload == study.protocol and target_enrolment == study.target_enrolment:
        raise ValidationError(_("Nothing was changed."))
    text = reason.strip()
    if target_enrolment != study.target_enrolment:
        text += " " + _("(Target enrolment from %(old)s to %(new)s.)") % {
            "old": study.target_enrolment,
            "new": target_enrolment,
        }
    version = _append(study, payload, text, view.membership.user)
    study.protocol = payload
    study.target_enrolment = target_enrolment
    study.save(update_fields=["protocol", "target_enrolment"])
    return version


def as_record(v: ProtocolVersion) -> dict[str, Any]:
    return {
        "seq": v.version,
        "kind": REGISTERED if v.version == 1 else AMENDED,
        "created_at": v.created_at.isoformat(),
        "reason": v.reason,
        "payload": v.payload,
        "prev_hash": v.prev_hash,
        "hash": v.hash,
    }


def verify(versions: list[ProtocolVersion]) -> int | None:
    """None when the chain is intact; else the first version that fails."""
    return verify_chain([as_record(v) for v in versions])


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What an amendment changed, one plain line per change."""
    out = []
    old_days = {c["key"]: (c["label"], c["days"]) for c in before.get("conditions", [])}
    for c in after.get("conditions", []):
        was = old_days.get(c["key"])
        if was and was[1] != c["days"]:
            out.append(
                _("%(label)s: from %(old)s to %(new)s days") % {"label": c["label"], "old": was[1], "new": c["days"]}
            )
    for key in sorted(set(before) | set(after)):
        if key == "conditions" or before.get(key) == after.get(key):
            continue
        out.append(
            _("%(field)s: from %(old)s to %(new)s")
            % {"field": key.replace("_", " "), "old": before.get(key), "new": after.get(key)}
        )
    return out


def with_fields(protocol: Protocol, **fields: Any) -> Protocol:
    return dataclasses.replace(protocol, **fields)
