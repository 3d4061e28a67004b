"""HoursRecord.counted_hours is what tremplin/clauses/counting.py computes, after every write that can change it.

Data is written, or changed, through the services (and the admin, and the command), never refreshed by the
test: each test states the figure it expects before and after the change, then checks that every stored
figure equals the SQL computation (annotate_counted_hours) and the explained one (explain_operation_hours).
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.clauses.factories import HoursRecordFactory, OperationFactory, PlacementFactory, hours_world
from tests.factories import OrganizationFactory, UserFactory
from tremplin.clauses import services
from tremplin.clauses.counting import annotate_counted_hours, explain_operation_hours, recount
from tremplin.clauses.enums import FulfilmentMode, HireContract, LegalBasis
from tremplin.clauses.hours import IMPORT_COLUMNS, import_hours, record_hours, update_hours
from tremplin.clauses.models import CountingConvention, GlobalisationAgreement, HoursRecord, Operation
from tremplin.structures.enums import OrganizationKind, SiaeType
from tremplin.territory.reference import load_all

D = Decimal
MARCH = datetime.date(2024, 3, 1)
APRIL = datetime.date(2024, 4, 1)


@pytest.fixture
def world():
    return hours_world()


@pytest.fixture
def facilitator(world):
    return world["facilitator"]


def counted(record) -> Decimal:
    """The figure stored on the record, read from the database."""
    return HoursRecord.objects.values_list("counted_hours", flat=True).get(pk=record.pk)


def assert_counts_are_fresh():
    """Every stored figure is what counting.py computes now, in SQL and record by record with its reason."""
    rows = annotate_counted_hours(HoursRecord.objects.all()).values_list("pk", "counted_hours", "computed_hours")
    stored = {}
    for pk, counted_hours, computed_hours in rows:
        assert counted_hours == computed_hours, f"record {pk}: {counted_hours} stored, {computed_hours} computed"
        stored[pk] = counted_hours
    assert stored, "no record: nothing checked"
    for operation in Operation.objects.filter(markets__lots__placements__hours__isnull=False).distinct():
        for line in explain_operation_hours(operation).records:
            if line.record is not None:
                assert stored[line.record.pk] == line.counted, line.reason


def record(world, *, month=MARCH, hours=100, placement=None, **kwargs):
    return record_hours(
        placement=placement or world.placement, month=month, hours=hours, by=world["facilitator"], **kwargs
    )


def convention(operation, by, **rules):
    return services.set_counting_convention(
        operation=operation, provenance="Charte locale des clauses sociales", by=by, **rules
    )


# --- Hours entered by hand ---------------------------------------------------------------------------


def test_recorded_hours_are_counted_at_once(world):
    saved = record(world, hours="151.67")
    assert counted(saved) == D("151.67")
    assert saved.counted_hours == D("151.67")  # the instance returned carries the figure too
    assert_counts_are_fresh()


def test_hours_recorded_on_an_operation_outside_any_agreement_count_zero(world):
    saved = record(world, worked_on=OperationFactory(name="Médiathèque"))
    assert saved.hours == 100
    assert counted(saved) == 0
    assert_counts_are_fresh()


def test_corrected_hours_are_counted_again(world, facilitator):
    saved = record(world, hours=100)
    elsewhere = OperationFactory(name="Médiathèque")
    update_hours(record=saved, hours=80, worked_on=elsewhere, by=facilitator)
    assert counted(saved) == 0
    assert_counts_are_fresh()
    update_hours(record=saved, hours=80, by=facilitator)
    assert counted(saved) == 80
    assert saved.counted_hours == 80
    assert_counts_are_fresh()


# --- The import ----------------------------------------------------------------------------------------


def csv_bytes(rows) -> bytes:
    lines = [";".join(c.header for c in IMPORT_COLUMNS)] + [";".join(str(v) for v in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def subcontracting_placement(world):
    ei = OrganizationFactory(name="Tremplin Bâtiment", kind=OrganizationKind.SIAE, siae_type=SiaeType.EI)
    return PlacementFactory(
        person=world.placement.person,
        lot=world.lot,
        mode=FulfilmentMode.SUBCONTRACTING_EI,
        contract=HireContract.CDDI,
        employer=ei,
        started_on=datetime.date(2024, 2, 1),
    )


def test_imported_records_are_counted(world, facilitator):
    convention(world.operation, facilitator, subcontracting_hourly_rate=D("30.00"))
    subcontracted = subcontracting_placement(world)
    content = csv_bytes(
        [
            (world.placement.pk, "", "", "2024-03", "151,67", "", ""),
            (world.placement.pk, "", "", "2024-04", "140", "", ""),
            (subcontracted.pk, "", "", "2024-03", "", "", "3000"),  # 3,000 € ÷ 30 €/h
        ]
    )
    report = import_hours(content, by=facilitator, filename="releve.csv")
    assert report.ok and report.created == 3, report.lines()
    figures = HoursRecord.objects.order_by("placement_id", "month").values_list("placement_id", "counted_hours")
    assert list(figures) == [
        (world.placement.pk, D("151.67")),
        (world.placement.pk, D("140.00")),
        (subcontracted.pk, D("100.00")),
    ]
    assert_counts_are_fresh()
    # The history still copies every record (without counted_hours, left out of it).
    assert HoursRecord.history.filter(history_type="+", history_user=facilitator).count() == 3
    assert "counted_hours" not in {f.name for f in HoursRecord.history.model._meta.fields}


def test_replaced_records_are_counted_again(world, facilitator):
    kept = record(world, month=MARCH, hours=100)
    replaced = record(world, month=APRIL, hours=100)
    content = csv_bytes(
        [
            (world.placement.pk, "", "", "2024-04", "35,5", "", ""),
            (world.placement.pk, "", "", "2024-05", "70", "", ""),
        ]
    )
    report = import_hours(content, by=facilitator, filename="releve.csv", replace=True)
    assert (report.created, report.updated) == (1, 1), report.lines()
    assert counted(replaced) == D("35.50")
    assert counted(kept) == 100
    assert HoursRecord.objects.get(month=datetime.date(2024, 5, 1)).counted_hours == 70
    assert_counts_are_fresh()


def test_an_import_counts_the_records_of_many_placements_in_blocks(world, facilitator):
    # More placements than one UPDATE takes on SQLite (999 parameters): the blocks join up.
    placements = [PlacementFactory(person=world.placement.person, lot=world.lot) for _ in range(905)]
    content = csv_bytes([(p.pk, "", "", "2024-03", "35", "", "") for p in placements])
    report = import_hours(content, by=facilitator, filename="releve.csv")
    assert report.ok and report.created == 905, report.lines()
    assert not HoursRecord.objects.exclude(counted_hours=35).exists()
    assert_counts_are_fresh()


# --- Counting conventions ------------------------------------------------------------------------------


def test_a_convention_leaving_out_a_mode_counts_its_hours_zero(world, facilitator):
    saved = record(world, hours=100)  # a direct hire
    assert counted(saved) == 100
    convention(world.operation, facilitator, count_direct_hire=False)
    assert counted(saved) == 0
    assert_counts_are_fresh()
    convention(world.operation, facilitator, count_direct_hire=True)
    assert counted(saved) == 100
    assert_counts_are_fresh()


def test_a_convention_leaving_out_alternance_training_hours(world, facilitator):
    apprentice = PlacementFactory(
        person=world.placement.person,
        lot=world.lot,
        contract=HireContract.APPRENTICESHIP,
        started_on=datetime.date(2024, 2, 1),
    )
    saved = record(world, placement=apprentice, hours=100, training_hours=20)
    assert counted(saved) == 120  # training hours of alternance count by default
    convention(world.operation, facilitator, count_alternance_training=False)
    assert counted(saved) == 100
    assert_counts_are_fresh()


def test_a_convention_converting_subcontracting_amounts(world, facilitator):
    saved = record(world, placement=subcontracting_placement(world), hours=0, subcontracting_amount="3000")
    assert counted(saved) == 0  # no rate: an amount is no hours
    convention(world.operation, facilitator, subcontracting_hourly_rate=D("30.00"))
    assert counted(saved) == 100
    convention(world.operation, facilitator, subcontracting_hourly_rate=D("40.00"))
    assert counted(saved) == 75
    assert_counts_are_fresh()


# --- Globalisation agreements ------------------------------------------------------------------------


def agreement(by, operations, *, started_on=datetime.date(2024, 1, 1), ended_on=None, existing=None):
    return services.save_globalisation(
        by=by,
        name="Accord du quartier des Grésilles",
        operations=operations,
        started_on=started_on,
        ended_on=ended_on,
        provenance="Convention signée le 12/12/2023",
        agreement=existing,
    )


def test_an_agreement_makes_hours_worked_elsewhere_count_while_in_force(world, facilitator):
    library = OperationFactory(name="Médiathèque")
    saved = record(world, month=MARCH, hours=100, worked_on=library)
    assert counted(saved) == 0

    pooled = agreement(facilitator, [world.operation, library])
    assert counted(saved) == 100
    assert_counts_are_fresh()

    agreement(facilitator, [world.operation, library], started_on=APRIL, existing=pooled)  # not yet in March
    assert counted(saved) == 0
    agreement(facilitator, [world.operation, library], existing=pooled)
    assert counted(saved) == 100
    agreement(facilitator, [world.operation, library], ended_on=datetime.date(2024, 2, 29), existing=pooled)
    assert counted(saved) == 0  # ended before March
    assert_counts_are_fresh()


def test_operations_leaving_an_agreement_are_counted_again(world, facilitator):
    library, pool, gym = (OperationFactory(name=name) for name in ("Médiathèque", "Piscine", "Gymnase"))
    saved = record(world, hours=100, worked_on=library)
    pooled = agreement(facilitator, [world.operation, library])
    assert counted(saved) == 100
    # Neither operation of the record is covered now: only the operations it had tell which records to count.
    agreement(facilitator, [pool, gym], existing=pooled)
    assert counted(saved) == 0
    assert_counts_are_fresh()


# --- Lots ------------------------------------------------------------------------------------------------


def test_a_lot_turned_into_an_insertion_market_counts_no_hours(world, facilitator):
    saved = record(world, hours=100)
    services.update_lot(lot=world.lot, legal_basis=LegalBasis.INSERTION_MARKET, by=facilitator)
    assert counted(saved) == 0
    assert_counts_are_fresh()
    services.update_lot(lot=world.lot, legal_basis=LegalBasis.EXECUTION_CONDITION, by=facilitator)
    assert counted(saved) == 100
    assert_counts_are_fresh()


def test_other_changes_of_a_lot_or_a_placement_keep_the_figures(world, facilitator):
    saved = record(world, hours=100)
    services.update_lot(lot=world.lot, name="Gros œuvre et VRD", amount=D("1200000"), by=facilitator)
    services.end_placement(placement=world.placement, ended_on=datetime.date(2024, 6, 30), by=facilitator)
    assert counted(saved) == 100
    assert_counts_are_fresh()


# --- The admin -------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def convention_form(operation, **changes):
    data = {
        "operation": operation.pk,
        "provenance": "Guide AVE",
        "count_direct_hire": "on",
        "count_staff_provision": "on",
        "count_subcontracting": "on",
        "count_alternance_training": "on",
        "subcontracting_hourly_rate": "",
        "cdi_equivalence_hours": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_convention_saved_in_the_admin_recounts_its_operation(world, facilitator, admin_client):
    saved = record(world, hours=100)
    rules = convention(world.operation, facilitator)
    url = reverse("admin:clauses_countingconvention_change", args=[rules.pk])
    response = admin_client.post(url, convention_form(world.operation, count_direct_hire=None))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not CountingConvention.objects.get().count_direct_hire
    assert counted(saved) == 0
    assert_counts_are_fresh()

    response = admin_client.post(reverse("admin:clauses_countingconvention_delete", args=[rules.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert counted(saved) == 100  # the default convention counts every mode
    assert_counts_are_fresh()


def test_a_convention_added_in_the_admin_recounts_its_operation(world, admin_client):
    saved = record(world, hours=100)
    response = admin_client.post(
        reverse("admin:clauses_countingconvention_add"), convention_form(world.operation, count_direct_hire=None)
    )
    assert response.status_code == 302
    assert counted(saved) == 0
    assert_counts_are_fresh()


def test_an_agreement_saved_in_the_admin_recounts_the_operations_it_covered_and_covers(world, admin_client):
    library, pool = OperationFactory(name="Médiathèque"), OperationFactory(name="Piscine")
    saved = record(world, hours=100, worked_on=library)
    form = {"name": "Accord des Grésilles", "started_on": "2024-01-01", "ended_on": "", "provenance": "Délibération"}
    response = admin_client.post(
        reverse("admin:clauses_globalisationagreement_add"),
        {**form, "operations": [world.operation.pk, library.pk]},
    )
    assert response.status_code == 302
    assert counted(saved) == 100
    pooled = GlobalisationAgreement.objects.get()
    response = admin_client.post(
        reverse("admin:clauses_globalisationagreement_change", args=[pooled.pk]),
        {**form, "operations": [pool.pk, OperationFactory().pk]},
    )
    assert response.status_code == 302
    assert counted(saved) == 0
    assert_counts_are_fresh()


def test_an_agreement_reverted_or_deleted_in_the_admin_recounts_its_operations(world, facilitator, admin_client):
    library = OperationFactory(name="Médiathèque")
    saved = record(world, hours=100, worked_on=library)
    pooled = agreement(facilitator, [world.operation, library], started_on=APRIL)  # not yet in force in March
    first = pooled.history.get()
    agreement(facilitator, [world.operation, library], existing=pooled)
    assert counted(saved) == 100
    # The history's revert view saves the agreement, then its operations (form.save_m2m, not save_related).
    url = reverse("admin:clauses_globalisationagreement_simple_history", args=[pooled.pk, first.history_id])
    form = {"name": pooled.name, "started_on": "2024-04-01", "ended_on": "", "provenance": pooled.provenance}
    response = admin_client.post(url, {**form, "operations": [world.operation.pk, library.pk]})
    assert response.status_code == 302
    assert GlobalisationAgreement.objects.get().started_on == APRIL
    assert counted(saved) == 0
    assert_counts_are_fresh()

    agreement(facilitator, [world.operation, library], existing=pooled)
    assert counted(saved) == 100
    url = reverse("admin:clauses_globalisationagreement_delete", args=[pooled.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert not GlobalisationAgreement.objects.exists()
    assert counted(saved) == 0
    assert_counts_are_fresh()


def test_a_lot_saved_in_the_admin_recounts_its_records(world, admin_client):
    saved = record(world, hours=100)
    lot = world.lot
    data = {
        "market": lot.market_id,
        "number": lot.number,
        "name": lot.name,
        "legal_basis": LegalBasis.INSERTION_MARKET,
        "amount": "1000000.00",
        "attributaire": lot.attributaire_id,
        "started_on": "2024-01-01",
        "ended_on": "2025-12-31",
        "labour_share": "",
        "insertion_rate": "",
        "hourly_cost": "",
        "planned_hours": "0",
        "planned_hours_reason": "",
    }
    response = admin_client.post(reverse("admin:clauses_lot_change", args=[lot.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert counted(saved) == 0
    assert_counts_are_fresh()


def market_form(market, lot, **lot_changes):
    """The market's change form in the admin, with its lot inline."""
    inline = {
        "id": lot.pk,
        "market": market.pk,
        "number": lot.number,
        "name": lot.name,
        "legal_basis": lot.legal_basis,
        "amount": "1000000.00",
        "planned_hours": "833.33",
        "started_on": "2024-01-01",
        "ended_on": "2025-12-31",
    } | lot_changes
    return {
        "operation": market.operation_id,
        "reference": market.reference,
        "name": market.name,
        "lots-TOTAL_FORMS": "1",
        "lots-INITIAL_FORMS": "1",
        "lots-MIN_NUM_FORMS": "0",
        "lots-MAX_NUM_FORMS": "1000",
        **{f"lots-0-{key}": value for key, value in inline.items()},
    }


def test_a_market_moved_to_another_operation_in_the_admin_recounts_its_lots(world, facilitator, admin_client):
    saved = record(world, hours=100)
    strict = OperationFactory(name="Piscine")
    convention(strict, facilitator, count_direct_hire=False)
    market = world.lot.market
    data = market_form(market, world.lot) | {"operation": strict.pk}
    response = admin_client.post(reverse("admin:clauses_market_change", args=[market.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert counted(saved) == 0  # the convention of its new operation leaves direct hires out
    assert_counts_are_fresh()


def test_a_legal_basis_edited_in_the_market_admin_recounts_the_lot(world, admin_client):
    saved = record(world, hours=100)
    market = world.lot.market
    data = market_form(market, world.lot, legal_basis=LegalBasis.INSERTION_MARKET, planned_hours="0")
    response = admin_client.post(reverse("admin:clauses_market_change", args=[market.pk]), data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    assert counted(saved) == 0
    assert_counts_are_fresh()


@pytest.mark.django_db(transaction=True)
def test_a_count_holds_its_operation_until_the_commit_on_postgresql():
    """A convention changed while hours of its operation are being recorded: the later of the two refreshes
    must wait for the earlier commit. On PostgreSQL the operation stays locked until the end of the
    transaction (another transaction cannot change it meanwhile); SQLite runs one writing transaction at a
    time and is sent no lock."""
    load_all()  # a transactional test starts from an empty database
    world = hours_world()
    operation = world.placement.lot.market.operation
    with transaction.atomic(), CaptureQueriesContext(connection) as context:
        record(world)
        locks = [query["sql"] for query in context.captured_queries if "FOR NO KEY UPDATE" in query["sql"]]
        if connection.vendor != "postgresql":
            assert not locks
            return
        assert len(locks) == 1 and '"clauses_operation"' in locks[0]
        other = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with other.cursor() as cursor:
                cursor.execute("SET lock_timeout = '300ms'")
                with pytest.raises(OperationalError, match="lock timeout"):
                    cursor.execute("UPDATE clauses_operation SET name = name WHERE id = %s", [operation.pk])
        finally:
            other.close()


def test_recounting_nothing_is_no_error(world):
    # A market without lots saved in the admin, an agreement without operations yet…
    assert recount() == 0
    assert recount(lots=world.lot.market.lots.none(), operations=[]) == 0


# --- The command ---------------------------------------------------------------------------------------


def test_the_command_finds_and_fixes_stale_figures(world):
    saved = record(world, hours=100)
    other = record(world, month=APRIL, hours=50)
    call_command("clauses_recount", "--check", stdout=io.StringIO())  # fresh: no error

    HoursRecord.objects.filter(pk=saved.pk).update(counted_hours=12)  # e.g. a restore, or a rule changed in code
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("clauses_recount", "--check", stdout=out)
    assert excinfo.value.returncode == 1
    assert "1 relevé(s) d'heures sur 2" in str(excinfo.value)
    assert f"relevé n° {saved.pk} : 12,00 h enregistrées, 100,00 h selon le calcul" in out.getvalue()
    assert counted(saved) == 12  # --check writes nothing

    out = io.StringIO()
    call_command("clauses_recount", stdout=out)
    assert out.getvalue() == "2 relevé(s) d'heures recalculé(s) : 1 modifié(s).\n"
    assert (counted(saved), counted(other)) == (100, 50)
    assert_counts_are_fresh()
    call_command("clauses_recount", "--check", stdout=io.StringIO())


def test_a_dump_and_reload_of_the_base_leaves_the_counted_hours_fresh(world, tmp_path):
    """150.01 + 1.01 is 151.01999999999998 in floating point, as SQLite adds decimals; a dump writes 151.02."""
    placement = PlacementFactory(lot=world.lot, employer=world.company, contract=HireContract.PROFESSIONALISATION)
    saved = HoursRecordFactory(placement=placement, hours=Decimal("150.01"), training_hours=Decimal("1.01"))
    assert counted(saved) == Decimal("151.02")
    dump = tmp_path / "heures.json"
    call_command("dumpdata", "clauses.hoursrecord", output=str(dump), stdout=io.StringIO())
    HoursRecord.objects.all().delete()
    call_command("loaddata", str(dump), stdout=io.StringIO())
    call_command("clauses_recount", "--check", stdout=io.StringIO())  # no CommandError
    assert counted(saved) == Decimal("151.02")
