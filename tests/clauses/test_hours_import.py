"""The import of a company's monthly statement: all or nothing, every error with its row and column."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tests.clauses.factories import HoursRecordFactory, LotFactory, PlacementFactory, hours_world
from tests.factories import OrganizationFactory, PersonFactory
from tremplin.clauses.enums import HireContract
from tremplin.clauses.hours import IMPORT_COLUMNS, import_hours
from tremplin.clauses.hours.ledger import TRAINING_HOURS_RULE
from tremplin.clauses.models import HoursRecord

D = Decimal
HEADERS = [c.header for c in IMPORT_COLUMNS]
MARCH = datetime.date(2024, 3, 1)


@pytest.fixture
def world():
    return hours_world()


def csv_bytes(rows, *, headers=HEADERS, encoding="utf-8-sig") -> bytes:
    lines = [";".join(headers)] + [";".join("" if v is None else str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def xlsx_bytes(rows, *, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Heures"
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def issues(report) -> list[tuple]:
    return [(e.row, e.column, e.message) for e in report.errors]


class TestValidFiles:
    def test_a_csv_with_bom_and_semicolons_is_imported(self, world):
        pk = world.placement.pk
        content = csv_bytes(
            [
                (pk, "Lefèvre", "Zoé", "2024-03", "151,67", "", ""),
                (pk, "LEFEVRE", "zoe", "2024-04", "140", "0", ""),
                (pk, "", "", "05/2024", "1 20,5", "", ""),
            ]
        )
        report = import_hours(content, by=world["company"], filename="releve-avril.csv")
        assert report.ok, report.lines()
        assert (report.rows, report.created, report.updated) == (3, 3, 0)
        assert report.headline == "Fichier « releve-avril.csv » importé (3 lignes) : 3 relevés créés."
        records = HoursRecord.objects.order_by("month")
        assert [(r.month, r.hours) for r in records] == [
            (MARCH, D("151.67")),
            (datetime.date(2024, 4, 1), D("140.00")),
            (datetime.date(2024, 5, 1), D("120.50")),
        ]
        assert {r.recorded_by for r in records} == {world["company"]}
        assert {h.history_user for r in records for h in r.history.all()} == {world["company"]}

    def test_an_xlsx_is_imported_with_numbers_and_dates_as_excel_keeps_them(self, world):
        pk = world.placement.pk
        content = xlsx_bytes(
            [
                (pk, "Lefèvre", "Zoé", "2024-03", 151.67, None, None),
                (float(pk), None, None, datetime.datetime(2024, 4, 1), 35 * 4.33, 0, None),  # 151.54999…
            ]
        )
        report = import_hours(content, by=world["facilitator"], filename="releve.xlsx")
        assert report.ok, report.lines()
        assert sorted(HoursRecord.objects.values_list("hours", flat=True)) == [D("151.55"), D("151.67")]

    def test_a_sub_contracting_amount_without_hours_is_a_record(self, world):
        content = csv_bytes([(world.placement.pk, "", "", "2024-03", "", "", "4 500,00")])
        report = import_hours(content, by=world["company"], filename="releve.csv")
        assert report.ok, report.lines()
        record = HoursRecord.objects.get()
        assert (record.hours, record.subcontracting_amount) == (0, D("4500.00"))

    def test_rows_without_hours_are_ignored(self, world):
        content = csv_bytes(
            [
                (world.placement.pk, "Lefèvre", "Zoé", "2024-03", "", "", ""),
                (world.placement.pk, "", "", "2024-04", 7, "", ""),
            ]
        )
        report = import_hours(content, by=world["company"], filename="releve.csv")
        assert report.ok
        assert (report.created, report.ignored) == (1, 1)
        assert "1 ligne sans heures ignorée" in report.headline

    def test_a_csv_saved_by_excel_in_windows_1252_is_read(self, world):
        content = csv_bytes([(world.placement.pk, "Lefèvre", "Zoé", "2024-03", "35", "", "")], encoding="cp1252")
        report = import_hours(content, by=world["company"], filename="releve.csv")
        assert report.ok, report.lines()

    def test_a_dry_run_writes_nothing(self, world):
        content = csv_bytes([(world.placement.pk, "", "", "2024-03", "35", "", "")])
        report = import_hours(content, by=world["company"], filename="releve.csv", dry_run=True)
        assert report.ok and report.created == 1
        assert "vérification seule, rien n'a été enregistré" in report.headline
        assert not HoursRecord.objects.exists()

    def test_it_reads_the_file_without_a_query_per_row(self, world, django_assert_max_num_queries):
        placements = [PlacementFactory(lot=world.lot, employer=world.company) for _ in range(20)]
        rows = [(p.pk, "", "", f"2024-{m:02d}", "35", "", "") for p in placements for m in range(1, 13)]
        with django_assert_max_num_queries(20):
            report = import_hours(csv_bytes(rows), by=world["company"], filename="releve.csv", dry_run=True)
        assert report.ok and report.rows == 240

    def test_it_writes_without_a_query_per_row(self, world, django_assert_max_num_queries):
        placements = [PlacementFactory(lot=world.lot, employer=world.company) for _ in range(20)]
        rows = [(p.pk, "", "", f"2024-{m:02d}", "35", "", "") for p in placements for m in range(1, 13)]
        HoursRecordFactory(placement=placements[0], month=MARCH)
        with django_assert_max_num_queries(30):
            report = import_hours(csv_bytes(rows), by=world["company"], filename="releve.csv", replace=True)
        assert (report.created, report.updated) == (239, 1)
        assert HoursRecord.objects.count() == 240
        assert HoursRecord.history.filter(history_user=world["company"]).count() == 240


class TestMalformedFiles:
    def test_every_error_is_reported_with_its_row_and_column_and_nothing_is_written(self, world):
        pk = world.placement.pk
        content = csv_bytes(
            [
                (pk, "Lefèvre", "Zoé", "2024-03", "151,67", "", ""),  # row 2: valid
                (pk, "Lefèvre", "Zoé", "2024-13", "35", "", ""),  # row 3: bad month
                (pk, "Lefèvre", "Zoé", "2024-04", "-5", "", ""),  # row 4: negative hours
                (999999, "Inconnu", "Jean", "2024-04", "35", "", ""),  # row 5: unknown placement
                (pk, "Lefèvre", "Zoé", "2024-05", "250", "", ""),  # row 6: over the monthly maximum
                (pk, "Lefèvre", "Zoé", "2024-03", "10", "", ""),  # row 7: March again
                (pk, "Lefèvre", "Zoé", "2024-01", "10", "", ""),  # row 8: before the placement
                (pk, "Lefèvre", "Zoé", "2024-10", "10", "", ""),  # row 9: after the placement
                (pk, "Martin", "Zoé", "2024-06", "10", "", ""),  # row 10: not her name
                (pk, "Lefèvre", "Zoé", "", "douze", "", ""),  # row 11: no month, not a number
                ("abc", "Lefèvre", "Zoé", "2024-07", "10,123", "", ""),  # row 12: bad id, 3 decimals
            ]
        )
        report = import_hours(content, by=world["company"], filename="releve.csv")
        assert not report.ok
        assert issues(report) == [
            (3, "Mois (AAAA-MM)", "mois invalide « 2024-13 » : attendu AAAA-MM, par exemple 2024-03"),
            (4, "Heures travaillées", "les heures travaillées ne peuvent pas être négatives"),
            (
                5,
                "Identifiant de la mise en emploi",
                "mise en emploi n° 999999 inconnue, ou dont vous ne déclarez pas les heures",
            ),
            (
                6,
                "Heures travaillées",
                "250,00 h dans un mois dépassent le maximum plausible de 220,00 h (48 h par semaine) : vérifiez le "
                "relevé",
            ),
            (
                7,
                "Mois (AAAA-MM)",
                f"mars 2024 figure déjà ligne 2 pour la mise en emploi n° {pk} : une seule ligne par mise en emploi "
                "et par mois",
            ),
            (8, "Mois (AAAA-MM)", "la mise en emploi commence le 12/02/2024 : pas d'heures en janvier 2024"),
            (9, "Mois (AAAA-MM)", "la mise en emploi s'est terminée le 30/09/2024 : pas d'heures en octobre 2024"),
            (
                10,
                "Nom",
                f"« Martin » ne correspond pas à la mise en emploi n° {pk} (Zoé LEFÈVRE) : vérifiez l'identifiant",
            ),
            (11, "Mois (AAAA-MM)", "mois manquant (AAAA-MM, par exemple 2024-03)"),
            (11, "Heures travaillées", "nombre invalide « douze » (par exemple 151,67)"),
            (
                12,
                "Identifiant de la mise en emploi",
                "identifiant invalide « abc » : un nombre entier, tel que le modèle le donne",
            ),
            (
                12,
                "Heures travaillées",
                "les heures travaillées se saisissent avec 2 décimales au plus (par exemple 151,67)",
            ),
        ]
        assert (
            report.headline
            == "Fichier « releve.csv » refusé : 12 erreurs sur 11 lignes lues. Rien n'a été enregistré."
        )
        assert str(report.errors[0]) == (
            "Ligne 3, colonne « Mois (AAAA-MM) » : mois invalide « 2024-13 » : attendu AAAA-MM, par exemple 2024-03."
        )
        assert not HoursRecord.objects.exists()

    def test_the_same_errors_are_found_in_an_xlsx(self, world):
        pk = world.placement.pk
        content = xlsx_bytes(
            [
                (pk, None, None, "2024-03", 100, None, None),
                (pk, None, None, "2024-13", 35, None, None),
                (pk, None, None, "2024-04", -5, None, None),
                (424242, None, None, "2024-04", 35, None, None),
                (pk, None, None, "2024-05", 250, None, None),
            ]
        )
        report = import_hours(content, by=world["company"], filename="releve.xlsx")
        assert [(row, column) for row, column, _ in issues(report)] == [
            (3, "Mois (AAAA-MM)"),
            (4, "Heures travaillées"),
            (5, "Identifiant de la mise en emploi"),
            (6, "Heures travaillées"),
        ]
        assert not HoursRecord.objects.exists()

    def test_a_month_already_recorded_is_an_error_unless_replaced(self, world):
        HoursRecordFactory(placement=world.placement, month=MARCH, hours=D("100"))
        content = csv_bytes(
            [
                (world.placement.pk, "", "", "2024-03", "104,5", "", ""),
                (world.placement.pk, "", "", "2024-04", "80", "", ""),
            ]
        )
        report = import_hours(content, by=world["company"], filename="releve.csv")
        assert issues(report) == [
            (
                2,
                "Mois (AAAA-MM)",
                f"les heures de mars 2024 sont déjà enregistrées pour la mise en emploi n° {world.placement.pk} "
                "(100,00 h) : cochez « Remplacer les mois déjà saisis » pour les corriger",
            )
        ]
        assert HoursRecord.objects.count() == 1

        report = import_hours(content, by=world["company"], filename="releve.csv", replace=True)
        assert report.ok and (report.created, report.updated) == (1, 1)
        replaced = HoursRecord.objects.get(month=MARCH)
        assert replaced.hours == D("104.50")
        latest = replaced.history.latest()
        assert (latest.history_type, latest.history_user) == ("~", world["company"])

    def test_existing_months_are_reported_along_with_other_errors(self, world):
        HoursRecordFactory(placement=world.placement, month=MARCH)
        content = csv_bytes(
            [
                (world.placement.pk, "", "", "2024-03", "10", "", ""),
                (world.placement.pk, "", "", "2024-99", "1", "", ""),
            ]
        )
        report = import_hours(content, by=world["company"], filename="releve.csv")
        assert [row for row, _, _ in issues(report)] == [3, 2]

    def test_an_insertion_market_placement_is_refused(self, world):
        placement = PlacementFactory(lot=LotFactory(insertion_market=True, attributaire=world.company))
        report = import_hours(csv_bytes([(placement.pk, "", "", "2024-03", "10", "", "")]), by=world["company"])
        assert "marché d'insertion" in report.errors[0].message

    def test_training_hours_outside_alternance_are_refused_with_the_rule_of_the_form(self, world):
        # The form records them and warns (hours_warnings); the import refuses them, with the same rule.
        apprentice = PlacementFactory(
            lot=world.lot, employer=world.company, contract=HireContract.APPRENTICESHIP, started_on=MARCH
        )
        content = csv_bytes(
            [
                (world.placement.pk, "", "", "2024-03", "100", "10", ""),  # a CDD: refused
                (world.placement.pk, "", "", "2024-04", "100", "0", ""),  # no training hours: fine
                (apprentice.pk, "", "", "2024-03", "80", "35", ""),  # an apprenticeship: fine
            ]
        )
        report = import_hours(content, by=world["company"])
        assert issues(report) == [
            (
                2,
                "Heures de formation",
                f"{TRAINING_HOURS_RULE[:1].lower()}{TRAINING_HOURS_RULE[1:]}, or la mise en emploi "
                f"n° {world.placement.pk} est en « CDD » : laissez cette colonne vide (ou à 0), ou corrigez "
                "l'identifiant",
            )
        ]
        assert not HoursRecord.objects.exists()

        fixed = content.replace(b";100;10;", b";100;;")
        assert import_hours(fixed, by=world["company"]).ok
        assert HoursRecord.objects.get(placement=apprentice).training_hours == 35

    @pytest.mark.parametrize(
        "content,filename,message",
        [
            (
                b"\xd0\xcf\x11\xe0" + b"\x00" * 100,
                "releve.xls",
                "le format .xls (Excel 97-2003) n'est pas pris en charge",
            ),
            (b"PK\x03\x04 broken", "releve.xlsx", "fichier XLSX illisible"),
            (b"", "releve.csv", "le fichier est vide"),
            (b"Identifiant de la mise en emploi;Nom\r\n1;X\r\n", "releve.csv", "colonne obligatoire absente"),
            (";".join(HEADERS).encode() + b"\r\n", "releve.csv", "aucune ligne de données"),
        ],
    )
    def test_unreadable_files_are_refused(self, world, content, filename, message):
        report = import_hours(content, by=world["company"], filename=filename)
        assert not report.ok
        assert message in report.errors[0].message


class TestAccess:
    def test_a_company_cannot_import_hours_for_another_company_placement(self, world):
        other_company = OrganizationFactory(company=True)
        theirs = PlacementFactory(lot=LotFactory(attributaire=other_company), employer=other_company)
        content = csv_bytes(
            [(world.placement.pk, "", "", "2024-03", "35", "", ""), (theirs.pk, "", "", "2024-03", "35", "", "")]
        )
        report = import_hours(content, by=world["company"], filename="releve.csv")
        assert issues(report) == [
            (
                3,
                "Identifiant de la mise en emploi",
                f"mise en emploi n° {theirs.pk} inconnue, ou dont vous ne déclarez pas les heures",
            )
        ]
        assert not HoursRecord.objects.exists()

    def test_the_other_company_cannot_import_ours(self, world):
        content = csv_bytes([(world.placement.pk, "Lefèvre", "Zoé", "2024-03", "35", "", "")])
        report = import_hours(content, by=world["other_company"], filename="releve.csv")
        assert "inconnue, ou dont vous ne déclarez pas les heures" in report.errors[0].message
        assert not HoursRecord.objects.exists()

    def test_a_facilitator_imports_only_for_people_her_structure_follows(self, world):
        stranger = PlacementFactory(lot=world.lot, person=PersonFactory())
        content = csv_bytes([(stranger.pk, "", "", "2024-03", "35", "", "")])
        assert not import_hours(content, by=world["facilitator"]).ok
        assert import_hours(content, by=world["coordinator"]).ok

    @pytest.mark.parametrize("persona", ["manager", "referent", "buyer", "funder"])
    def test_users_who_declare_no_hours_may_not_import(self, world, persona):
        with pytest.raises(PermissionDenied):
            import_hours(csv_bytes([]), by=world[persona])


class TestPages:
    @time_machine.travel(datetime.datetime(2024, 7, 15, 10, 0), tick=False)
    def test_the_template_round_trips(self, client, world):
        ended = PlacementFactory(lot=world.lot, employer=world.company, ended_on=datetime.date(2024, 4, 30))
        theirs = PlacementFactory()
        client.force_login(world["company"])
        response = client.get(reverse("clauses:hours_template"))
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="modele-heures-insertion.xlsx"'
        workbook = load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames == ["Heures", "Aide"]
        sheet = workbook["Heures"]
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == [
            "Identifiant de la mise en emploi",
            "Nom",
            "Prénom",
            "Mois (AAAA-MM)",
            "Heures travaillées",
            "Heures de formation",
            "Montant sous-traité (€ HT)",
        ]
        assert [row[:4] for row in rows[1:]] == [(world.placement.pk, "Lefèvre", "Zoé", "2024-06")]
        assert ended.pk not in [row[0] for row in rows] and theirs.pk not in [row[0] for row in rows]
        help_text = " ".join(str(c) for row in workbook["Aide"].iter_rows(values_only=True) for c in row if c)
        assert "rien n'est enregistré" in help_text and "Heures de formation" in help_text
        # The company fills in the hours and sends the file back.
        sheet["E2"] = 151.67
        sheet.append([world.placement.pk, "Lefèvre", "Zoé", "2024-05", 140, None, None])
        buffer = io.BytesIO()
        workbook.save(buffer)
        upload = SimpleUploadedFile("modele-heures-insertion.xlsx", buffer.getvalue())
        response = client.post(reverse("clauses:hours_import"), {"file": upload})
        assert response.status_code == 200
        assert "Fichier « modele-heures-insertion.xlsx » importé (2 lignes) : 2 relevés créés." in response.text
        assert sorted(HoursRecord.objects.values_list("month", "hours")) == [
            (datetime.date(2024, 5, 1), D("140.00")),
            (datetime.date(2024, 6, 1), D("151.67")),
        ]

    def test_the_upload_page_lists_the_errors_and_writes_nothing(self, client, world):
        client.force_login(world["facilitator"])
        content = csv_bytes(
            [
                (world.placement.pk, "", "", "2024-13", "35", "", ""),
                (world.placement.pk, "", "", "2024-04", "-1", "", ""),
            ]
        )
        response = client.post(reverse("clauses:hours_import"), {"file": SimpleUploadedFile("releve.csv", content)})
        assert response.status_code == 200
        assert "Rien n&#x27;a été enregistré." in response.text
        assert "<td>2</td><td>Mois (AAAA-MM)</td><td>Mois invalide « 2024-13 »" in response.text
        assert "<td>3</td><td>Heures travaillées</td><td>Les heures travaillées ne peuvent pas être négatives" in (
            response.text
        )
        assert not HoursRecord.objects.exists()

    def test_the_replace_checkbox_replaces_months(self, client, world):
        HoursRecordFactory(placement=world.placement, month=MARCH, hours=D("100"))
        client.force_login(world["company"])
        content = csv_bytes([(world.placement.pk, "", "", "2024-03", "90", "", "")])
        response = client.post(
            reverse("clauses:hours_import"), {"file": SimpleUploadedFile("releve.csv", content), "replace": "on"}
        )
        assert "0 relevé créé, 1 remplacé" in response.text
        assert HoursRecord.objects.get().hours == D("90")


class TestCommand:
    def test_it_imports_as_the_given_user(self, world, tmp_path, capsys):
        path = tmp_path / "releve.csv"
        path.write_bytes(csv_bytes([(world.placement.pk, "", "", "2024-03", "35", "", "")]))
        call_command("clauses_import_hours", str(path), "--as", world["company"].email.upper())
        assert "Import terminé." in capsys.readouterr().out
        assert HoursRecord.objects.get().history.get().history_user == world["company"]

    def test_a_dry_run_writes_nothing(self, world, tmp_path, capsys):
        path = tmp_path / "releve.xlsx"
        path.write_bytes(xlsx_bytes([(world.placement.pk, None, None, "2024-03", 35, None, None)]))
        call_command("clauses_import_hours", str(path), "--as", world["company"].email, "--dry-run")
        assert "vérification seule" in capsys.readouterr().out
        assert not HoursRecord.objects.exists()

    def test_a_malformed_file_exits_with_an_error_and_writes_nothing(self, world, tmp_path, capsys):
        path = tmp_path / "releve.csv"
        path.write_bytes(
            csv_bytes(
                [
                    (world.placement.pk, "", "", "2024-03", "35", "", ""),
                    (world.placement.pk, "", "", "2024-13", "35", "", ""),
                ]
            )
        )
        with pytest.raises(CommandError, match="1 erreur"):
            call_command("clauses_import_hours", str(path), "--as", world["company"].email)
        assert "Ligne 3, colonne « Mois (AAAA-MM) » : mois invalide « 2024-13 »" in capsys.readouterr().out
        assert not HoursRecord.objects.exists()

    def test_it_refuses_users_who_declare_no_hours(self, world, tmp_path):
        path = tmp_path / "releve.csv"
        path.write_bytes(csv_bytes([]))
        with pytest.raises(CommandError, match="ne déclare pas d'heures"):
            call_command("clauses_import_hours", str(path), "--as", world["manager"].email)
        with pytest.raises(CommandError, match="Aucun utilisateur actif"):
            call_command("clauses_import_hours", str(path), "--as", "personne@example.org")
