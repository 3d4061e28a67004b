"""`manage.py plie_exit_criteria`: the positive-exit criteria of every participant in a pathway at a date."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory
from tests.plie.factories import ContractFactory, PathwayFactory, StepFactory
from tremplin.plie.enums import ContractType, PathwayStatus, StepKind

D = datetime.date


def run(*args) -> str:
    out = StringIO()
    call_command("plie_exit_criteria", *args, stdout=out)
    return out.getvalue()


def run_json(*args) -> list[dict]:
    return json.loads(run("--format", "json", *args))


@pytest.fixture
def irfa():
    return OrganizationFactory(name="IRFA Dijon")


@pytest.fixture
def hired(irfa):
    """In a CDI since 1 January 2024, followed by IRFA."""
    person = PersonFactory(first_name="Zoé", last_name="Lefèvre", birth_date=D(1985, 4, 12))
    FollowUpFactory(person=person, organization=irfa, started_on=D(2023, 2, 1))
    pathway = PathwayFactory(person=person, proposed_organization=irfa, entry_date=D(2023, 2, 1))
    ContractFactory(
        pathway=pathway,
        contract_type=ContractType.CDI,
        employer_name="Boulangerie des Ducs",
        started_on=D(2024, 1, 1),
        weekly_hours=Decimal("35"),
    )
    return pathway


@pytest.fixture
def searching():
    """In a pathway, no contract yet, no follow-up: the proposed structure is shown."""
    return PathwayFactory(
        person=PersonFactory(first_name="Karim", last_name="Benali", birth_date=D(1990, 1, 1)),
        proposed_organization=OrganizationFactory(name="CESAM"),
        entry_date=D(2024, 2, 15),
    )


@pytest.fixture
def not_in_pathway():
    """Exited before the date, exited on the date, entered after it, entry only proposed."""
    return [
        PathwayFactory(exited=True, exit_date=D(2024, 3, 31)),
        PathwayFactory(exited=True, exit_date=D(2024, 6, 30)),
        PathwayFactory(entry_date=D(2024, 7, 1), entry_proposed_on=D(2024, 6, 20)),
        PathwayFactory(proposed=True),
    ]


def test_json_lists_participants_in_pathway_only(hired, searching, not_in_pathway):
    # Exit proposed for 1 July: still in the pathway on 30 June.
    leaving = PathwayFactory(status=PathwayStatus.EXIT_PROPOSED, exit_date=D(2024, 7, 1), exit_kind="moved")
    rows = run_json("--at", "2024-06-30")
    assert sorted(r["pathway_id"] for r in rows) == sorted([hired.pk, searching.pk, leaving.pk])


def test_json_row_for_a_cdi(hired):
    contract = hired.contracts.get()
    [row] = run_json("--at", "2024-06-30")
    assert row == {
        "pathway_id": hired.pk,
        "person": {"public_id": str(hired.person.public_id), "name": "Zoé LEFÈVRE"},
        "entry_date": "2023-02-01",
        "structure": "IRFA Dijon",
        "at": "2024-06-30",
        "rule": "cdi",
        "rule_label": "CDI au terme de 6 mois de présence dans l'entreprise",
        "met_on": "2024-06-30",
        "explanation": (
            "Critère rempli le 30/06/2024 : CDI au terme de 6 mois de présence dans l'entreprise, car CDI chez "
            "Boulangerie des Ducs du 01/01/2024 (35 h/semaine) : 6 mois de présence atteints le 30/06/2024."
        ),
        "records": [
            {
                "kind": "contract",
                "id": contract.pk,
                "label": "CDI chez Boulangerie des Ducs du 01/01/2024 (35 h/semaine)",
            }
        ],
        "pending": [],
    }


def test_json_row_when_no_criterion_is_met(hired, searching):
    rows = {r["pathway_id"]: r for r in run_json("--at", "2024-06-29")}
    for pathway in (hired, searching):
        row = rows[pathway.pk]
        assert (row["rule"], row["rule_label"], row["met_on"], row["records"]) == (None, None, None, [])
        assert row["explanation"] == "Aucun critère de sortie positive rempli au 29/06/2024."
    assert rows[searching.pk]["structure"] == "CESAM"


def test_structure_is_the_follow_up_on_the_date(hired, irfa):
    follow_up = hired.person.follow_ups.get()
    follow_up.ended_on = D(2024, 4, 30)
    follow_up.save()
    FollowUpFactory(
        person=hired.person, organization=OrganizationFactory(name="Mission Locale"), started_on=D(2024, 5, 1)
    )
    [row] = run_json("--at", "2024-06-30")
    assert row["structure"] == "Mission Locale"
    [row] = run_json("--at", "2024-04-30")
    assert row["structure"] == "IRFA Dijon"


def test_only_met(hired, searching):
    StepFactory(
        pathway=searching,
        kind=StepKind.TRAINING_QUALIFYING,
        title="Titre professionnel cuisinier",
        started_on=D(2024, 2, 19),
        ended_on=D(2024, 7, 12),
        certification_obtained=True,
    )
    assert [r["pathway_id"] for r in run_json("--at", "2024-06-30", "--only-met")] == [hired.pk]
    rows = run_json("--at", "2024-07-12", "--only-met")
    assert sorted((r["pathway_id"], r["rule"]) for r in rows) == sorted(
        [(hired.pk, "cdi"), (searching.pk, "training")]
    )


def test_text_is_the_default_and_readable(hired, searching):
    text = run("--at", "2024-06-30")
    assert text == run("--at", "2024-06-30", "--format", "text")
    assert f"Zoé LEFÈVRE – parcours n° {hired.pk}, entré·e le 01/02/2023, suivi·e par IRFA Dijon" in text
    assert "  Critère rempli le 30/06/2024 : CDI au terme de 6 mois de présence dans l'entreprise, car" in text
    assert "  · CDI chez Boulangerie des Ducs du 01/01/2024 (35 h/semaine)" in text
    assert f"Karim BENALI – parcours n° {searching.pk}, entré·e le 15/02/2024, suivi·e par CESAM" in text
    assert "  Aucun critère de sortie positive rempli au 30/06/2024." in text
    assert text.rstrip().endswith(
        "2 participant·e(s) en parcours au 30/06/2024, dont 1 remplissant un critère de sortie positive."
    )


def test_text_shows_pending_cell_validations():
    senior = PathwayFactory(person=PersonFactory(birth_date=D(1965, 1, 1)), entry_date=D(2023, 1, 2))
    ContractFactory(
        pathway=senior,
        contract_type=ContractType.CDDI,
        employer_kind="ACI",
        employer_name="Chantier de la Combe",
        started_on=D(2023, 9, 1),
        weekly_hours=Decimal("26"),
    )
    text = run("--at", "2024-06-30")
    assert "  En attente : 6 mois en ACI atteints le 29/02/2024 ; validation au cas par cas de la cellule" in text


def test_bad_date_is_refused_in_french():
    with pytest.raises(CommandError, match="Date invalide : « 30/06/2024 ». Format attendu : AAAA-MM-JJ"):
        run("--at", "30/06/2024")


def test_queries_do_not_grow_with_the_number_of_participants(hired, searching):
    def queries():
        with CaptureQueriesContext(connection) as context:
            run_json("--at", "2024-06-30")
        return len(context.captured_queries)

    few = queries()
    for _ in range(5):
        pathway = PathwayFactory(entry_date=D(2023, 5, 1))
        FollowUpFactory(person=pathway.person)
        ContractFactory(pathway=pathway, contract_type=ContractType.INTERIM, started_on=D(2024, 1, 8))
        StepFactory(pathway=pathway)
    assert len(run_json("--at", "2024-06-30")) == 7
    assert queries() == few


def test_text_only_met(hired, searching):
    text = run("--at", "2024-06-30", "--only-met")
    assert "Zoé LEFÈVRE" in text
    assert "Karim BENALI" not in text
    assert text.rstrip().endswith("1 participant·e(s) remplissant un critère de sortie positive au 30/06/2024.")
