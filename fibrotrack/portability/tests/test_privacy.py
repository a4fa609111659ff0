"""Every "Your data" URL is the signed-in person's own: anyone else gets a 404 (or the login page)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fibrotrack.portability import urls
from fibrotrack.portability.models import ImportJob

HEADER = "user_id,age,sex,country,checkin_date,trackable_id,trackable_type,trackable_name,trackable_value\n"
FILE = HEADER + "u1,30,f,US,2017-04-25,1,Symptom,Fatigue,3\n"


def _upload(client: Client) -> str:
    data = {"file": SimpleUploadedFile("fd.csv", FILE.encode(), "text/csv"), "format": "flaredown-research"}
    response = client.post(reverse("data:upload"), {**data, "weather": "note"})
    assert response.status_code == 302
    return response["Location"].rstrip("/").split("/")[-1]


def test_no_url_with_someone_elses_token_shows_or_changes_anything(
    settings, tmp_path, owner_client, owner, stranger_client
):
    """Walks every URL of the app rather than a list, so a new page cannot forget its scoped getter."""
    settings.VAR_DIR = tmp_path
    pending = _upload(owner_client)  # waiting for its preview
    confirmed = _upload(owner_client)
    owner_client.post(reverse("data:confirm", args=[confirmed]))
    assert ImportJob.objects.filter(user=owner).count() == 1
    routes = [p for p in urls.urlpatterns if "token" in p.pattern.converters]
    assert {p.name for p in routes} == {"preview", "confirm", "status", "cancel"}
    for who, expected in ((stranger_client, 404), (Client(), 302)):
        for pattern in routes:
            for token in (pending, confirmed):
                url = reverse(f"data:{pattern.name}", args=[token])
                for method in ("get", "post"):
                    status = getattr(who, method)(url).status_code
                    assert status in (expected, 405), f"{method.upper()} {pattern.name}: {status}"
    # Nothing moved: the upload still previews for its owner, the job is still theirs alone.
    assert owner_client.get(reverse("data:preview", args=[pending])).status_code == 200
    assert owner_client.get(reverse("data:status", args=[confirmed])).status_code == 200
    assert ImportJob.objects.filter(user=owner).count() == 1


def test_the_admin_shows_import_jobs_without_their_token_or_rows(admin_client, owner):
    job = ImportJob.objects.create(
        user=owner, token_hash="e" * 64, format="fibrotrack-json", name="mine.json", sha256="f" * 64,
        result={"problems": [{"location": "row 3", "reason": "private diary text"}]},
    )  # fmt: skip
    listing = admin_client.get(reverse("admin:portability_importjob_changelist"))
    assert listing.status_code == 200 and "fibrotrack-json" in listing.content.decode()
    page = admin_client.get(reverse("admin:portability_importjob_change", args=[job.pk])).content.decode()
    assert "e" * 64 not in page and "private diary text" not in page
    assert admin_client.get(reverse("admin:portability_importjob_add")).status_code == 403
