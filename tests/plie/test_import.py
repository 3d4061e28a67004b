import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.factories import OrganizationFactory, PersonFactory, user_with_role
from tests.plie.factories import PathwayFactory
from tremplin.accounts.enums import Role
from tremplin.people.enums import EducationLevel, FactKind, Programme
from tremplin.people.models import FollowUp, Person, SituationFact
from tremplin.plie.enums import ContractType, EmployerKind, ExitKind, ExitRule, OrientationStatus, PathwayStatus
from tremplin.plie.imports import COLUMNS, import_file
from tremplin.plie.models import Contract, Orientation, Pathway
from tremplin.structures.enums import OrganizationKind

HEADERS = [c.header for c in COLUMNS]


@pytest.fixture
def irfa():
    return OrganizationFactory(name="IRFA")


@pytest.fixture
def referent(irfa):
    return user_with_role(Role.REFERENT, organization=irfa, email="referente@irfa.example.org")


@pytest.fixture
def france_travail():
    return OrganizationFactory(name="France Travail Dijon Marbotte", kind=OrganizationKind.PRESCRIBER)


@pytest.fixture
def cell(referent, france_travail):
    return user_with_role(Role.ASSISTANT, email="assistance@example.org")


def row(**values):
    """A row of the file, by column header; the participant's columns default to a valid person."""
    data = {
        "Nom": "Martin",
        "Prénom": "Camille",
        "Sexe (F/M/X)": "F",
        "Date de naissance (JJ/MM/AAAA)": "17/05/1990",
        "Commune (nom ou code INSEE)": "Dijon",
        "Structure de suivi": "IRFA",
        "Référent (e-mail)": "referente@irfa.example.org",
        "Date d'entrée": "01/02/2024",
    }
    data.update(values)
    return data


def csv_bytes(rows, *, bom=True) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS)
    for data in rows:
        writer.writerow([data.get(header, "") for header in HEADERS])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for data in rows:
        sheet.append([data.get(header) for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def journeys():
    """Camille: two contracts, a positive exit; Noah: a participant still in the pathway, no contract."""
    return [
        row(
            **{
                "E-mail": "Camille.Martin@example.org",
                "Téléphone": "06 39 98 01 02",
                "Adresse": "12 rue de la Liberté",
                "Code postal": "21000",
                "Prescripteur": "France Travail Dijon Marbotte",
                "Date d'orientation": "10/01/2024",
                "Date de sortie": "30/09/2024",
                "Motif de sortie": "Sortie positive – CDI",
                "Bénéficiaire RSA (oui/non)": "oui",
                "Niveau de formation": "V",
                "Type de contrat": "CDD",
                "Employeur": "Boulangerie des Ducs",
                "Début du contrat": "05/02/2024",
                "Fin effective du contrat": "29/02/2024",
                "Heures hebdomadaires": "24,5",
            }
        ),
        # The second row of the same person: only the identity and the contract are repeated.
        {
            "Nom": "MARTIN",
            "Prénom": "camille",
            "Date de naissance (JJ/MM/AAAA)": "17/05/1990",
            "Type de contrat": "CDI",
            "Employeur": "Boulangerie des Ducs",
            "Type d'employeur": "Employeur ordinaire",
            "Début du contrat": "01/03/2024",
            "Heures hebdomadaires": "35",
        },
        row(
            **{
                "Nom": "Petit",
                "Prénom": "Noah",
                "Sexe (F/M/X)": "M",
                "Date de naissance (JJ/MM/AAAA)": "03/11/2001",
                "Commune (nom ou code INSEE)": "21166",
                "Date d'entrée": "15/06/2025",
                "Bénéficiaire RSA (oui/non)": "non",
            }
        ),
    ]


def test_a_valid_file_creates_people_pathways_contracts_and_follow_ups(cell, irfa, referent, france_travail):
    report = import_file(xlsx_bytes(journeys()), by=cell, filename="parcours.xlsx")

    assert report.ok, [str(e) for e in report.errors]
    assert report.rows == 3
    assert report.created["Personnes inscrites au registre"] == 2
    assert report.created["Parcours PLIE"] == 2 and report.created["Contrats de travail"] == 2
    camille = Person.objects.get(last_name="Martin")
    assert camille.email == "camille.martin@example.org" and camille.phone == "0639980102"
    assert camille.commune.name == "Dijon" and camille.registered_on == datetime.date(2024, 1, 10)
    assert camille.name_key == "martin|camille" and "martin" in camille.search_text
    pathway = Pathway.objects.get(person=camille)
    assert pathway.status == PathwayStatus.EXITED
    assert pathway.entry_date == datetime.date(2024, 2, 1) and pathway.exit_date == datetime.date(2024, 9, 30)
    assert pathway.exit_kind == ExitKind.POSITIVE_CDI and pathway.exit_rule == ExitRule.CDI
    assert "Critère rempli le 31/08/2024" in pathway.exit_explanation
    assert pathway.proposed_organization == irfa and pathway.proposed_referent == referent
    assert pathway.entry_decided_by == cell and pathway.exit_validated_by == cell
    orientation = pathway.orientation
    assert orientation.prescriber == france_travail and orientation.oriented_on == datetime.date(2024, 1, 10)
    assert orientation.status == OrientationStatus.ENTERED
    contracts = list(pathway.contracts.order_by("started_on"))
    assert [c.contract_type for c in contracts] == [ContractType.CDD, ContractType.CDI]
    assert contracts[0].weekly_hours == Decimal("24.5") and contracts[0].ended_on == datetime.date(2024, 2, 29)
    assert contracts[1].employer_kind == EmployerKind.ORDINARY and contracts[1].planned_end_on is None
    follow_up = FollowUp.objects.get(person=camille)
    assert (follow_up.organization, follow_up.referent, follow_up.programme) == (irfa, referent, Programme.PLIE)
    assert follow_up.prescriber == france_travail
    assert (follow_up.started_on, follow_up.ended_on) == (pathway.entry_date, pathway.exit_date)
    facts = {f.kind: f for f in SituationFact.objects.filter(person=camille)}
    assert set(facts) == {FactKind.RSA, FactKind.EDUCATION_LEVEL}
    assert facts[FactKind.EDUCATION_LEVEL].value == EducationLevel.LEVEL_3

    noah = Person.objects.get(last_name="Petit")
    assert noah.commune.insee_code == "21166"
    noah_pathway = Pathway.objects.get(person=noah)
    assert noah_pathway.status == PathwayStatus.ACTIVE and noah_pathway.orientation is None
    assert FollowUp.objects.open().get(person=noah).organization == irfa
    assert not SituationFact.objects.filter(person=noah).exists()

    # Every history row names the importing user.
    for model in (Person, Pathway, Contract, FollowUp, Orientation, SituationFact):
        history = model.history.all()
        assert history.exists() and set(history.values_list("history_user", flat=True)) == {cell.pk}, model


@pytest.mark.parametrize("bom", [True, False])
def test_a_csv_file_with_or_without_bom_is_imported(cell, bom):
    report = import_file(csv_bytes(journeys(), bom=bom), by=cell, filename="parcours.csv")

    assert report.ok, [str(e) for e in report.errors]
    assert Person.objects.count() == 2 and Contract.objects.count() == 2
    assert Pathway.objects.get(person__last_name="Martin").exit_rule == ExitRule.CDI


def test_the_format_is_detected_from_the_content(cell):
    report = import_file(xlsx_bytes(journeys()), by=cell, filename="export-sans-extension")

    assert report.ok and Pathway.objects.count() == 2


def test_an_existing_person_is_matched_not_duplicated(cell, irfa):
    existing = PersonFactory(
        first_name="Zoé", last_name="Lefèvre", birth_date=datetime.date(1988, 2, 29), email="zoe@example.org"
    )
    file = csv_bytes(
        [
            row(
                **{
                    "Nom": "LEFEVRE",
                    "Prénom": "zoe",
                    "Date de naissance (JJ/MM/AAAA)": "29/02/1988",
                    "E-mail": "zoe@example.org",
                    "Adresse": "3 rue Neuve",
                }
            )
        ]
    )

    report = import_file(file, by=cell, filename="parcours.csv")

    assert report.ok, [str(e) for e in report.errors]
    assert Person.objects.count() == 1
    assert report.created["Personnes inscrites au registre"] == 0
    assert report.created["Personnes déjà inscrites, rattachées"] == 1
    assert report.matched == ["Ligne 2 : Zoé LEFÈVRE, né·e le 29/02/1988"]
    pathway = Pathway.objects.get()
    assert pathway.person == existing and pathway.status == PathwayStatus.ACTIVE
    existing.refresh_from_db()
    assert existing.address == ""  # the registry's record is not modified

    # Imported again: the pathway is there already, nothing is duplicated.
    again = import_file(file, by=cell, filename="parcours.csv")
    assert not again.ok
    assert str(again.errors[0]).startswith(
        "Ligne 2, colonne « Date d'entrée » : Zoé LEFÈVRE a déjà un parcours PLIE dans Tremplin sur cette période"
    )
    assert Pathway.objects.count() == 1


def test_an_existing_open_follow_up_of_the_structure_is_continued(cell, irfa, referent):
    person = PersonFactory(first_name="Inès", last_name="Roux", birth_date=datetime.date(1979, 8, 1))
    FollowUp.objects.create(person=person, organization=irfa, programme=Programme.PLIE, referent=None)
    file = csv_bytes([row(**{"Nom": "Roux", "Prénom": "Inès", "Date de naissance (JJ/MM/AAAA)": "01/08/1979"})])

    report = import_file(file, by=cell)

    assert report.ok, [str(e) for e in report.errors]
    assert report.created["Suivis existants poursuivis"] == 1
    follow_up = FollowUp.objects.get(person=person)
    assert follow_up.referent == referent and follow_up.ended_on is None


def test_a_malformed_file_writes_nothing_and_reports_each_error_with_row_and_column(cell):
    PersonFactory(email="deja.pris@example.org")
    before = {model: model.objects.count() for model in (Person, Pathway, Contract, FollowUp, Orientation)}
    rows = [
        row(**{"Nom": "Valide", "Prénom": "Ligne"}),  # row 2: valid, yet not written
        row(**{"Nom": "Dupont", "Date d'entrée": "31/02/2023"}),  # row 3
        row(**{"Nom": "Durand", "Commune (nom ou code INSEE)": "Gotham"}),  # row 4
        row(**{"Nom": "Leroy", "Structure de suivi": "Structure fantôme"}),  # row 5
        row(**{"Nom": "Moreau", "Référent (e-mail)": "inconnu@example.org"}),  # row 6
        row(**{"Nom": "Simon", "Prescripteur": "Pôle inconnu"}),  # row 7
        row(**{"Nom": "Laurent", "Date de sortie": "01/01/2024", "Motif de sortie": "Abandon"}),  # row 8
        row(  # row 9
            **{
                "Nom": "Lefebvre",
                "Type de contrat": "CDD",
                "Employeur": "Garage",
                "Début du contrat": "01/03/2024",
                "Fin effective du contrat": "01/02/2024",
                "Heures hebdomadaires": "trente",
            }
        ),
        row(  # row 10
            **{
                "Nom": "Michel",
                "Type de contrat": "Contrat magique",
                "Employeur": "Garage",
                "Début du contrat": "01/03/2024",
                "Heures hebdomadaires": "70",
            }
        ),
        row(**{"Nom": "Garcia", "E-mail": "Deja.Pris@example.org"}),  # row 11
        row(**{"Nom": "", "Date de naissance (JJ/MM/AAAA)": "17.05.90"}),  # row 12
    ]

    report = import_file(csv_bytes(rows), by=cell, filename="parcours.csv")

    assert not report.ok
    messages = [str(e) for e in report.errors]
    assert messages == [
        "Ligne 3, colonne « Date d'entrée » : date impossible « 31/02/2023 ».",
        "Ligne 4, colonne « Commune (nom ou code INSEE) » : commune inconnue « Gotham » : indiquez le nom ou le "
        "code INSEE d'une commune de Côte-d'Or.",
        "Ligne 5, colonne « Structure de suivi » : structure inconnue « Structure fantôme » : la structure doit "
        "figurer dans l'annuaire des structures.",
        "Ligne 6, colonne « Référent (e-mail) » : aucun compte Tremplin n'a l'adresse « inconnu@example.org ».",
        "Ligne 7, colonne « Prescripteur » : prescripteur inconnu « Pôle inconnu » : la structure doit figurer "
        "dans l'annuaire des structures.",
        "Ligne 8, colonne « Date de sortie » : la sortie (01/01/2024) précède l'entrée (01/02/2024).",
        "Ligne 9, colonne « Fin effective du contrat » : la fin du contrat (01/02/2024) précède son début "
        "(01/03/2024).",
        "Ligne 9, colonne « Heures hebdomadaires » : « trente » n'est pas un nombre d'heures.",
        "Ligne 10, colonne « Type de contrat » : type de contrat inconnu « Contrat magique » : voir les valeurs "
        "admises dans l'onglet « Aide » du modèle.",
        "Ligne 10, colonne « Heures hebdomadaires » : « 70 » heures par semaine : la valeur doit être supérieure "
        "à 0 et au plus 60.",
        "Ligne 11, colonne « E-mail » : l'adresse « deja.pris@example.org » est déjà celle d'une autre personne "
        "du registre.",
        "Ligne 12, colonne « Nom » : valeur obligatoire manquante.",
        "Ligne 12, colonne « Date de naissance (JJ/MM/AAAA) » : date illisible « 17.05.90 » : format attendu "
        "JJ/MM/AAAA.",
    ]
    assert report.errors[0].row == 3 and report.errors[0].column == "Date d'entrée"
    assert {model: model.objects.count() for model in before} == before
    assert "refusé : 13 erreurs sur 11 lignes lues. Rien n'a été enregistré." in report.headline


def test_rows_of_one_person_must_agree(cell):
    rows = [row(), row(**{"Date d'entrée": "01/03/2024"}), row(**{"Commune (nom ou code INSEE)": "21231"})]

    report = import_file(csv_bytes(rows), by=cell)

    assert [str(e) for e in report.errors] == [
        "Ligne 3, colonne « Date d'entrée » : « 01/03/2024 » diffère de la ligne 2 (« 01/02/2024 ») pour la même "
        "personne : un fichier ne contient qu'un parcours par personne."
    ]
    assert not Person.objects.exists()


def test_missing_and_unknown_columns_are_reported(cell):
    file = "\ufeffNom;Prénom;Colonne perso\nMartin;Camille;x\n".encode()

    report = import_file(file, by=cell, filename="parcours.csv")

    missing = "colonne obligatoire absente de la ligne d'en-tête : reprenez les en-têtes du modèle."
    assert [str(e) for e in report.errors] == [
        "Ligne 1, colonne « Colonne perso » : colonne inconnue : retirez-la, ou donnez-lui l'en-tête d'une colonne "
        "du modèle ; rien n'a été enregistré.",
        f"Ligne 1, colonne « Sexe (F/M/X) » : {missing}",
        f"Ligne 1, colonne « Date de naissance (JJ/MM/AAAA) » : {missing}",
        f"Ligne 1, colonne « Commune (nom ou code INSEE) » : {missing}",
        f"Ligne 1, colonne « Structure de suivi » : {missing}",
        f"Ligne 1, colonne « Date d'entrée » : {missing}",
    ]
    assert not report.warnings


def test_a_positive_exit_without_its_criterion_is_kept_with_a_warning(cell):
    file = csv_bytes([row(**{"Date de sortie": "30/06/2024", "Motif de sortie": "positive_cdd"})])

    report = import_file(file, by=cell)

    assert report.ok and report.created["dont sorties positives sans critère confirmé"] == 1
    assert "n'est pas confirmée par les critères" in str(report.warnings[0])
    pathway = Pathway.objects.get()
    assert pathway.exit_kind == ExitKind.POSITIVE_CDD and pathway.exit_rule == ""


def test_dry_run_checks_and_reports_without_writing(cell):
    report = import_file(csv_bytes(journeys()), by=cell, dry_run=True)

    assert report.ok and report.created["Parcours PLIE"] == 2
    assert "vérification seule" in report.headline
    assert not Person.objects.exists() and not Pathway.objects.exists()


def test_the_template_downloads_and_imports_cleanly_once_a_row_is_added(client, cell, irfa):
    client.force_login(cell)

    response = client.get(reverse("plie:import_template"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Participants", "Étapes", "Créations d'entreprise", "Aide"]
    sheet = workbook["Participants"]
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert sheet.cell(row=2, column=1).value == "Exemple"
    help_text = " ".join(str(c.value) for r in workbook["Aide"].iter_rows() for c in r if c.value)
    assert "Sortie positive – CDI" in help_text and "IRFA" in help_text and "Date d'entrée" in help_text

    values = row(
        **{
            "Date de naissance (JJ/MM/AAAA)": datetime.datetime(1990, 5, 17),
            "Type de contrat": "cddi",
            "Employeur": "Les Jardins du Suzon",
            "Type d'employeur": "ACI",
            "Début du contrat": datetime.datetime(2024, 4, 2),
            "Fin effective du contrat": datetime.datetime(2024, 12, 31),
            "Heures hebdomadaires": 26,
        }
    )
    sheet.append([values.get(header) for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("modele-rempli.xlsx", buffer.getvalue())
    response = client.post(reverse("plie:import"), {"file": upload})

    assert response.status_code == 200
    report = response.context["report"]
    assert report.ok, [str(e) for e in report.errors]
    assert [str(w) for w in report.warnings] == [
        "Ligne 2 : ligne d'exemple du modèle, ignorée.",
        "Onglet « Étapes », ligne 2 : ligne d'exemple du modèle, ignorée.",
        "Onglet « Créations d'entreprise », ligne 2 : ligne d'exemple du modèle, ignorée.",
    ]
    assert Person.objects.get().last_name == "Martin"
    contract = Contract.objects.get()
    assert (contract.contract_type, contract.employer_kind) == (ContractType.CDDI, EmployerKind.ACI)
    assert contract.started_on == datetime.date(2024, 4, 2) and contract.weekly_hours == 26
    assert "Fichier « modele-rempli.xlsx » importé" in response.content.decode()


def test_the_upload_page_shows_the_errors(client, cell):
    client.force_login(cell)
    upload = SimpleUploadedFile("parcours.csv", csv_bytes([row(**{"Date d'entrée": "31/02/2023"})]))

    response = client.post(reverse("plie:import"), {"file": upload})

    body = response.content.decode()
    assert response.status_code == 200
    assert "Rien n&#x27;a été enregistré" in body and "Date impossible « 31/02/2023 »" in body
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.COORDINATOR, 200),
        (Role.ASSISTANT, 200),
        (Role.REFERENT, 403),
        (Role.MANAGER, 403),
        (Role.PRESCRIBER, 403),
        (Role.FACILITATOR, 404),
        (Role.MOBILITY_ADVISER, 404),
        (Role.FUNDER, 404),
        (Role.BUYER, 404),
    ],
)
def test_only_the_cell_imports(client, role, status):
    client.force_login(user_with_role(role))
    upload = SimpleUploadedFile("parcours.csv", csv_bytes([row()]))

    assert client.get(reverse("plie:import")).status_code == status
    assert client.get(reverse("plie:import_template")).status_code == status
    response = client.post(reverse("plie:import"), {"file": upload})
    assert response.status_code == status
    if status != 200:
        assert not Person.objects.exists()


def test_anonymous_visitors_are_sent_to_login(client):
    for name in ("plie:import", "plie:import_template"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_the_command_imports_and_exits_with_1_on_errors(tmp_path, cell):
    good, bad = tmp_path / "parcours.xlsx", tmp_path / "erreurs.csv"
    good.write_bytes(xlsx_bytes(journeys()))
    bad.write_bytes(csv_bytes([row(**{"Heures hebdomadaires": "70", "Type de contrat": "CDI"})]))

    out = io.StringIO()
    call_command("plie_import", str(good), "--as", cell.email, "--dry-run", stdout=out)
    assert "vérification seule" in out.getvalue() and not Person.objects.exists()

    out = io.StringIO()
    call_command("plie_import", str(good), "--as", cell.email.upper(), stdout=out)
    assert "- Parcours PLIE : 2" in out.getvalue() and Pathway.objects.count() == 2

    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("plie_import", str(bad), "--as", cell.email, stdout=out)
    assert error.value.returncode == 1
    assert "Ligne 2, colonne « Heures hebdomadaires »" in out.getvalue()
    assert "Ligne 2, colonne « Employeur » : valeur obligatoire manquante pour un contrat." in out.getvalue()

    with pytest.raises(CommandError, match="cellule"):
        call_command("plie_import", str(good), "--as", "referente@irfa.example.org", stdout=io.StringIO())


def test_an_open_pathway_conflicts_with_the_open_pathway_already_recorded(cell, irfa):
    person = PersonFactory(first_name="Léa", last_name="Blanc", birth_date=datetime.date(1995, 1, 1))
    PathwayFactory(person=person, proposed_organization=irfa, entry_date=datetime.date(2025, 1, 6))

    file = csv_bytes([row(**{"Nom": "Blanc", "Prénom": "Léa", "Date de naissance (JJ/MM/AAAA)": "01/01/1995"})])
    report = import_file(file, by=cell)

    assert not report.ok and "a déjà un parcours PLIE dans Tremplin" in str(report.errors[0])
    assert Pathway.objects.count() == 1


def test_headers_are_recognised_in_any_order_without_their_hints(cell, irfa, referent):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["date d'entree", "NOM", "prenom", "Sexe", "Date de naissance", "Commune", "Structure de suivi"])
    sheet.append(["", "", "", "", "", "", ""])  # an empty row is skipped, the numbering goes on
    sheet.append([datetime.date(2025, 3, 3), "Nguyen", "Linh", "X", datetime.date(1999, 9, 9), 21231, "irfa"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = import_file(buffer.getvalue(), by=cell, filename="parcours.xlsx")

    assert report.ok, [str(e) for e in report.errors]
    person = Person.objects.get()
    assert (person.sex, person.commune.name) == ("X", "Dijon")
    assert Pathway.objects.get().entry_date == datetime.date(2025, 3, 3)


def test_a_referent_must_belong_to_the_structure_and_people_must_be_unambiguous(cell, irfa):
    user_with_role(Role.REFERENT, email="ailleurs@example.org")
    for _ in range(2):
        PersonFactory(first_name="Jean", last_name="Double", birth_date=datetime.date(1970, 7, 7))
    rows = [
        row(**{"Référent (e-mail)": "ailleurs@example.org"}),
        row(**{"Nom": "Double", "Prénom": "Jean", "Date de naissance (JJ/MM/AAAA)": "07/07/1970"}),
    ]

    report = import_file(csv_bytes(rows), by=cell)

    messages = [str(e) for e in report.errors]
    assert len(messages) == 2
    assert "n'est pas membre de la structure « IRFA »" in messages[0]
    assert messages[1].startswith("Ligne 3, colonne « Nom » : 2 personnes du registre ont ce nom")


def test_an_unexpected_database_error_rolls_everything_back(cell, monkeypatch):
    from django.db import IntegrityError

    def failing_bulk_create(*args, **kwargs):
        raise IntegrityError("panne simulée")

    monkeypatch.setattr(Contract.objects, "bulk_create", failing_bulk_create)

    report = import_file(xlsx_bytes(journeys()), by=cell, filename="parcours.xlsx")

    assert not report.ok and report.created == {}
    assert "Erreur inattendue à l'enregistrement, rien n'a été enregistré (panne simulée)" in str(report.errors[0])
    assert not Person.objects.exists() and not Pathway.objects.exists() and not FollowUp.objects.exists()
