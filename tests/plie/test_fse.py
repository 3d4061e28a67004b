"""FSE+ participant data: export rows, CSV and XLSX, EU common indicators, référents' to-do lists."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tests.plie.factories import PathwayFactory
from tremplin.accounts.enums import Role
from tremplin.core.exports import XLSX_MIME
from tremplin.people.enums import Sex
from tremplin.people.models import PersonAccess
from tremplin.plie.enums import (
    Answer,
    ExitKind,
    ExitRule,
    FseMoment,
    Household,
    IscedLevel,
    LabourMarketStatus,
    PathwayStatus,
)
from tremplin.plie.exports import (
    FSE_PARTICIPANT_COLUMNS,
    can_export_fse,
    fse_participants_csv,
    fse_participants_xlsx,
)
from tremplin.plie.fse import (
    latest_exit_due_by,
    overdue_entry_questionnaires,
    participant_rows,
    six_month_date,
    six_month_follow_ups_due,
)
from tremplin.plie.models import FseQuestionnaire, add_months
from tremplin.reports.registry import Period, registry

YEAR_2023 = Period.year(2023)
YES, NO, REFUSED = Answer.YES, Answer.NO, Answer.REFUSED

ENTRY_IDS = [
    "fse.participants",
    "fse.women",
    "fse.men",
    "fse.non_binary",
    "fse.unemployed",
    "fse.long_term_unemployed",
    "fse.inactive",
    "fse.employed",
    "fse.under_18",
    "fse.age_18_29",
    "fse.over_55",
    "fse.isced_0_2",
    "fse.isced_3_4",
    "fse.isced_5_8",
    "fse.disability",
    "fse.third_country_nationals",
    "fse.foreign_background",
    "fse.minorities",
    "fse.homeless",
]
RESULT_IDS = [
    "fse.job_searching_at_exit",
    "fse.in_education_at_exit",
    "fse.qualification_at_exit",
    "fse.employed_at_exit",
    "fse.employed_six_months",
    "fse.improved_situation_six_months",
]
# Counted apart: the 6-month situations whose collection window closed without a questionnaire.
NOT_COLLECTED_IDS = ["fse.six_months_not_collected"]


def d(text):
    return datetime.date.fromisoformat(text)


def questionnaire(pathway, moment, collected_on, **answers):
    return FseQuestionnaire.objects.create(pathway=pathway, moment=moment, collected_on=d(collected_on), **answers)


@pytest.fixture
def mission_locale():
    return OrganizationFactory(name="Mission Locale")


@pytest.fixture
def participations(operator, mission_locale):
    """Ten participations; `operator` (IRFA Dijon, alice's structure) follows f1, f5, f9 and f10.

    Entered in 2023 (6): f1 f2 f3 f4 f8 f9, entry questionnaire missing for f3.
    Validated exits in 2023 (4): f1, f5, f9, f10 (no exit questionnaire for f9 and f10).
    6-month questionnaires collected in 2023 (2): f5, f6.
    """
    irfa, ml = operator, mission_locale
    pathways = {}

    def participation(key, org, *, sex=Sex.WOMAN, born="1985-05-05", **pathway):
        person = PersonFactory(sex=sex, birth_date=d(born), last_name=f"Participant {key}")
        FollowUpFactory(person=person, organization=org)
        pathways[key] = PathwayFactory(person=person, proposed_organization=org, **pathway)
        return pathways[key]

    def exited(on, kind=ExitKind.NO_SOLUTION, rule=""):
        return {"status": PathwayStatus.EXITED, "exit_date": d(on), "exit_kind": kind, "exit_rule": rule}

    # f1: 16 at entry; every record; refuses two sensitive questions.
    p = participation("f1", irfa, born="2006-03-01", entry_date=d("2023-02-01"), **exited("2023-10-31"))
    questionnaire(
        p,
        FseMoment.ENTRY,
        "2023-02-10",
        labour_market_status=LabourMarketStatus.LONG_TERM_UNEMPLOYED,
        isced_level=IscedLevel.ISCED_0_2,
        household=Household.SINGLE_ADULT,
        disability=YES,
        third_country_national=REFUSED,
        foreign_background=NO,
        minority=REFUSED,
        homeless=YES,
    )
    questionnaire(
        p, FseMoment.EXIT, "2023-11-02", job_searching=NO, in_education=YES, qualification_gained=YES, employed=NO
    )
    questionnaire(p, FseMoment.SIX_MONTHS, "2024-05-02", employed=YES, improved_situation=YES)
    # f2: entered on the first day, 29; questionnaire collected late (after 4 weeks).
    p = participation("f2", ml, sex=Sex.MAN, born="1994-01-01", entry_date=d("2023-01-01"))
    questionnaire(
        p,
        FseMoment.ENTRY,
        "2023-03-15",
        labour_market_status=LabourMarketStatus.UNEMPLOYED,
        isced_level=IscedLevel.ISCED_3_4,
        disability=REFUSED,
    )
    # f3: non-binary, 55, entered on the last day; no questionnaire yet.
    participation("f3", ml, sex=Sex.NON_BINARY, born="1968-01-01", entry_date=d("2023-12-31"))
    # f4: 30 on the day of entry.
    p = participation("f4", ml, born="1993-12-31", entry_date=d("2023-12-31"))
    questionnaire(
        p,
        FseMoment.ENTRY,
        "2024-01-05",
        labour_market_status=LabourMarketStatus.INACTIVE,
        isced_level=IscedLevel.ISCED_5_8,
    )
    # f5: entered in 2022, exited in March 2023 in a CDI, followed up in October.
    p = participation(
        "f5",
        irfa,
        sex=Sex.MAN,
        entry_date=d("2022-06-01"),
        **exited("2023-03-31", ExitKind.POSITIVE_CDI, ExitRule.CDI),
    )
    questionnaire(p, FseMoment.EXIT, "2023-04-03", job_searching=NO, qualification_gained=NO, employed=YES)
    questionnaire(p, FseMoment.SIX_MONTHS, "2023-10-05", employed=YES, improved_situation=YES)
    # f6: exited in 2022, followed up in June 2023; declined the employment question.
    p = participation("f6", ml, entry_date=d("2022-05-01"), **exited("2022-12-15"))
    questionnaire(p, FseMoment.SIX_MONTHS, "2023-06-20", employed=REFUSED, improved_situation=NO)
    # f7: entered in 2024.
    participation("f7", ml, entry_date=d("2024-01-01"))
    # f8: exit proposed, not validated.
    p = participation(
        "f8",
        ml,
        sex=Sex.MAN,
        entry_date=d("2023-05-05"),
        status=PathwayStatus.EXIT_PROPOSED,
        exit_date=d("2023-09-01"),
        exit_kind=ExitKind.ABANDONMENT,
    )
    questionnaire(p, FseMoment.ENTRY, "2023-05-10", labour_market_status=LabourMarketStatus.EMPLOYED)
    # f9: exited in August 2023, no exit questionnaire.
    p = participation("f9", irfa, born="1975-07-14", entry_date=d("2023-04-01"), **exited("2023-08-01"))
    questionnaire(
        p,
        FseMoment.ENTRY,
        "2023-04-20",
        labour_market_status=LabourMarketStatus.LONG_TERM_UNEMPLOYED,
        isced_level=IscedLevel.ISCED_0_2,
        foreign_background=YES,
        minority=YES,
    )
    # f10: entered in 2022, exited on 31 August 2023 (6 months later: 29 February 2024).
    participation("f10", irfa, entry_date=d("2022-09-01"), **exited("2023-08-31"))
    # An entry still proposed: never a participation.
    participation("proposed", ml, status=PathwayStatus.ENTRY_PROPOSED, entry_date=None)
    return pathways


def _figure(indicator_id, user=None, period=YEAR_2023):
    return registry.get(indicator_id).evaluate(period=period, user=user).figure


# EU common indicators


def test_every_fse_indicator_is_registered():
    fse_ids = {indicator.id for indicator in registry if indicator.id.startswith("fse.")}
    assert fse_ids == set(ENTRY_IDS + RESULT_IDS + NOT_COLLECTED_IDS)
    for indicator_id in fse_ids:
        indicator = registry.get(indicator_id)
        assert indicator.area == "FSE+"
        assert indicator.unit == "count"
        assert "période" in indicator.definition


def test_entry_indicators(participations):
    values = {indicator_id: _figure(indicator_id).value for indicator_id in ENTRY_IDS}
    assert values == {
        "fse.participants": 6,  # f1 f2 f3 f4 f8 f9
        "fse.women": 3,  # f1 f4 f9
        "fse.men": 2,  # f2 f8
        "fse.non_binary": 1,  # f3
        "fse.unemployed": 3,  # f1 f9 (long-term), f2
        "fse.long_term_unemployed": 2,
        "fse.inactive": 1,  # f4
        "fse.employed": 1,  # f8
        "fse.under_18": 1,  # f1
        "fse.age_18_29": 1,  # f2 (29); not f4, 30 on the day of entry
        "fse.over_55": 1,  # f3
        "fse.isced_0_2": 2,
        "fse.isced_3_4": 1,
        "fse.isced_5_8": 1,
        "fse.disability": 1,
        "fse.third_country_nationals": 0,
        "fse.foreign_background": 1,
        "fse.minorities": 1,
        "fse.homeless": 1,
    }


def test_participants_show_missing_entry_questionnaires(participations):
    figure = _figure("fse.participants")
    assert figure.breakdown == {"questionnaire d'entrée recueilli": 5, "questionnaire d'entrée manquant": 1}


def test_refusals_are_counted_apart(participations):
    breakdowns = {
        indicator_id: _figure(indicator_id).breakdown
        for indicator_id in (
            "fse.disability",
            "fse.third_country_nationals",
            "fse.foreign_background",
            "fse.minorities",
            "fse.homeless",
        )
    }
    assert breakdowns == {
        "fse.disability": {"oui": 1, "ne souhaite pas répondre": 1},
        "fse.third_country_nationals": {"oui": 0, "ne souhaite pas répondre": 1},
        "fse.foreign_background": {"oui": 1, "ne souhaite pas répondre": 0},
        "fse.minorities": {"oui": 1, "ne souhaite pas répondre": 1},
        "fse.homeless": {"oui": 1, "ne souhaite pas répondre": 0},
    }


def test_result_indicators(participations):
    figures = {indicator_id: _figure(indicator_id) for indicator_id in RESULT_IDS}
    answers = ("oui", "non", "ne souhaite pas répondre", "non renseigné")
    breakdowns = {key: tuple(figure.breakdown[a] for a in answers) for key, figure in figures.items()}
    # At exit: f1, f5, f9 and f10 (no questionnaire for the last two); at 6 months: f5 and f6.
    assert breakdowns == {
        "fse.job_searching_at_exit": (0, 2, 0, 2),
        "fse.in_education_at_exit": (1, 0, 0, 3),  # f5 left the question blank
        "fse.qualification_at_exit": (1, 1, 0, 2),
        "fse.employed_at_exit": (1, 1, 0, 2),
        "fse.employed_six_months": (1, 0, 1, 0),
        "fse.improved_situation_six_months": (1, 1, 0, 0),
    }
    assert {key: figure.value for key, figure in figures.items()} == {key: b[0] for key, b in breakdowns.items()}


def test_six_month_results_follow_the_collection_date(participations):
    # f1's 6-month questionnaire was collected in May 2024.
    assert _figure("fse.employed_six_months", period=Period.year(2024)).breakdown["oui"] == 1
    assert _figure("fse.employed_six_months", period=Period.year(2024)).value == 1


def test_fse_figures_in_the_scope_of_a_referent(participations, alice, charlie):
    assert _figure("fse.participants", user=alice).value == 2  # f1, f9
    assert _figure("fse.women", user=alice).value == 2
    assert _figure("fse.employed_at_exit", user=alice).breakdown == {
        "oui": 1,  # f5
        "non": 1,  # f1
        "ne souhaite pas répondre": 0,
        "non renseigné": 2,  # f9, f10
    }
    assert _figure("fse.participants", user=charlie).value == 0


def test_fse_figures_for_a_funder_and_for_staff_without_plie_data(participations, funder):
    assert _figure("fse.participants", user=funder).value == 6
    facilitator = user_with_role(Role.FACILITATOR)
    assert _figure("fse.participants", user=facilitator).value is None
    assert _figure("fse.disability", user=facilitator).breakdown is None


# Export rows


def test_participant_rows(participations, coordinator):
    rows = participant_rows(user=coordinator, period=YEAR_2023)
    assert [row.pathway for row in rows] == [participations[k] for k in ("f2", "f1", "f9", "f8", "f3", "f4")]
    f2, f1, f9, f8, f3, f4 = rows
    assert (f1.entry.moment, f1.exit.moment, f1.six_months.moment) == ("entry", "exit", "six_months")
    assert f1.age_at_entry == 16
    assert f1.entry_on_time is True
    assert f2.entry_on_time is False
    assert (f3.entry, f3.exit, f3.six_months, f3.entry_on_time) == (None, None, None, None)
    assert f4.age_at_entry == 30
    assert f9.exited and f9.exit is None
    assert not f8.exited  # exit only proposed


def test_participant_rows_in_the_scope_of_each_user(participations, alice, funder):
    assert [row.pathway for row in participant_rows(user=alice, period=YEAR_2023)] == [
        participations["f1"],
        participations["f9"],
    ]
    assert participant_rows(user=funder, period=YEAR_2023) == []
    assert participant_rows(user=user_with_role(Role.FACILITATOR), period=YEAR_2023) == []
    assert len(participant_rows(user=None, period=YEAR_2023)) == 6


def _csv(response):
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


def test_csv_export(participations, coordinator):
    response = fse_participants_csv(user=coordinator, period=YEAR_2023)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="tremplin-fse-participants-20230101-20231231.csv"'
    header, *lines = _csv(response)
    assert header == [column.header for column in FSE_PARTICIPANT_COLUMNS]
    assert header[:3] == ["Identifiant de la participation", "Identifiant de la personne", "Nom"]
    assert len(lines) == 6
    f1 = dict(zip(header, lines[1], strict=True))
    pathway = participations["f1"]
    assert f1 == {
        "Identifiant de la participation": str(pathway.pk),
        "Identifiant de la personne": str(pathway.person.public_id),
        "Nom": "Participant f1",
        "Prénom": pathway.person.first_name,
        "Sexe": "Femme",
        "Date de naissance": "2006-03-01",
        "Âge à l'entrée": "16",
        "Commune de résidence": "Dijon",
        "Code INSEE de la commune": "21231",
        "Structure de suivi": "IRFA Dijon",
        "Date d'entrée": "2023-02-01",
        "Date de sortie": "2023-10-31",
        "Motif de sortie": "Fin de parcours sans solution",
        "Sortie positive": "Non",
        "Entrée – questionnaire recueilli le": "2023-02-10",
        "Entrée – recueilli dans les 4 semaines": "Oui",
        "Entrée – situation sur le marché du travail": "Chômeur·se de longue durée (12 mois et plus)",
        "Entrée – niveau d'études (CITE)": "CITE 0 à 2 (jusqu'au brevet, sans diplôme)",
        "Entrée – situation du ménage": "Adulte seul·e sans enfant",
        "Entrée – handicap": "Oui",
        "Entrée – ressortissant·e de pays tiers": "Ne souhaite pas répondre",
        "Entrée – origine étrangère": "Non",
        "Entrée – minorité": "Ne souhaite pas répondre",
        "Entrée – sans domicile ou exclu·e du logement": "Oui",
        "Sortie – questionnaire recueilli le": "2023-11-02",
        "Sortie – situation sur le marché du travail": "",
        "Sortie – en recherche d'emploi": "Non",
        "Sortie – en études ou en formation": "Oui",
        "Sortie – qualification obtenue": "Oui",
        "Sortie – en emploi, y compris indépendant": "Non",
        "6 mois – questionnaire recueilli le": "2024-05-02",
        "6 mois – situation sur le marché du travail": "",
        "6 mois – en emploi, y compris indépendant": "Oui",
        "6 mois – situation améliorée": "Oui",
    }
    # f3: no questionnaire, no exit: empty cells, not "Non".
    f3 = dict(zip(header, lines[4], strict=True))
    assert f3["Nom"] == "Participant f3"
    assert f3["Entrée – questionnaire recueilli le"] == ""
    assert f3["Entrée – recueilli dans les 4 semaines"] == ""
    assert f3["Entrée – handicap"] == ""
    assert f3["Sortie positive"] == ""
    # f8: exit proposed, not validated: no exit shown.
    f8 = dict(zip(header, lines[3], strict=True))
    assert (f8["Date de sortie"], f8["Motif de sortie"]) == ("", "")


def test_export_is_logged_for_each_person(participations, coordinator):
    fse_participants_csv(user=coordinator, period=YEAR_2023)
    logged = PersonAccess.objects.filter(user=coordinator, action=PersonAccess.Action.EXPORT)
    assert logged.count() == 6
    assert set(logged.values_list("person_id", flat=True)) == {
        participations[k].person_id for k in ("f1", "f2", "f3", "f4", "f8", "f9")
    }


def test_xlsx_export(participations, coordinator):
    response = fse_participants_xlsx(user=coordinator, period=YEAR_2023)
    assert response["Content-Type"] == XLSX_MIME
    assert response["Content-Disposition"] == 'attachment; filename="tremplin-fse-participants-20230101-20231231.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Participants FSE+"
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Tremplin – participants FSE+ entrés dans le PLIE, année 2023"
    header_index = next(i for i, row in enumerate(rows) if row[0] == "Identifiant de la participation")
    header = list(rows[header_index])
    assert header == [column.header for column in FSE_PARTICIPANT_COLUMNS]
    data = rows[header_index + 1 :]
    assert len(data) == 6
    f1 = dict(zip(header, data[1], strict=True))
    assert f1["Nom"] == "Participant f1"
    assert f1["Date d'entrée"] == datetime.datetime(2023, 2, 1)
    assert f1["Âge à l'entrée"] == 16
    assert f1["Entrée – minorité"] == "Ne souhaite pas répondre"
    f3 = dict(zip(header, data[4], strict=True))
    assert f3["Entrée – handicap"] is None  # empty cell: not collected


def test_export_for_a_referent_contains_her_participants_only(participations, alice):
    header, *lines = _csv(fse_participants_csv(user=alice, period=YEAR_2023))
    assert [dict(zip(header, line, strict=True))["Nom"] for line in lines] == ["Participant f1", "Participant f9"]


# To-do lists


def test_overdue_entry_questionnaires(participations, coordinator):
    def overdue(today):
        return list(overdue_entry_questionnaires(user=coordinator, today=d(today)))

    f3, f5, f6, f7, f10 = (participations[k] for k in ("f3", "f5", "f6", "f7", "f10"))
    # In 2023, f5, f6 and f10 (entered in 2022) never had an entry questionnaire.
    assert overdue("2023-06-01") == [f6, f5, f10]
    # f3 entered on 31/12/2023: due within 28 days, overdue from the 29th.
    assert overdue("2024-01-28") == [f6, f5, f10]
    assert overdue("2024-01-29") == [f6, f5, f10, f3]
    assert overdue("2024-02-01") == [f6, f5, f10, f3, f7]


def test_overdue_entry_questionnaires_in_the_scope_of_a_referent(participations, alice, charlie, funder):
    f5, f10 = participations["f5"], participations["f10"]
    assert list(overdue_entry_questionnaires(user=alice, today=d("2024-06-01"))) == [f5, f10]
    assert list(overdue_entry_questionnaires(user=charlie, today=d("2024-06-01"))) == []
    assert list(overdue_entry_questionnaires(user=funder, today=d("2024-06-01"))) == []


def test_six_month_follow_ups_due(participations, coordinator, alice):
    def due(today, user=coordinator):
        return list(six_month_follow_ups_due(user=user, today=d(today)))

    f9, f10 = participations["f9"], participations["f10"]
    assert six_month_date(f9) == d("2024-02-01")
    assert six_month_date(f10) == d("2024-02-29")
    # f1, f5 and f6 have their 6-month questionnaire; f9 and f10 are listed 30 days ahead.
    assert due("2024-01-01") == []
    assert due("2024-01-02") == [f9]
    assert due("2024-01-29") == [f9]
    assert due("2024-01-30") == [f9, f10]
    # The window closes 90 days after the date due: f9 on 1 May 2024, f10 on 29 May 2024; then "non recueilli".
    assert due("2024-05-01") == [f9, f10]
    assert due("2024-05-02") == [f10]
    assert due("2024-05-29", user=alice) == [f10]
    assert due("2024-05-30") == []
    assert due("2025-01-01") == []
    questionnaire(f9, FseMoment.SIX_MONTHS, "2024-02-03", employed=NO)
    assert due("2024-04-01") == [f10]


@pytest.mark.parametrize(
    "day",
    ["2024-02-28", "2024-02-29", "2023-02-28", "2023-03-01", "2024-03-31", "2024-04-30", "2024-08-31", "2024-09-30"],
)
def test_latest_exit_due_by_inverts_six_calendar_months(day):
    day = d(day)
    latest = latest_exit_due_by(day)
    assert add_months(latest, 6) <= day
    assert add_months(latest + datetime.timedelta(days=1), 6) > day


def test_who_may_export(coordinator, alice, manager, funder):
    assert can_export_fse(coordinator) and can_export_fse(alice) and can_export_fse(manager)
    assert not can_export_fse(funder)
    assert not can_export_fse(user_with_role(Role.FACILITATOR))
    assert not can_export_fse(user_with_role(Role.PRESCRIBER))


def test_each_fse_indicator_is_one_query_whatever_the_population(participations):
    def queries():
        with CaptureQueriesContext(connection) as context:
            for indicator_id in ENTRY_IDS + RESULT_IDS:
                registry.get(indicator_id).evaluate(period=YEAR_2023, user=None)
        return len(context.captured_queries)

    before = queries()
    for _ in range(10):
        pathway = PathwayFactory(entry_date=d("2023-03-01"), status=PathwayStatus.EXITED, exit_date=d("2023-09-01"))
        questionnaire(pathway, FseMoment.ENTRY, "2023-03-02", disability=YES)
        questionnaire(pathway, FseMoment.EXIT, "2023-09-02", employed=YES)
    assert queries() == before == len(ENTRY_IDS + RESULT_IDS)


def test_six_month_situations_not_collected_are_counted_apart(participations, coordinator, alice):
    """f9 (exit 1 Aug 2023) and f10 (exit 29 Aug 2023) have no 6-month questionnaire: their windows close on
    1 May and 29 May 2024 (6 months + 90 days); the others were collected."""

    def not_collected(period, user=coordinator):
        return registry.get("fse.six_months_not_collected").evaluate(period=period, user=user).figure.value

    assert not_collected(Period(d("2024-01-01"), d("2024-04-30"))) == 0
    assert not_collected(Period(d("2024-05-01"), d("2024-05-01"))) == 1
    assert not_collected(Period.month(2024, 5)) == 2
    assert not_collected(Period.year(2024), user=alice) == 2
    assert not_collected(Period.year(2025)) == 0
