"""Consent versions: a draft the PI edits, published once and never changed; re-consent on a new version."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fibrotrack.studies import roles
from fibrotrack.studies.access import StaffView, check_role
from fibrotrack.studies.models import ConsentSignature, ConsentVersion, Participant, Study

SHARE_KEYS = tuple(key for key, _label in ConsentVersion.SHARE_CHOICES)
#: Participants in these states are asked to sign a new version before they go on.
STILL_IN = (Participant.Status.SCREENING, Participant.Status.ELIGIBLE, Participant.Status.ACTIVE)


def current_consent(study: Study) -> ConsentVersion | None:
    """The latest published version: the one new participants sign."""
    return study.consent_versions.filter(published_at__isnull=False).order_by("-version").first()


def draft_consent(study: Study) -> ConsentVersion | None:
    return study.consent_versions.filter(published_at__isnull=True).order_by("-version").first()


@transaction.atomic
def do_save_consent_draft(view: StaffView, *, text: str, shares: Collection[str]) -> ConsentVersion:
    check_role(view, roles.MANAGES, "write the consent form")
    study = Study.objects.select_for_update().get(pk=view.study.pk)
    if not text.strip():
        raise ValidationError(_("Write the consent text."))
    unknown = set(shares) - set(SHARE_KEYS)
    if unknown or not shares:
        raise ValidationError(_("Choose what the study asks participants to share."))
    ordered = [key for key in SHARE_KEYS if key in shares]
    draft = draft_consent(study)
    if draft is None:
        latest = study.consent_versions.aggregate(n=Max("version"))["n"] or 0
        return ConsentVersion.objects.create(
            study=study, version=latest + 1, text=text.strip(), shares=ordered, created_by=view.membership.user
        )
    draft.text, draft.shares = text.strip(), ordered
    draft.save(update_fields=["text", "shares"])
    return draft


@transaction.atomic
def do_publish_consent(view: StaffView) -> ConsentVersion:
    check_role(view, roles.MANAGES, "publish the consent form")
    study = Study.objects.select_for_update().get(pk=view.study.pk)
    draft = draft_consent(study)
    if draft is None:
        raise ValidationError(_("There is no draft to publish: write one first."))
    draft.published_at = timezone.now()
    draft.save(update_fields=["published_at"])
    return draft


def latest_signature(participant: Participant) -> ConsentSignature | None:
    return participant.signatures.select_related("version").order_by("-version__version").first()


def needs_reconsent(participant: Participant, current: ConsentVersion | None) -> bool:
    if current is None or participant.status not in STILL_IN:
        return False
    signed = latest_signature(participant)
    return signed is None or signed.version.version < current.version


def clean_shares(version: ConsentVersion, shares: Collection[str]) -> list[str]:
    """What the participant chose to share, limited to what this version asks for."""
    return [key for key in version.shares if key in shares]


def sign(
    participant: Participant, version: ConsentVersion, typed_name: str, shares: Collection[str]
) -> ConsentSignature:
    if not typed_name.strip():
        raise ValidationError(_("Type your name to sign."))
    return ConsentSignature.objects.create(
        participant=participant,
        version=version,
        typed_name=typed_name.strip()[:200],
        shares=clean_shares(version, shares),
    )


@transaction.atomic
def do_reconsent(participant: Participant, *, typed_name: str, shares: Collection[str]) -> ConsentSignature:
    participant = Participant.objects.select_for_update().select_related("study").get(pk=participant.pk)
    current = current_consent(participant.study)
    if current is None or not needs_reconsent(participant, current):
        raise ValidationError(_("You have already signed the current consent form."))
    return sign(participant, current, typed_name, shares)


def shares_of(participant: Participant) -> list[str]:
    """What the participant currently shares: their latest signature's choices (nothing if withdrawn)."""
    if participant.status == Participant.Status.WITHDRAWN:
        return []
    signed = latest_signature(participant)
    return list(signed.shares) if signed else []


def share_labels(keys: Collection[str]) -> list[str]:
    return [str(label) for key, label in ConsentVersion.SHARE_CHOICES if key in keys]
