"""The "download all my data" ZIP, and the export-data command."""

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from fibrotrack.portability.tests.portability_helpers import fill_account

pytestmark = pytest.mark.django_db


def test_the_zip_holds_json_csv_fhir_and_the_pdf(owner_client, owner):
    fill_account(owner, days=10)
    response = owner_client.post("/me/data/export/zip/")
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == [
        "README.txt",
        "fibrotrack-fhir.json",
        "fibrotrack.csv",
        "fibrotrack.json",
        "report.pdf",
    ]
    assert json.loads(archive.read("fibrotrack.json"))["format"] == "fibrotrack"
    assert archive.read("report.pdf").startswith(b"%PDF")
    assert archive.read("fibrotrack.csv").startswith(b"date,category,")


@pytest.mark.parametrize(("fmt", "start"), [("json", b"{"), ("csv", b"date,category"), ("fhir", b"{"), ("zip", b"PK")])
def test_the_command_writes_each_format(owner, tmp_path, fmt, start):
    fill_account(owner, days=4)
    output = tmp_path / f"out.{fmt}"
    call_command("export_data", "--user", "OWNER@example.org", "--format", fmt, "--output", str(output))
    assert output.read_bytes().startswith(start)


def test_the_command_prints_to_standard_output_and_refuses_unknown_people(owner, capsys):
    call_command("export_data", "--user", "owner@example.org", "--format", "json")
    assert json.loads(capsys.readouterr().out)["profile"]["email"] == "owner@example.org"
    with pytest.raises(CommandError, match="No account"):
        call_command("export_data", "--user", "nobody@example.org", "--format", "json")
    with pytest.raises(CommandError, match="needs --output"):
        call_command("export_data", "--user", "owner@example.org", "--format", "zip")
