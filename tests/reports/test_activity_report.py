"""The activity_report and indicators_doc management commands."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.factories import PersonFactory, SituationFactFactory
from tremplin.people.enums import Sex
from tremplin.reports.docs import render_markdown
from tremplin.reports.registry import registry


@pytest.fixture
def population():
    """At the end of 2023: 3 people (2 women, 1 man), 1 in Fontaine d'Ouche; one more registered in 2024."""
    resident = PersonFactory(sex=Sex.WOMAN, registered_on=datetime.date(2023, 1, 15))
    SituationFactFactory(person=resident, in_qpv=True, started_on=datetime.date(2022, 6, 1))
    PersonFactory(sex=Sex.WOMAN, registered_on=datetime.date(2023, 5, 2))
    PersonFactory(sex=Sex.MAN, registered_on=datetime.date(2023, 9, 1))
    PersonFactory(sex=Sex.MAN, registered_on=datetime.date(2024, 1, 3))


def _run(*args, **kwargs) -> str:
    out = io.StringIO()
    call_command("activity_report", *args, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


def _json(*args) -> dict:
    data = json.loads(_run(*args, "--format", "json"))
    assert isinstance(data, list)
    return {item["id"]: item for item in data}


def test_year_as_json(population):
    data = _json("--year", "2023")
    assert set(data) == {indicator.id for indicator in registry}
    for item in data.values():
        assert {"id", "label", "value", "period"} <= set(item)
        assert item["period"] == {"from": "2023-01-01", "to": "2023-12-31"}
    count = data["people.count"]
    assert count["label"] == "Personnes inscrites au registre"
    assert count["value"] == 3
    assert count["breakdown"] == {"Femme": 2, "Homme": 1, "Non binaire": 0}
    assert "denominator" not in count
    qpv = data["people.qpv_share"]
    assert qpv["value"] == 0.3333
    assert qpv["denominator"] == 3
    assert qpv["breakdown"] == {"Fontaine d'Ouche (Dijon)": 0.3333}


def test_json_keeps_french_characters_readable(population):
    assert "Personnes inscrites au registre" in _run("--year", "2023", "--format", "json")
    assert "\\u00e9" not in _run("--year", "2023", "--format", "json")


def test_every_share_has_a_denominator_in_json(population):
    for item in _json("--year", "2023").values():
        if registry.get(item["id"]).unit == "share":
            assert "denominator" in item


def test_free_period(population):
    data = _json("--from", "2023-03-01", "--to", "2023-06-30")
    assert data["people.count"]["period"] == {"from": "2023-03-01", "to": "2023-06-30"}
    assert data["people.count"]["value"] == 2
    assert data["people.qpv_share"]["value"] == 0.5


def test_empty_registry_gives_null_share_not_zero():
    data = _json("--year", "2023")
    assert data["people.count"]["value"] == 0
    assert data["people.qpv_share"]["value"] is None
    assert data["people.qpv_share"]["denominator"] == 0


def test_only_restricts_the_indicators(population):
    data = _json("--year", "2023", "--only", "people.count")
    assert list(data) == ["people.count"]


def test_text_format_is_the_default(population):
    text = _run("--year", "2023")
    assert text.startswith("Indicateurs, année 2023")
    assert "- people.count – Personnes inscrites au registre : 3" in text
    assert "(sur 3)" in text
    assert "· Femme : 2" in text


def test_output_file_for_json(population, tmp_path):
    target = tmp_path / "rapport.json"
    assert _run("--year", "2023", "--format", "json", "--output", str(target)) == ""
    data = json.loads(target.read_text(encoding="utf-8"))
    assert {item["id"] for item in data} >= {"people.count", "people.qpv_share"}


def test_xlsx_output_is_a_readable_workbook(population, tmp_path):
    target = tmp_path / "rapport.xlsx"
    out = _run("--year", "2023", "--format", "xlsx", "--output", str(target))
    assert str(target) in out
    sheet = load_workbook(target).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Identifiant", "Indicateur", "Ventilation", "Valeur")
    by_key = {(row[0], row[2]): row for row in rows[1:]}
    assert by_key[("people.count", None)][3] == 3
    assert by_key[("people.count", "Femme")][3] == 2
    assert by_key[("people.qpv_share", None)][3] == 0.3333
    assert by_key[("people.qpv_share", None)][5] == 3
    assert by_key[("people.count", None)][6] == datetime.datetime(2023, 1, 1)
    assert by_key[("people.count", None)][7] == datetime.datetime(2023, 12, 31)


def test_xlsx_requires_an_output_file():
    with pytest.raises(CommandError, match="--output est obligatoire"):
        _run("--year", "2023", "--format", "xlsx")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2023", "--from", "2023-01-01", "--to", "2023-06-30"], "Indiquez soit --year, soit --from"),
        (["--year", "2023", "--to", "2023-06-30"], "Indiquez soit --year, soit --from"),
        (["--from", "2023-01-01"], "Indiquez --year AAAA, ou --from AAAA-MM-JJ et --to AAAA-MM-JJ."),
        (["--to", "2023-06-30"], "Indiquez --year AAAA, ou --from AAAA-MM-JJ et --to AAAA-MM-JJ."),
        ([], "Indiquez --year AAAA"),
        (["--from", "2023-02-30", "--to", "2023-06-30"], "Date invalide : « 2023-02-30 »"),
        (
            ["--from", "2023-01-01", "--to", "30/06/2023"],
            "Date invalide : « 30/06/2023 ». Format attendu : AAAA-MM-JJ",
        ),
        (["--from", "2023-06-30", "--to", "2023-03-01"], "La date --to doit suivre la date --from."),
        (["--year", "2023", "--only", "people.nope"], "Indicateur inconnu : people.nope."),
    ],
)
def test_bad_inputs_raise_a_french_command_error(args, message):
    with pytest.raises(CommandError) as excinfo:
        _run(*args)
    assert message in str(excinfo.value)


# indicators_doc


def test_indicators_doc_is_up_to_date():
    out = io.StringIO()
    call_command("indicators_doc", "--check", stdout=out, stderr=io.StringIO())
    assert "docs/indicators.md est à jour." in out.getvalue()


def test_indicators_doc_content_is_generated_from_the_registry():
    content = (Path(settings.BASE_DIR) / "docs" / "indicators.md").read_text(encoding="utf-8")
    assert content == render_markdown()
    for indicator in registry:
        assert f"## `{indicator.id}` — {indicator.label}" in content
    assert "- **Dénominateur** : personnes inscrites au registre à la fin de la période (people.count)" in content


def test_indicators_doc_check_fails_when_out_of_date(monkeypatch):
    from tremplin.reports.management.commands import indicators_doc

    monkeypatch.setattr(indicators_doc, "render_markdown", lambda: render_markdown() + "\nAjout.\n")
    err = io.StringIO()
    with pytest.raises(SystemExit) as excinfo:
        call_command("indicators_doc", "--check", stdout=io.StringIO(), stderr=err)
    assert excinfo.value.code == 1
    assert "n'est pas à jour" in err.getvalue()


def test_indicators_doc_writes_the_file(monkeypatch, tmp_path, settings):
    from tremplin.reports.management.commands import indicators_doc

    target = tmp_path / "indicators.md"
    monkeypatch.setattr(indicators_doc, "DOC_PATH", target)
    settings.BASE_DIR = tmp_path
    call_command("indicators_doc", stdout=io.StringIO())
    assert target.read_text(encoding="utf-8") == render_markdown()
