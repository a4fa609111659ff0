"""The consent form's versions: the PI writes a draft and publishes it; everyone on the team can read them."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.studies import access, markdown, roles
from fibrotrack.studies.actions import consent
from fibrotrack.studies.forms import ConsentDraftForm
from fibrotrack.studies.views.manage import error_text


@login_required
def consent_versions(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    view = access.get_staff_view(request.user, study)
    may_edit = view.has(roles.MANAGES)
    draft = consent.draft_consent(view.study)
    published = list(view.study.consent_versions.filter(published_at__isnull=False).order_by("-version"))
    form = None
    if may_edit:
        initial = (
            {"text": draft.text, "shares": draft.shares} if draft else {"shares": ["diary", "doses", "side_effects"]}
        )
        if not draft and published:
            initial = {"text": published[0].text, "shares": published[0].shares}
        form = ConsentDraftForm(request.POST or None, initial=initial)
    elif request.method == "POST":
        access.check_role(view, roles.MANAGES, "write the consent form")
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            saved = consent.do_save_consent_draft(
                view, text=form.cleaned_data["text"], shares=form.cleaned_data["shares"]
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(
                request, _("Draft of version %(n)s saved. Publish it when it is ready.") % {"n": saved.version}
            )
            return redirect("studies:consent", study=view.study.uuid)
    return render(
        request,
        "studies/consent_versions.html",
        {
            "view": view,
            "study": view.study,
            "form": form,
            "draft": draft,
            "draft_html": markdown.render(draft.text) if draft else "",
            "published": [(v, markdown.render(v.text), consent.share_labels(v.shares)) for v in published],
            "may_edit": may_edit,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@require_POST
@login_required
def consent_publish(request: AuthenticatedHttpRequest, study: uuid.UUID) -> HttpResponse:
    view = access.get_staff_view(request.user, study)
    access.check_role(view, roles.MANAGES, "publish the consent form")
    try:
        version = consent.do_publish_consent(view)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(
            request,
            _("Version %(n)s is published. Participants already enrolled will be asked to sign it before going on.")
            % {"n": version.version},
        )
    return redirect("studies:consent", study=view.study.uuid)
