"""Hostile PLIE import files: refused in French naming the row and the column, never an exception, never a
half-written registry (issue 7, holes 4 and 5, and "In the suite")."""

import time

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tests.core.test_spreadsheets import blank_cells_bomb
from tests.plie import test_import as base
from tests.plie.test_import import HEADERS, csv_bytes, row
from tests.plie.test_import_pathways import workbook
from tremplin.core.text import fold
from tremplin.people.models import Person
from tremplin.plie.imports import import_file
from tremplin.plie.imports.values import (
    BARRIERS,
    CONTRACT_TYPES,
    EDUCATION_LEVELS,
    EXIT_KINDS,
    SEXES,
    STEP_KINDS,
    YES_NO,
    _CellError,
    _parse_date,
    _parse_hours,
    _parse_siret,
)
from tremplin.plie.models import Contract, Pathway

# The fixtures of the import tests: the cell's user, IRFA with its référente, France Travail.
cell, irfa, referent, france_travail = base.cell, base.irfa, base.referent, base.france_travail

PROPERTY = settings(
    max_examples=500,
    derandomize=True,  # the same examples on every run: CI stays deterministic
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
CONTRACT = {
    "Type de contrat": "CDD",
    "Employeur": "Boulangerie des Ducs",
    "Début du contrat": "05/02/2024",
    "Fin effective du contrat": "29/02/2024",
    "Heures hebdomadaires": "24,5",
}


def nothing_written():
    return not Person.objects.exists() and not Pathway.objects.exists() and not Contract.objects.exists()


@pytest.mark.parametrize("value", ["²", "1e30", "1E+999999999", "NaN", "-Infinity", "9" * 5000])
def test_hostile_weekly_hours_are_a_row_and_column_error(cell, value):
    report = import_file(csv_bytes([row(**{**CONTRACT, "Heures hebdomadaires": value})]), by=cell)
    assert [(e.row, e.column) for e in report.errors] == [(2, "Heures hebdomadaires")]
    assert nothing_written()


def test_an_xlsx_with_millions_of_blank_cells_is_refused_in_under_two_seconds(cell):
    content = blank_cells_bomb(HEADERS)
    started = time.monotonic()
    report = import_file(content, by=cell, filename="parcours.xlsx")
    assert time.monotonic() - started < 2  # an upper bound: the security property of issue 7, hole 5
    assert "classeur trop grand" in report.errors[0].message
    assert nothing_written()


def test_a_file_cut_inside_its_last_value_is_refused(cell):
    content = csv_bytes([row(**CONTRACT, **{"Validation ACI 55 ans et plus le": "15/10/2024"})])
    cut = content[: content.rindex(b"15/10/2024") + 4]  # the last column's "15/10/2024" cut to "15/1"
    report = import_file(cut, by=cell, filename="parcours.csv")
    assert [(e.row, e.column) for e in report.errors] == [(2, "Validation ACI 55 ans et plus le")]
    assert "tronqué" in report.errors[0].message
    assert nothing_written()


def test_a_file_cut_before_its_last_columns_is_refused(cell):
    content = csv_bytes([row(**CONTRACT)])
    cut = content[: content.rindex(b"24,5") + 2]  # weekly hours "24,5" cut to "24", the columns after it gone
    report = import_file(cut, by=cell, filename="parcours.csv")
    assert [(e.row, e.column) for e in report.errors] == [(2, "Alternance conclue en CDI (oui/non)")]
    assert "ligne incomplète" in report.errors[0].message and "tronqué" in report.errors[0].message
    assert nothing_written()


# --- Property: generated malformed files ----------------------------------------------------------------

HOSTILE = ["²", "٣", "1e30", "1E+999999999", "NaN", "-1", "0", "=1+1", "\x00", "💥", "31/02/2024", '"', "'", ";"]
text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=20).filter(lambda t: t.strip())
hostile = st.one_of(st.sampled_from(HOSTILE), text)


def _not_a_date(value):
    try:
        _parse_date(value)
    except _CellError:
        return True
    return False


def _not_hours(value):
    try:
        _parse_hours(value)
    except _CellError:
        return True
    return False


# Each column with values it surely refuses (the generator must not draw a valid value by chance).
WRONG = {
    "Sexe (F/M/X)": hostile.filter(lambda v: fold(v) not in SEXES),
    "Date de naissance (JJ/MM/AAAA)": hostile.filter(_not_a_date),
    "Date d'entrée": hostile.filter(_not_a_date),
    "Commune (nom ou code INSEE)": text.filter(lambda v: not any(c.isdigit() for c in v)).map(lambda v: "Zz " + v),
    "Structure de suivi": text.map(lambda v: "Zz " + v),
    "E-mail": text.filter(lambda v: "@" not in v).map(lambda v: "x" + v),
    "Téléphone": text.map(lambda v: "a" + v),
    "Bénéficiaire RSA (oui/non)": hostile.filter(lambda v: fold(v) not in YES_NO),
    "Niveau de formation": hostile.filter(lambda v: fold(v) not in EDUCATION_LEVELS),
    "Type de contrat": hostile.filter(lambda v: fold(v) not in CONTRACT_TYPES),
    "Heures hebdomadaires": hostile.filter(_not_hours),
    "Début du contrat": hostile.filter(_not_a_date),
    "Motif de sortie": hostile.filter(lambda v: fold(v) not in EXIT_KINDS),
    "Fin prévue du contrat": hostile.filter(_not_a_date),
    "Alternance conclue en CDI (oui/non)": hostile.filter(lambda v: fold(v) not in YES_NO),
    "Accord pour moins d'un mi-temps le": hostile.filter(_not_a_date),
    "Validation ACI 55 ans et plus le": hostile.filter(_not_a_date),
}


@st.composite
def malformed_rows(draw):
    rows = []
    for index in range(draw(st.integers(1, 3))):
        data = row(**CONTRACT, **{"Nom": f"Martin{'' if index == 0 else index * 'a'}"})
        data["Date de sortie"] = "30/09/2024" if draw(st.booleans()) else ""
        data["Motif de sortie"] = "Sortie positive – CDI" if data["Date de sortie"] else ""
        for header in draw(st.lists(st.sampled_from(sorted(WRONG)), min_size=1, max_size=3, unique=True)):
            data[header] = draw(WRONG[header])
            if header == "Motif de sortie":
                data["Date de sortie"] = "30/09/2024"
        rows.append(data)
    return rows


class TestGeneratedMalformedFiles:
    """1,000 malformed files in all: 250 with wrong cells (each loads the communes and structures), 750 cut."""

    @settings(PROPERTY, max_examples=250)
    @given(rows=malformed_rows())
    def test_malformed_cells_are_refused_naming_row_and_column(self, cell, irfa, rows):
        report = import_file(csv_bytes(rows), by=cell, filename="parcours.csv")
        assert not report.ok
        assert all(e.row is not None and e.column for e in report.errors), report.lines()
        assert nothing_written()

    @settings(PROPERTY, max_examples=750)
    @given(data=st.data())
    def test_cut_and_mangled_files_write_nothing_and_never_raise(self, cell, irfa, data):
        content = csv_bytes([row(**CONTRACT), row(**{**CONTRACT, "Nom": "Petit", "Heures hebdomadaires": "35"})])
        header_end = content.index(b"\r\n") + 2
        mangled = content[: data.draw(st.integers(header_end + 1, len(content) - 2))]
        if data.draw(st.booleans()):
            position = data.draw(st.integers(header_end, len(mangled) - 1))
            mangled = mangled[:position] + data.draw(st.binary(min_size=1, max_size=4)) + mangled[position + 1 :]
        if mangled.endswith((b"\n", b"\r")):  # still a file cut short, not one completed by chance
            mangled += b"1"
        report = import_file(mangled, by=cell, filename="parcours.csv")
        assert not report.ok
        assert all(e.row is not None and e.column for e in report.errors), (mangled, report.lines())
        assert nothing_written()


# --- Property: the other sheets of a workbook (étapes, business creations) --------------------------------------


def _not_a_siret(value):
    try:
        _parse_siret(value)
    except _CellError:
        return True
    return False


in_a_cell = hostile.map(lambda v: ILLEGAL_CHARACTERS_RE.sub("", v)).filter(lambda v: v.strip())
IDENTITY = {"Nom": "Martin", "Prénom": "Camille", "Date de naissance (JJ/MM/AAAA)": "17/05/1990"}
STEP = {"Type d'étape": "Formation qualifiante", "Début de l'étape": "04/03/2024", "Fin de l'étape": "28/06/2024"}
BUSINESS = {"Nom de l'entreprise": "Atelier Couture", "Immatriculée le": "02/05/2024"}
WRONG_RECORDS = {
    "step": {
        "Type d'étape": in_a_cell.filter(lambda v: fold(v) not in STEP_KINDS),
        "Formation qualifiante (oui/non)": in_a_cell.filter(lambda v: fold(v) not in YES_NO),
        "Frein travaillé": in_a_cell.filter(lambda v: fold(v) not in BARRIERS),
        "Début de l'étape": in_a_cell.filter(_not_a_date),
        "Fin de l'étape": in_a_cell.filter(_not_a_date),
        "Certification obtenue (oui/non)": in_a_cell.filter(lambda v: fold(v) not in YES_NO),
        "Date de naissance (JJ/MM/AAAA)": in_a_cell.filter(_not_a_date),
    },
    "business": {
        "Immatriculée le": in_a_cell.filter(_not_a_date),
        "Cessation d'activité le": in_a_cell.filter(_not_a_date),
        "SIRET": in_a_cell.filter(_not_a_siret),
        "Nom de l'entreprise": st.just("x" * 201),
    },
}


@st.composite
def malformed_records(draw):
    kind = draw(st.sampled_from(sorted(WRONG_RECORDS)))
    data = {**IDENTITY, **(STEP if kind == "step" else BUSINESS)}
    wrong = WRONG_RECORDS[kind]
    for header in draw(st.lists(st.sampled_from(sorted(wrong)), min_size=1, max_size=3, unique=True)):
        data[header] = draw(wrong[header])
    return kind, data


class TestGeneratedMalformedSheets:
    """100 workbooks whose "Étapes" or "Créations d'entreprise" sheet has wrong cells (each builds an XLSX)."""

    @settings(PROPERTY, max_examples=100)
    @given(record=malformed_records())
    def test_malformed_records_are_refused_naming_sheet_row_and_column(self, cell, irfa, record):
        kind, data = record
        steps, businesses = ([data], []) if kind == "step" else ([], [data])
        report = import_file(
            workbook([row(**CONTRACT)], steps, businesses, template=False), by=cell, filename="f.xlsx"
        )
        assert not report.ok
        assert all(e.sheet and e.row is not None and e.column for e in report.errors), report.lines()
        assert nothing_written()
