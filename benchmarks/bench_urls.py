"""The app's URLs plus the reference views the check-in save is compared with.

* ``bench/ok/``: a bare "ok" (the cost of gunicorn + Django's middleware).
* ``bench/who/``: "ok" after asking whether someone is signed in, so that a
  signed-in request reads its session and its person, and an anonymous one
  reads nothing: the difference is what every signed-in page pays for them.
* ``bench/one-row/``: logged in, CSRF-checked, validates a one-field form and
  inserts one row, then redirects: the floor Django itself sets for a write.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import path

from benchmarks.benchapp.models import BenchRow
from config.urls import urlpatterns as app_urlpatterns


class OneRowForm(forms.Form):
    text = forms.CharField(max_length=100)


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def who(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok" if request.user.is_authenticated else "anonymous", content_type="text/plain")


@login_required
def one_row(request: HttpRequest) -> HttpResponse:
    form = OneRowForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("bad form")
    BenchRow.objects.create(user=request.user, text=form.cleaned_data["text"])
    return redirect("/bench/ok/")


urlpatterns = [path("bench/ok/", ok), path("bench/who/", who), path("bench/one-row/", one_row), *app_urlpatterns]
