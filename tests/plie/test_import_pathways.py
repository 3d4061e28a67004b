"""The PLIE import carries whole pathways (issue 9, "Imports that carry a whole pathway"): étapes, business
creations, the participant's agreement to part-time work, the cellule's ACI validation, planned and actual
contract ends, alternance concluded as a CDI. Filled in the template, they give the exit criteria engine
(`plie_exit_criteria`) the same verdict as the same pathway typed by hand through the services."""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from tests.factories import PersonFactory
from tests.plie import test_import as base
from tests.plie.factories import PathwayFactory
from tests.plie.test_import import csv_bytes, row
from tremplin.core.dates import future_date_message
from tremplin.people.models import Person
from tremplin.plie import services
from tremplin.plie.enums import ContractType, EmployerKind, ExitKind, PathwayStatus, StepKind
from tremplin.plie.exits import assess_exit
from tremplin.plie.imports import SHEETS, build_template, import_file
from tremplin.plie.models import BusinessCreation, Contract, Pathway, Step

D = datetime.date
cell, irfa, referent, france_travail = base.cell, base.irfa, base.referent, base.france_travail
STEP_SHEET, BUSINESS_SHEET = SHEETS[1].name, SHEETS[2].name
IDENTITY = ("Nom", "Prénom", "Date de naissance (JJ/MM/AAAA)")
ENTRY = D(2024, 2, 1)
BORN = D(1985, 4, 12)
EXIT = D(2025, 3, 31)
# Dates on which the engine is asked, through the command: each criterion is met at one of them at the latest.
ASKED = ["2024-06-30", "2024-09-30", "2024-12-31", "2025-03-30"]


def workbook(participants, steps=(), businesses=(), *, template=True) -> bytes:
    """The downloaded template (its example rows left as they are) with rows added to each sheet."""
    book = load_workbook(io.BytesIO(build_template())) if template else Workbook()
    for spec, rows in zip(SHEETS, (participants, steps, businesses), strict=True):
        if not template:
            sheet = book.active if spec is SHEETS[0] else book.create_sheet(spec.name)
            sheet.title = spec.name
            sheet.append([c.header for c in spec.columns])
        sheet = book[spec.name]
        for data in rows:
            sheet.append([data.get(c.header) for c in spec.columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def who(last_name, first_name="Alex", birth_date="12/04/1985") -> dict:
    return {"Nom": last_name, "Prénom": first_name, "Date de naissance (JJ/MM/AAAA)": birth_date}


def nothing_written():
    return not any(m.objects.exists() for m in (Person, Pathway, Contract, Step, BusinessCreation))


# --- The same five pathways, typed by hand and imported -------------------------------------------------------


def typed_by_hand(*, referent, cell, irfa) -> dict[str, Pathway]:
    """Each pathway backs one criterion; records are entered as a référent would, through the services."""

    def pathway(name, birth_date=BORN):
        person = PersonFactory(last_name=f"Saisie{name}", first_name="Alex", birth_date=birth_date)
        return PathwayFactory(person=person, proposed_organization=irfa, entry_proposed_on=ENTRY, entry_date=ENTRY)

    training = pathway("Formation")
    services.add_step(
        pathway=training, by=referent, kind=StepKind.DIAGNOSTIC, title="Diagnostic", started_on=D(2024, 2, 5)
    )
    prequalifying = services.add_step(
        pathway=training,
        by=referent,
        kind=StepKind.TRAINING_PREQUALIFYING,
        title="Remise à niveau",
        started_on=D(2024, 2, 12),
        certification="CléA",
    )
    services.complete_step(step=prequalifying, ended_on=D(2024, 3, 1), certification_obtained=True, by=referent)
    qualifying = services.add_step(
        pathway=training,
        by=referent,
        kind=StepKind.TRAINING_QUALIFYING,
        title="Titre pro ADVF",
        provider="AFPA Dijon",
        started_on=D(2024, 3, 4),
        certification="Titre professionnel assistant·e de vie aux familles",
    )
    services.complete_step(step=qualifying, ended_on=D(2024, 6, 28), certification_obtained=True, by=referent)

    business = pathway("Entreprise")
    services.add_business(
        pathway=business, by=referent, name="Atelier Couture", registered_on=D(2024, 5, 2), siret="12345678901234"
    )

    part_time = pathway("MiTemps")
    cdd = services.add_contract(
        pathway=part_time,
        by=referent,
        contract_type=ContractType.CDD,
        employer_name="Boulangerie des Ducs",
        started_on=D(2024, 3, 1),
        planned_end_on=D(2024, 12, 31),
        weekly_hours=Decimal("20"),
        part_time_agreed_on=D(2024, 9, 20),
        part_time_agreement_evidence="Courrier signé du 20/09/2024",
    )
    services.end_contract(contract=cdd, ended_on=D(2024, 10, 31), by=referent)

    aci = pathway("Aci", birth_date=D(1965, 1, 1))
    cddi = services.add_contract(
        pathway=aci,
        by=referent,
        contract_type=ContractType.CDDI,
        employer_name="Les Jardins du Suzon",
        employer_kind=EmployerKind.ACI,
        started_on=D(2024, 3, 1),
        planned_end_on=D(2025, 2, 28),
        weekly_hours=Decimal("26"),
    )
    services.validate_aci_senior(contract=cddi, on=D(2024, 10, 15), by=cell)

    alternance = pathway("Alternance")
    services.add_contract(
        pathway=alternance,
        by=referent,
        contract_type=ContractType.APPRENTICESHIP,
        open_ended=True,
        employer_name="Garage Central",
        started_on=D(2024, 1, 8),
        weekly_hours=Decimal("35"),
    )
    services.propose_exit(pathway=alternance, exit_date=EXIT, exit_kind=ExitKind.POSITIVE_CDI, by=referent)
    services.validate_exit(pathway=alternance, by=cell)
    return {
        "Formation": training,
        "Entreprise": business,
        "MiTemps": part_time,
        "Aci": aci,
        "Alternance": alternance,
    }


def the_same_in_the_template() -> bytes:
    participants = [
        row(**who("ImportFormation")),
        row(**who("ImportEntreprise")),
        row(
            **who("ImportMiTemps"),
            **{
                "Type de contrat": "CDD",
                "Employeur": "Boulangerie des Ducs",
                "Début du contrat": D(2024, 3, 1),
                "Fin prévue du contrat": D(2024, 12, 31),
                "Fin effective du contrat": D(2024, 10, 31),
                "Heures hebdomadaires": 20,
                "Accord pour moins d'un mi-temps le": D(2024, 9, 20),
                "Justificatif de l'accord": "Courrier signé du 20/09/2024",
            },
        ),
        row(
            **who("ImportAci", birth_date=D(1965, 1, 1)),
            **{
                "Type de contrat": "CDDI",
                "Employeur": "Les Jardins du Suzon",
                "Type d'employeur": "ACI",
                "Début du contrat": D(2024, 3, 1),
                "Fin prévue du contrat": D(2025, 2, 28),
                "Heures hebdomadaires": 26,
                "Validation ACI 55 ans et plus le": D(2024, 10, 15),
            },
        ),
        row(
            # The names the other way round: the same person.
            **who("Alex", first_name="ImportAlternance"),
            **{
                "Date de sortie": EXIT,
                "Motif de sortie": "Sortie positive – CDI",
                "Type de contrat": "apprentissage",
                "Employeur": "Garage Central",
                "Début du contrat": D(2024, 1, 8),
                "Heures hebdomadaires": 35,
                "Alternance conclue en CDI (oui/non)": "oui",
            },
        ),
    ]
    steps = [
        {**who("ImportFormation"), "Type d'étape": "Diagnostic", "Début de l'étape": D(2024, 2, 5)},
        {
            **who("ImportFormation"),
            "Type d'étape": "Formation",
            "Formation qualifiante (oui/non)": "non",
            "Intitulé de l'étape": "Remise à niveau",
            "Début de l'étape": D(2024, 2, 12),
            "Fin de l'étape": D(2024, 3, 1),
            "Diplôme, titre ou certificat visé": "CléA",
            "Certification obtenue (oui/non)": "oui",
        },
        {
            **who("ImportFormation"),
            "Type d'étape": "Formation qualifiante",
            "Formation qualifiante (oui/non)": "oui",
            "Intitulé de l'étape": "Titre pro ADVF",
            "Organisme ou partenaire": "AFPA Dijon",
            "Début de l'étape": "04/03/2024",
            "Fin de l'étape": "28/06/2024",
            "Diplôme, titre ou certificat visé": "Titre professionnel assistant·e de vie aux familles",
            "Certification obtenue (oui/non)": "oui",
        },
    ]
    businesses = [
        {
            **who("ImportEntreprise"),
            "Nom de l'entreprise": "Atelier Couture",
            "Immatriculée le": D(2024, 5, 2),
            "SIRET": "123 456 789 01234",
        }
    ]
    return workbook(participants, steps, businesses)


def verdicts(pathway: Pathway) -> dict:
    """What plie_exit_criteria says of the pathway on each date asked, without what names the person or the
    records (their ids); and every criterion of the engine on the last date, met or not, with its reason."""
    answers = {}
    for at in ASKED:
        out = io.StringIO()
        call_command("plie_exit_criteria", "--at", at, "--format", "json", stdout=out)
        (answer,) = [r for r in json.loads(out.getvalue()) if r["pathway_id"] == pathway.pk]
        answers[at] = {
            **{k: v for k, v in answer.items() if k not in ("pathway_id", "person", "structure")},
            "records": [r["label"] for r in answer["records"]],
        }
    pathway = Pathway.objects.prefetch_related("contracts", "steps", "businesses").get(pk=pathway.pk)
    outcomes = assess_exit(pathway, D(2025, 3, 30)).outcomes
    answers["outcomes"] = [(o.rule, o.met, o.met_on, o.because, o.pending) for o in outcomes]
    return answers


def test_the_template_round_trips_whole_pathways_and_the_engine_gives_the_verdicts_typed_by_hand(cell, irfa, referent):
    by_hand = typed_by_hand(referent=referent, cell=cell, irfa=irfa)

    report = import_file(the_same_in_the_template(), by=cell, filename="reprise.xlsx")

    assert report.ok, report.lines()
    assert report.created["Étapes de parcours"] == 3 and report.created["Créations d'entreprise"] == 1
    assert report.created["dont validés par la cellule (ACI, 55 ans et plus)"] == 1
    assert report.created["Personnes inscrites au registre"] == 5
    # The example row of each sheet is ignored, and the names written the other way round are said.
    assert [(w.sheet, w.row) for w in report.warnings if "exemple" in w.message] == [
        (None, 2),
        (STEP_SHEET, 2),
        (BUSINESS_SHEET, 2),
    ]
    imported = {name: Pathway.objects.get(person__name_key__contains=f"import{name.lower()}") for name in by_hand}
    for name, hand in by_hand.items():
        assert verdicts(imported[name]) == verdicts(hand), name

    # What each criterion rests on came through, field by field.
    steps = imported["Formation"].steps.order_by("started_on")
    fields = ["kind", "title", "provider", "started_on", "ended_on", "certification", "certification_obtained"]
    assert [[getattr(s, f) for f in fields] for s in steps] == [
        [getattr(s, f) for f in fields] for s in by_hand["Formation"].steps.order_by("started_on")
    ]
    assert steps[0].title == "Diagnostic" and steps[1].kind == StepKind.TRAINING_PREQUALIFYING
    business = imported["Entreprise"].businesses.get()
    assert (business.name, business.registered_on, business.siret) == (
        "Atelier Couture",
        D(2024, 5, 2),
        "12345678901234",
    )
    cdd = imported["MiTemps"].contracts.get()
    assert (cdd.planned_end_on, cdd.ended_on) == (D(2024, 12, 31), D(2024, 10, 31))
    assert (cdd.part_time_agreed_on, cdd.part_time_agreement_evidence) == (
        D(2024, 9, 20),
        "Courrier signé du 20/09/2024",
    )
    cddi = imported["Aci"].contracts.get()
    assert (cddi.cell_validated_on, cddi.cell_validated_by) == (D(2024, 10, 15), cell)
    alternance = imported["Alternance"]
    assert alternance.contracts.get().open_ended and alternance.contracts.get().is_open_ended
    assert alternance.person.last_name == "Alex" and alternance.status == PathwayStatus.EXITED
    # The exit validated in the old tool rests on the criterion the référent's proposal rests on.
    hand = by_hand["Alternance"]
    hand.refresh_from_db()
    assert alternance.exit_rule == hand.exit_rule != ""
    criterion = hand.exit_explanation.splitlines()[-1]
    assert criterion.startswith("Critère rempli le 07/07/2024") and criterion in alternance.exit_explanation
    for model in (Step, BusinessCreation):
        assert set(model.history.filter(pathway__in=imported.values()).values_list("history_user", flat=True)) == {
            cell.pk
        }


def test_a_positive_exit_backed_by_an_etape_or_a_business_is_confirmed(cell):
    file = workbook(
        [
            row(**who("Certifiee"), **{"Date de sortie": "30/09/2024", "Motif de sortie": "positive_training"}),
            row(**who("Creatrice"), **{"Date de sortie": "30/12/2024", "Motif de sortie": "positive_business"}),
        ],
        [
            {
                **who("Certifiee"),
                "Type d'étape": "Formation certifiante",
                "Début de l'étape": "01/03/2024",
                "Fin de l'étape": "28/06/2024",
                "Certification obtenue (oui/non)": "oui",
            }
        ],
        [{**who("Creatrice"), "Nom de l'entreprise": "Vélo Dijon", "Immatriculée le": "02/05/2024"}],
        template=False,
    )

    report = import_file(file, by=cell, filename="reprise.xlsx")

    assert report.ok, report.lines()
    assert report.created["dont sorties positives sans critère confirmé"] == 0 and not report.warnings
    rules = dict(Pathway.objects.values_list("person__last_name", "exit_rule"))
    assert rules == {"Certifiee": "training", "Creatrice": "business"}


# --- Refusals: every one names its sheet, row and column, in French, and nothing is written ------------------


def messages(report) -> list[str]:
    return [str(e) for e in report.errors]


def test_the_same_person_with_first_and_last_names_swapped_is_one_person(cell):
    rows = [
        row(
            **{
                "Type de contrat": "CDD",
                "Employeur": "Garage",
                "Début du contrat": "01/03/2024",
                "Heures hebdomadaires": "35",
            }
        ),
        row(
            **{
                "Nom": "CAMILLE",
                "Prénom": "martin",
                "Type de contrat": "CDI",
                "Employeur": "Garage",
                "Début du contrat": "01/09/2024",
                "Heures hebdomadaires": "35",
            }
        ),
    ]

    report = import_file(csv_bytes(rows), by=cell, filename="parcours.csv")

    assert report.ok, report.lines()
    assert [str(w) for w in report.warnings] == [
        "Ligne 3, colonne « Nom » : nom et prénom inversés par rapport à la ligne 2 (« Martin Camille ») : une seule "
        "personne, enregistrée comme à la ligne 2."
    ]
    person = Person.objects.get()
    assert (person.last_name, person.first_name) == ("Martin", "Camille")
    assert Pathway.objects.get().contracts.count() == 2


def test_a_person_of_the_registry_is_found_with_names_swapped(cell):
    existing = PersonFactory(first_name="Zoé", last_name="Lefèvre", birth_date=D(1988, 2, 29))
    file = csv_bytes([row(**{"Nom": "Zoé", "Prénom": "LEFEVRE", "Date de naissance (JJ/MM/AAAA)": "29/02/1988"})])

    report = import_file(file, by=cell)

    assert report.ok and Person.objects.get() == existing
    assert Pathway.objects.get().person == existing


@pytest.mark.parametrize(
    ("sheet", "header", "what"),
    [
        (None, "Date d'entrée", "La date d'entrée"),
        (None, "Date de sortie", "La date de sortie"),
        (None, "Date d'orientation", "La date d'orientation"),
        (None, "Fin effective du contrat", "La fin effective du contrat"),
        (None, "Accord pour moins d'un mi-temps le", "La date de l'accord du participant"),
        (None, "Validation ACI 55 ans et plus le", "La date de validation par la cellule"),
        (STEP_SHEET, "Début de l'étape", "Le début de l'étape"),
        (STEP_SHEET, "Fin de l'étape", "La fin de l'étape"),
        (BUSINESS_SHEET, "Immatriculée le", "La date d'immatriculation"),
        (BUSINESS_SHEET, "Cessation d'activité le", "La date de cessation d'activité"),
    ],
)
def test_future_dates_are_refused_with_the_words_of_the_forms(cell, sheet, header, what):
    from django.utils import timezone

    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    contract = {
        "Type de contrat": "CDDI",
        "Employeur": "Les Jardins du Suzon",
        "Type d'employeur": "ACI",
        "Début du contrat": "01/03/2024",
        "Heures hebdomadaires": "26",
        "Justificatif de l'accord": "Courrier",
        "Accord pour moins d'un mi-temps le": "01/04/2024",
        "Prescripteur": "France Travail Dijon Marbotte",
    }
    step = {**who("Martin", "Camille", "17/05/1990"), "Type d'étape": "Diagnostic", "Début de l'étape": "05/02/2024"}
    business = {
        **who("Martin", "Camille", "17/05/1990"),
        "Nom de l'entreprise": "Vélo",
        "Immatriculée le": "02/05/2024",
    }
    data = {None: row(**contract), STEP_SHEET: step, BUSINESS_SHEET: business}
    data[sheet][header] = tomorrow
    if header == "Date de sortie":
        data[None]["Motif de sortie"] = "Déménagement"

    report = import_file(workbook([data[None]], [step], [business], template=False), by=cell, filename="f.xlsx")

    message = future_date_message(what, timezone.localdate()).rstrip(".")
    message = message[:1].lower() + message[1:]
    if header == "Fin effective du contrat":
        message += " : une fin à venir va dans « Fin prévue du contrat »"
    assert [(e.sheet, e.row, e.column, e.message) for e in report.errors] == [(sheet, 2, header, message)]
    assert nothing_written()


def test_a_contract_may_start_and_end_later_as_planned(cell):
    # A contract signed and not begun yet, or running until a planned end: these are plans, not facts.
    from django.utils import timezone

    later = timezone.localdate() + datetime.timedelta(days=20)
    contract = {"Type de contrat": "CDD", "Employeur": "Garage", "Heures hebdomadaires": "35"}
    report = import_file(
        csv_bytes(
            [
                row(
                    **contract,
                    **{"Début du contrat": later, "Fin prévue du contrat": later + datetime.timedelta(days=90)},
                )
            ]
        ),
        by=cell,
    )
    assert report.ok, report.lines()
    assert Contract.objects.get().started_on == later


def test_an_unknown_column_of_any_sheet_is_an_error_naming_it_and_nothing_is_written(cell):
    book = load_workbook(io.BytesIO(workbook([row()], [], [])))
    book[STEP_SHEET].cell(row=1, column=20, value="Heures de formation")
    buffer = io.BytesIO()
    book.save(buffer)

    report = import_file(buffer.getvalue(), by=cell, filename="reprise.xlsx")

    assert messages(report) == [
        "Onglet « Étapes », ligne 1, colonne « Heures de formation » : colonne inconnue : retirez-la, ou donnez-lui "
        "l'en-tête d'une colonne du modèle ; rien n'a été enregistré."
    ]
    assert nothing_written()


def test_an_unknown_sheet_with_data_is_an_error_and_an_empty_one_is_ignored(cell):
    book = load_workbook(io.BytesIO(workbook([row()], [], [])))
    book.create_sheet("Feuil2")
    book.create_sheet("Entretiens").append(["Date", "Notes"])
    buffer = io.BytesIO()
    book.save(buffer)

    report = import_file(buffer.getvalue(), by=cell, filename="reprise.xlsx")

    assert messages(report) == [
        "Onglet « Entretiens » : onglet inconnu « Entretiens » : le modèle a les onglets « Participants », « Étapes » "
        "et « Créations d'entreprise » (et « Aide ») ; renommez-le comme l'un d'eux, ou retirez-le ; rien n'a été "
        "enregistré."
    ]
    assert nothing_written()


def test_etapes_business_creations_and_contract_facts_are_checked_like_the_forms(cell):
    file = workbook(
        [
            row(
                **{
                    "Type de contrat": "CDD",
                    "Employeur": "Garage",
                    "Début du contrat": "01/03/2024",
                    "Heures hebdomadaires": "12",
                    "Alternance conclue en CDI (oui/non)": "oui",
                    "Accord pour moins d'un mi-temps le": "01/04/2024",
                }
            ),
            row(
                **{
                    "Type de contrat": "CDDI",
                    "Employeur": "Les Jardins du Suzon",
                    "Type d'employeur": "ACI",
                    "Début du contrat": "01/06/2024",
                    "Fin prévue du contrat": "01/05/2024",
                    "Heures hebdomadaires": "26",
                    "Validation ACI 55 ans et plus le": "15/10/2024",
                }
            ),
        ],
        [
            {**who("Inconnue"), "Type d'étape": "Diagnostic", "Début de l'étape": "05/02/2024"},
            {
                **who("Martin", "Camille", "17/05/1990"),
                "Type d'étape": "Accompagnement spécifique",
                "Début de l'étape": "05/02/2024",
            },
            {**who("Camille", "Martin", "17/05/1990"), "Type d'étape": "Formation", "Début de l'étape": "05/02/2024"},
            {
                **who("Martin", "Camille", "17/05/1990"),
                "Type d'étape": "Immersion",
                "Formation qualifiante (oui/non)": "oui",
                "Début de l'étape": "05/02/2024",
            },
            {
                **who("Martin", "Camille", "17/05/1990"),
                "Type d'étape": "Formation certifiante",
                "Début de l'étape": "05/02/2024",
                "Certification obtenue (oui/non)": "oui",
            },
        ],
        [
            {
                **who("Martin", "Camille", "17/05/1990"),
                "Nom de l'entreprise": "Vélo",
                "Immatriculée le": "02/05/2024",
                "SIRET": "123",
            }
        ],
        template=False,
    )

    report = import_file(file, by=cell, filename="reprise.xlsx")

    assert messages(report) == [
        "Ligne 2, colonne « Alternance conclue en CDI (oui/non) » : seul un contrat en alternance "
        "(professionnalisation, apprentissage) peut être conclu en CDI.",
        "Ligne 2, colonne « Justificatif de l'accord » : indiquez le justificatif de l'accord du participant.",
        "Ligne 3, colonne « Fin prévue du contrat » : la fin prévue du contrat (01/05/2024) précède son début "
        "(01/06/2024).",
        "Onglet « Étapes », ligne 2, colonne « Nom » : aucune ligne de l'onglet « Participants » pour Alex "
        "Inconnue, né·e le 12/04/1985 : une ligne de cet onglet se rattache au parcours d'une personne de l'onglet "
        "« Participants ».",
        "Onglet « Étapes », ligne 3, colonne « Frein travaillé » : indiquez le frein travaillé dans cet "
        "accompagnement spécifique.",
        "Onglet « Étapes », ligne 4, colonne « Formation qualifiante (oui/non) » : « Formation » : précisez si elle "
        "est qualifiante ou certifiante (« oui ») ou pré-qualifiante (« non »).",
        "Onglet « Étapes », ligne 5, colonne « Formation qualifiante (oui/non) » : ne concerne que les formations, "
        "or l'étape est « Immersion / PMSMP ».",
        "Onglet « Étapes », ligne 6, colonne « Fin de l'étape » : indiquez la date de fin de l'étape dont la "
        "certification est obtenue.",
        "Onglet « Créations d'entreprise », ligne 2, colonne « SIRET » : SIRET invalide « 123 » : 14 chiffres.",
    ]
    assert nothing_written()


def test_an_aci_validation_needs_an_aci_contract_of_someone_aged_55_or_more(cell):
    contract = {
        "Type de contrat": "CDDI",
        "Employeur": "Les Jardins du Suzon",
        "Type d'employeur": "ACI",
        "Début du contrat": "01/03/2024",
        "Heures hebdomadaires": "26",
        "Validation ACI 55 ans et plus le": "15/10/2024",
    }
    rows = [row(**contract), row(**{**contract, "Type d'employeur": "EI"}, **who("Senior", birth_date="01/01/1960"))]

    report = import_file(csv_bytes(rows), by=cell)

    rule = "la validation de la cellule concerne les contrats en ACI des personnes de 55 ans ou plus à leur début"
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "Validation ACI 55 ans et plus le", f"{rule} : la personne avait 33 ans au début du contrat"),
        (
            3,
            "Validation ACI 55 ans et plus le",
            f"{rule} : ce contrat n'est pas signé avec un ACI (colonne « Type d'employeur »)",
        ),
    ]
    assert nothing_written()


def test_a_file_of_an_older_template_reads_its_contract_end_as_the_actual_end(cell):
    headers = [c.header for c in SHEETS[0].columns if c.key not in ("planned_end", "contract_end")]
    headers.insert(headers.index("Heures hebdomadaires"), "Fin du contrat")
    values = row(
        **{
            "Type de contrat": "CDD",
            "Employeur": "Garage",
            "Début du contrat": "01/03/2024",
            "Fin du contrat": "31/05/2024",
            "Heures hebdomadaires": "35",
        }
    )
    file = ("\ufeff" + ";".join(headers) + "\r\n" + ";".join(values.get(h, "") for h in headers) + "\r\n").encode()

    report = import_file(file, by=cell, filename="ancien.csv")

    assert report.ok, report.lines()
    contract = Contract.objects.get()
    assert (contract.ended_on, contract.planned_end_on) == (D(2024, 5, 31), None)
