"""The report's outputs: PDF (rendered, its first pages not blank), XLSX (a sheet per section and the
definitions), JSON and HTML, from the page and from `activity_report`."""

import datetime
import io
import json
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from tests.plie.factories import PathwayFactory
from tremplin.reports.registry import registry

REPORT = reverse("reports:report")


@pytest.fixture
def pathways():
    PathwayFactory(entry_date=datetime.date(2022, 5, 2))
    PathwayFactory(entry_date=datetime.date(2023, 3, 1))


def _run(*args):
    out = io.StringIO()
    call_command("activity_report", *args, stdout=out)
    return out.getvalue()


def _ink(image) -> float:
    """The share of the page's pixels that are not white."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return 1 - sum(histogram[250:]) / sum(histogram)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_the_pdf_renders_and_its_first_pages_are_not_blank(pathways, tmp_path):
    # About 15 s: WeasyPrint lays out the whole document (every figure and chart), which is what is tested.
    target = tmp_path / "rapport.pdf"
    assert "écrit dans" in _run("--year", "2023", "--format", "pdf", "--output", str(target))
    assert target.read_bytes().startswith(b"%PDF")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "4", str(target), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 4
    for page in pages:
        assert _ink(Image.open(page)) > 0.005, f"{page.name} is blank"
    # The cover carries its colour band: far more ink than a page of text.
    assert _ink(Image.open(pages[0])) > 0.05


def test_the_html_is_one_document_with_a_table_of_contents_and_page_numbers(pathways, tmp_path):
    target = tmp_path / "rapport.html"
    _run("--year", "2023", "--format", "html", "--output", str(target))
    html = target.read_text(encoding="utf-8")
    assert "target-counter(attr(href), page)" in html
    assert 'counter(page) " sur " counter(pages)' in html
    assert 'href="#plie"' in html and 'id="plie"' in html
    assert "data:image/svg+xml;base64," in html
    assert "http://" not in html and "https://" not in html


def test_the_json_adds_the_previous_period_and_the_change(pathways):
    data = {item["id"]: item for item in json.loads(_run("--year", "2023", "--format", "json"))}
    entrants = data["plie.new_entrants"]
    assert entrants["value"] == 1
    assert entrants["previous"]["value"] == 1
    assert entrants["previous"]["period"] == {"from": "2022-01-01", "to": "2022-12-31"}
    assert entrants["change"] == 0.0
    assert entrants["partial"] is None


def test_the_xlsx_has_a_sheet_per_section_and_the_definitions(pathways, tmp_path):
    target = tmp_path / "rapport.xlsx"
    _run("--year", "2023", "--format", "xlsx", "--output", str(target))
    workbook = load_workbook(target)
    areas = {i.area for i in registry}
    assert workbook.sheetnames[0] == "Indicateurs"
    assert workbook.sheetnames[-1] == "Définitions"
    assert set(workbook.sheetnames[1:-1]) == {a[:31] for a in areas}
    plie = list(workbook["PLIE"].iter_rows(values_only=True))
    header = plie[2]
    assert header[:5] == ("Indicateur", "Ventilation", "Valeur", "Période précédente", "Évolution")
    row = next(r for r in plie if r[0] == registry.get("plie.new_entrants").label)
    assert row[2:5] == (1, 1, 0)
    definitions = list(workbook["Définitions"].iter_rows(values_only=True))
    assert len(definitions) == len(registry) + 1


def test_the_page_offers_json(client, coordinator, pathways):
    # (The PDF and the XLSX are background jobs from the page: tests/reports/test_report_jobs.py.)
    client.force_login(coordinator)
    data = json.loads(client.get(REPORT, {"annee": "2023", "format": "json"}).content)
    assert {item["id"] for item in data} == {i.id for i in registry}
