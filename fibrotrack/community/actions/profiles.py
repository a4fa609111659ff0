"""The community profile."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy

from fibrotrack.community import wordfilter
from fibrotrack.community.access.people import profile_for
from fibrotrack.community.actions.text import check_text
from fibrotrack.community.models import Profile

if TYPE_CHECKING:
    from fibrotrack.accounts.models import User


def do_save_profile(
    user: User,
    *,
    display_name: str,
    bio: str,
    bio_visibility: str,
    diagnosis_year: int | None,
    diagnosis_year_visibility: str,
    treatments_visibility: str,
    treatment_ids: Sequence[int] = (),
) -> Profile:
    display_name = " ".join((display_name or "").split())
    if display_name and wordfilter.blocked_words_in(display_name):
        raise ValidationError(gettext_lazy("That name contains words this community does not allow."))
    bio = (bio or "").strip()
    if bio:
        bio = check_text(bio, what=gettext_lazy("Your bio"), max_chars=1000)
    with transaction.atomic():
        user.display_name = display_name
        user.save(update_fields=["display_name"])
        profile = profile_for(user)
        profile.bio = bio
        profile.bio_visibility = bio_visibility
        profile.diagnosis_year = diagnosis_year
        profile.diagnosis_year_visibility = diagnosis_year_visibility
        profile.treatments_visibility = treatments_visibility
        profile.save()
        from fibrotrack.community import treatments

        treatments.set_profile_treatments(profile, treatment_ids)
    return profile
