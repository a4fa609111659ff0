"""The participant's end-of-study question: which bottle do they think held the study medicine?"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.lib.dates import diary_day
from fibrotrack.studies import access, bottles
from fibrotrack.studies.actions import guesses
from fibrotrack.studies.actions.allocation import protocol_of
from fibrotrack.studies.forms_blinding import BlindingGuessForm


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def blinding_guess(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    participant = access.get_participation_for_user(request.user, study)
    today = diary_day(request.user)
    state = guesses.guess_state(participant, today)
    form = BlindingGuessForm(request.POST or None, bottle_count=bottles.bottle_count(protocol_of(participant.study)))
    if request.method == "POST" and state == guesses.ASKABLE and form.is_valid():
        try:
            guesses.do_record_blinding_guess(participant, form.answers(), today)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Thank you. Your answer is kept with the study, and the team will not see it until the end.")
            )
            return redirect("studies:blinding_guess", study=participant.study.uuid)
    return render(
        request,
        "studies/guess.html",
        {"participant": participant, "study": participant.study, "state": state, "form": form, "states": guesses},
        status=400 if request.method == "POST" else 200,
    )
