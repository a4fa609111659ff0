"""Pages for "My progress", the doctor's report and sharing.

The dashboard and report pages serve three audiences through one code path:
the person themself, a clinician with an active grant, and anyone holding a
live share link. ``Viewer`` says whose data it is, what may be shown, and
where the links point; clinician and share-link views are read-only
(``require_safe``) and each one is written to the patient's access log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from fibrotrack.accounts.http import AuthenticatedHttpRequest
from fibrotrack.accounts.models import User
from fibrotrack.accounts.paper import paper_size_for
from fibrotrack.lib import charts
from fibrotrack.lib.dates import diary_day
from fibrotrack.reports import access, actions, dashboard, glance, report_sections
from fibrotrack.reports.accesslog_words import stored_period
from fibrotrack.reports.forms import InviteForm, PeriodForm, ReportForm, ShareLinkForm
from fibrotrack.reports.models import ClinicianGrant, ShareLink
from fibrotrack.reports.pdf import render_report_pdf
from fibrotrack.reports.report import build_report

NEW_LINK_SESSION_KEY = "reports.new_share_link"


@dataclass
class Viewer:
    patient: User
    kind: str  # "self", "clinician" or "link"
    names: dict[str, str]
    args: list[Any] = field(default_factory=list)
    include: frozenset[str] | None = None  # None: everything
    fixed: tuple[dt.date, dt.date] | None = None
    display_name: str = ""
    grant: ClinicianGrant | None = None
    link: ShareLink | None = None

    def url(self, name: str) -> str:
        return reverse(self.names[name], args=self.args)

    @property
    def is_self(self) -> bool:
        return self.kind == "self"

    def log(self, what: str) -> None:
        if self.kind != "self":
            actions.do_log_access(self.patient, what=what, share_link=self.link, grant=self.grant)


SELF_NAMES = {
    "dashboard": "reports:details",
    "report": "reports:report",
    "report_view": "reports:report_view",
    "report_pdf": "reports:report_pdf",
}
CLINICIAN_NAMES = {
    "dashboard": "reports:patient_dashboard",
    "report": "reports:patient_report",
    "report_view": "reports:patient_report_view",
    "report_pdf": "reports:patient_report_pdf",
}
LINK_NAMES = {
    "dashboard": "reports:shared",
    "report": "reports:shared_report",
    "report_view": "reports:shared_report",
    "report_pdf": "reports:shared_pdf",
}


def _self_viewer(request: AuthenticatedHttpRequest) -> Viewer:
    user = request.user
    return Viewer(user, "self", SELF_NAMES, display_name=user.display_name or user.email)


def _clinician_viewer(request: AuthenticatedHttpRequest, pk: int) -> Viewer:
    grant = access.get_grant_for_clinician(request.user, pk)
    return Viewer(
        grant.patient, "clinician", CLINICIAN_NAMES, [grant.pk], display_name=grant.patient_label, grant=grant
    )


def _link_viewer(token: str) -> Viewer:
    link = access.get_share_link_for_token(token)
    return Viewer(
        link.user,
        "link",
        LINK_NAMES,
        [token],
        include=frozenset(link.include),
        fixed=(link.start, link.end),
        display_name=link.patient_name or link.user.public_name,
        link=link,
    )


def share_headers(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Share-link pages: never cached, never indexed, and the token never leaks in a Referer."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "no-referrer"
        response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
        add_never_cache_headers(response)
        return response

    return wrapped


def private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Health data pages: never stored by a shared cache or the browser's back-forward cache of others."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapped


def _period_text(start: dt.date, end: dt.date) -> str:
    return _("{start} to {end}").format(start=date_format(start, "j M Y"), end=date_format(end, "j M Y"))


# --- Dashboard ----------------------------------------------------------------------


def _dashboard(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    today = diary_day(viewer.patient)
    form = PeriodForm(request.GET or None, today=today)
    if viewer.fixed is not None:
        start, end = viewer.fixed
    else:
        start, end = form.period_range()
    focus = request.GET.get("symptom")
    by = request.GET.get("by")
    parts = None
    if viewer.include is not None:
        # A share link shows what the person chose; the timeline belongs with the symptom trends.
        parts = set(viewer.include) | ({"treatments"} if "treatments" in viewer.include else set())
    ctx = dashboard.build(viewer.patient, start, end, include=parts, focus=focus, by=by, link_days=viewer.is_self)
    viewer.log(f"Dashboard, {stored_period(start, end)}")
    query = request.GET.copy()
    query.pop("by", None)
    query.pop("symptom", None)
    ctx.update(
        viewer=viewer,
        form=form,
        period_text=_period_text(start, end),
        base_query=query.urlencode(),
        swatch=charts.legend_swatch(*charts.PALETTE[0]),
        period_key=form.cleaned_data.get("period") if form.is_bound and form.is_valid() else dashboard.DEFAULT_PERIOD,
    )
    return render(request, "reports/dashboard.html", ctx)


@login_required
@require_safe
@private
def progress_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My progress at a glance (two phone screens); everything else is on the details page."""
    ctx = glance.build(request.user, diary_day(request.user))
    return render(request, "reports/progress.html", ctx)


@login_required
@require_safe
@private
def dashboard_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _dashboard(request, _self_viewer(request))


@login_required
@require_safe
@private
def patient_dashboard(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _dashboard(request, _clinician_viewer(request, pk))


@require_safe
@share_headers
def shared_dashboard(request: HttpRequest, token: str) -> HttpResponse:
    return _dashboard(request, _link_viewer(token))


# --- The doctor's report ----------------------------------------------------------------


def _report_form(request: HttpRequest, viewer: Viewer, data: Any) -> ReportForm:
    size = paper_size_for(viewer.patient)
    return ReportForm(data, today=diary_day(viewer.patient), default_page_size=size)


def _report_options(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    form = _report_form(request, viewer, None)
    return render(request, "reports/report_options.html", {"form": form, "viewer": viewer})


def _report_args(request: HttpRequest, viewer: Viewer) -> tuple[ReportForm, dict[str, Any] | None]:
    """The report's parameters from the query string (fixed for a share link)."""
    if viewer.link is not None:
        link = viewer.link
        size = paper_size_for(viewer.patient)
        if request.GET.get("page_size") in {"a4", "letter"}:
            size = request.GET["page_size"]
        form = _report_form(request, viewer, None)
        return form, {
            "start": link.start,
            "end": link.end,
            "include": set(link.include),
            "name": viewer.display_name,
            "page_size": size,
        }
    form = _report_form(request, viewer, request.GET)
    if not form.is_valid():
        return form, None
    start, end = form.cleaned_data["range"]
    return form, {
        "start": start,
        "end": end,
        "include": set(form.cleaned_data["include"]),
        "name": form.cleaned_data.get("name") or viewer.display_name,
        "page_size": form.cleaned_data["page_size"],
    }


def _report_html(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    form, args = _report_args(request, viewer)
    if args is None:
        return render(request, "reports/report_options.html", {"form": form, "viewer": viewer}, status=400)
    ctx = build_report(
        viewer.patient, args["start"], args["end"], include=args["include"], name=args["name"],
        page_size=args["page_size"],
    )  # fmt: skip
    viewer.log(f"Doctor's report (web page), {stored_period(args['start'], args['end'])}")
    pdf_query = urlencode({"page_size": args["page_size"]}) if viewer.link else request.GET.urlencode()
    ctx.update(viewer=viewer, pdf_url=f"{viewer.url('report_pdf')}?{pdf_query}")
    return render(request, "reports/report.html", ctx)


def _report_pdf(request: HttpRequest, viewer: Viewer) -> HttpResponse:
    form, args = _report_args(request, viewer)
    if args is None:
        return render(request, "reports/report_options.html", {"form": form, "viewer": viewer}, status=400)
    pdf = render_report_pdf(
        viewer.patient, args["start"], args["end"], include=args["include"], name=args["name"],
        page_size=args["page_size"], language=translation.get_language(),  # the reader's language
    )  # fmt: skip
    viewer.log(f"Doctor's report (PDF), {stored_period(args['start'], args['end'])}")
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"fibrotrack-report-{args['start']:%Y-%m-%d}-to-{args['end']:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_safe
@private
def report_options(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _report_options(request, _self_viewer(request))


@login_required
@require_safe
@private
def report_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _report_html(request, _self_viewer(request))


@login_required
@require_safe
@private
def report_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _report_pdf(request, _self_viewer(request))


@login_required
@require_safe
@private
def patient_report(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _report_options(request, _clinician_viewer(request, pk))


@login_required
@require_safe
@private
def patient_report_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _report_html(request, _clinician_viewer(request, pk))


@login_required
@require_safe
@private
def patient_report_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _report_pdf(request, _clinician_viewer(request, pk))


@require_safe
@share_headers
def shared_report(request: HttpRequest, token: str) -> HttpResponse:
    return _report_html(request, _link_viewer(token))


@require_safe
@share_headers
def shared_pdf(request: HttpRequest, token: str) -> HttpResponse:
    return _report_pdf(request, _link_viewer(token))


# --- Sharing: the patient's side ------------------------------------------------------------


@login_required
@require_safe
@private
def sharing(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    links = list(access.share_links_for_user(user))
    new = request.session.pop(NEW_LINK_SESSION_KEY, None)
    new_url = ""
    if isinstance(new, dict) and any(link.pk == new.get("pk") and link.is_active() for link in links):
        new_url = request.build_absolute_uri(reverse("reports:shared", args=[new["token"]]))
    grants = list(access.grants_for_patient(user).exclude(status=ClinicianGrant.Status.DECLINED))
    labels = {s.key: s.label for s in report_sections.all_sections()}
    for link in links:
        # A key no section has any more (a removed plugin's) shares nothing: not shown as a code.
        link.section_names = [labels[key] for key in link.include if key in labels]  # type: ignore[attr-defined]
    ctx = {
        "links": links,
        "new_url": new_url,
        "new_pk": new.get("pk") if isinstance(new, dict) else None,
        "grants": grants,
        "recent": list(access.access_log_for_user(user)[:10]),
    }
    return render(request, "reports/sharing.html", ctx)


@login_required
@private
def link_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = ShareLinkForm(request.POST or None, today=diary_day(user))
    if request.method == "POST" and form.is_valid():
        start, end = form.cleaned_data["range"]
        link, token = actions.do_create_share_link(
            user,
            start=start,
            end=end,
            include=form.cleaned_data["include"],
            expires_in_days=form.cleaned_data["expires_in_days"],
            label=form.cleaned_data["label"],
            patient_name=form.cleaned_data["patient_name"],
        )
        # Shown once, on the next page; only the hash is stored.
        request.session[NEW_LINK_SESSION_KEY] = {"pk": link.pk, "token": token}
        messages.success(request, _("Your link is ready. Copy it now: for your safety it is shown only once."))
        return redirect("reports:sharing")
    return render(request, "reports/link_form.html", {"form": form})


@login_required
@require_POST
def link_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    link = access.get_share_link_for_user(request.user, pk)
    actions.do_revoke_share_link(link)
    messages.success(request, _("The link “{label}” no longer works.").format(label=link.label or _("untitled")))
    return redirect("reports:sharing")


@login_required
@private
def invite(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = InviteForm(request.POST or None, patient=user)
    if request.method == "POST" and form.is_valid():
        try:
            grant = actions.do_invite_clinician(user, form.cleaned_data["email"], form.cleaned_data["patient_name"])
        except ValidationError as error:
            form.add_error(None, error)
            return render(request, "reports/invite_form.html", {"form": form}, status=429)
        days = ClinicianGrant.INVITE_DAYS
        messages.success(
            request,
            ngettext(
                "We sent an invitation to {email}. It works for {days} day.",
                "We sent an invitation to {email}. It works for {days} days.",
                days,
            ).format(email=grant.email, days=days),
        )
        return redirect("reports:sharing")
    return render(request, "reports/invite_form.html", {"form": form})


@login_required
@require_POST
def grant_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    grant = access.get_grant_for_patient(request.user, pk)
    was_active = grant.status == ClinicianGrant.Status.ACTIVE
    actions.do_end_grant(grant)
    if was_active:
        messages.success(request, _("{email} can no longer see your diary.").format(email=grant.email))
    else:
        messages.success(request, _("The invitation to {email} is cancelled.").format(email=grant.email))
    return redirect("reports:sharing")


@login_required
@require_POST
def grant_resend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    grant = access.get_grant_for_patient(request.user, pk)
    if grant.status != ClinicianGrant.Status.PENDING:
        messages.error(request, _("Only an invitation that hasn't been accepted can be sent again."))
    else:
        try:
            actions.do_resend_invite(grant)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("We sent the invitation to {email} again; the earlier link no longer works.").format(
                    email=grant.email
                ),
            )
    return redirect("reports:sharing")


@login_required
@require_safe
@private
def access_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    paginator = Paginator(access.access_log_for_user(request.user), 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "reports/access_log.html", {"page": page})


# --- Sharing: the clinician's side ----------------------------------------------------------------


@login_required
@private
def invite_accept(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    user = request.user
    grant = access.get_open_invite(token)
    problem = access.check_can_accept(grant, user)
    if request.method == "POST" and problem is None:
        if request.POST.get("decision") == "decline":
            actions.do_decline_invite(grant)
            messages.success(request, _("You declined the invitation."))
            return redirect("reports:patients")
        grant = actions.do_accept_invite(grant, user)
        messages.success(request, _("You can now see {name}’s diary, read only.").format(name=grant.patient_label))
        return redirect("reports:patient_dashboard", grant.pk)
    status = 403 if request.method == "POST" else 200
    return render(request, "reports/invite_accept.html", {"grant": grant, "problem": problem}, status=status)


@login_required
@require_safe
@private
def patients(request: AuthenticatedHttpRequest) -> HttpResponse:
    grants = list(access.patients_for_clinician(request.user))
    return render(request, "reports/patients.html", {"grants": grants})
