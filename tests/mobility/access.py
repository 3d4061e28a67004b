"""What the access test (tests/test_access.py) must know of the Plateforme mobilité.

The world's person was prescribed to a mobility platform by France Travail (the world's
"prescriber_who_referred"): a diagnostic with a step, a late rental of a scooter, a licence aid and a
Bou-Jeu session. The platform is not the structure of the world's mobility adviser, who must therefore
see the fleet but never the person. Rules checked here (docs/permissions.md, « Plateforme mobilité »):
- the fleet, the calendar, the late list and the workshops are staff-only (advisers, coordination,
  assistance, direction): 404 for everyone else;
- a prescriber reads the prescriptions of their structure; a user who sees the person through another
  structure (her PLIE référent, her clauses facilitator) gets 403 on another prescriber's file;
- coordination, assistance and direction read, never write (403);
- roles without mobility access (buyers, companies, funders, accounts without structure) get 404;
- the forms' search of people (mobility:search_people) is for who writes them (prescribers, advisers): it
  finds the world's person, by her name, for those who see her and for nobody else, and logs the read.
"""

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.factories import OrganizationFactory
from tests.mobility.factories import (
    DiagnosticFactory,
    LicenceAidFactory,
    PrescriptionFactory,
    RegistrationFactory,
    RentalFactory,
    TariffFactory,
    VehicleFactory,
)
from tremplin.mobility.enums import DepositStatus, RentalStatus
from tremplin.mobility.models import ActionStep, Maintenance
from tremplin.people.models import PersonAccess
from tremplin.structures.enums import OrganizationKind

NAMESPACES = {"mobility"}
PERSON_PARAMETERS = ("<int:prescription_id>", "<int:rental_id>", "<int:aid_id>")
KNOWN_ROUTES = {"mobility:search_people"}

STAFF = {"coordinator", "assistant", "manager", "mobility_adviser"}
MANAGERS = {"mobility_adviser"}
# Who may open the world's prescription: the structure that prescribed it and the readers of everything.
OWN_FILE = {"coordinator", "assistant", "manager", "prescriber_who_referred"}
NO_ACCESS = {"buyer", "buyer_own", "company", "company_own", "funder", "no_membership"}
STAFF_ROUTES = {
    "mobility:home",
    "mobility:late_list",
    "mobility:fleet",
    "mobility:calendar",
    "mobility:vehicle_create",
    "mobility:vehicle_detail",
    "mobility:vehicle_edit",
    "mobility:maintenance_add",
    "mobility:maintenance_resolve",
    "mobility:workshop_list",
    "mobility:workshop_create",
    "mobility:workshop_detail",
    "mobility:workshop_register",
    "mobility:workshop_attendance",
    "mobility:workshop_sheet",
}
READ_ROUTES = {
    "mobility:home",
    "mobility:prescription_list",
    "mobility:prescription_detail",
    "mobility:rental_detail",
    "mobility:rental_contract",
    "mobility:rental_receipt",
    "mobility:late_list",
    "mobility:fleet",
    "mobility:calendar",
    "mobility:vehicle_detail",
    "mobility:licence_aid_list",
    "mobility:workshop_list",
    "mobility:workshop_detail",
    "mobility:workshop_sheet",
}
FILE_ROUTES = {
    "mobility:prescription_detail",
    "mobility:rental_detail",
    "mobility:rental_contract",
    "mobility:rental_receipt",
}


def build(world):
    today = timezone.localdate()
    person = world["person"]
    platform = OrganizationFactory(name="Plateforme mobilité de Dijon", kind=OrganizationKind.LEAD)
    prescription = PrescriptionFactory(
        person=person,
        platform=platform,
        prescriber=world["france_travail"],
        prescribed_by=world["users"]["prescriber_who_referred"],
        prescribed_on=today - datetime.timedelta(days=60),
    )
    diagnostic = DiagnosticFactory(prescription=prescription, held_on=today - datetime.timedelta(days=50))
    step = ActionStep.objects.create(diagnostic=diagnostic, kind="rental", planned_on=today)
    vehicle = VehicleFactory()
    rental = RentalFactory(
        prescription=prescription,
        vehicle=vehicle,
        tariff=TariffFactory(vehicle_kind=vehicle.kind),
        starts_on=today - datetime.timedelta(days=40),
        ends_on=today - datetime.timedelta(days=3),
        status=RentalStatus.ONGOING,
        deposit_status=DepositStatus.RECEIVED,
        checked_out_on=today - datetime.timedelta(days=40),
        checkout_mileage=0,
        checkout_energy=100,
    )
    maintenance = Maintenance.objects.create(vehicle=vehicle, kind="incident", description="Rétroviseur cassé")
    aid = LicenceAidFactory(prescription=prescription)
    registration = RegistrationFactory(person=person)
    return {
        "prescription_id": prescription.pk,
        "rental_id": rental.pk,
        "aid_id": aid.pk,
        "action_step_id": step.pk,
        "vehicle_id": vehicle.pk,
        "maintenance_id": maintenance.pk,
        "session_id": registration.session_id,
    }


def check(persona, name, method, response, where, world, route):
    status = response.status_code
    if name == "mobility:search_people" and method == "get" and status == 200:
        _check_search(persona, route, where, world)
    if persona in NO_ACCESS:
        assert status in (404, 405), f"No mobility data for this role: {where}"
        return
    if name in STAFF_ROUTES and persona not in STAFF:
        assert status in (404, 405), f"The fleet and workshops are staff-only: {where}"
        return
    if name not in READ_ROUTES and persona in STAFF - MANAGERS:
        assert status in (403, 404, 405), f"Coordination and direction read, never write: {where}"
    if method == "get" and name in READ_ROUTES and persona in STAFF and name not in FILE_ROUTES:
        assert status == 200, f"The platform's staff reads: {where}"
    if method == "get" and name in FILE_ROUTES:
        if persona in OWN_FILE:
            assert status == 200, f"Its prescriber and the coordination read the file: {where}"
        elif persona in ("referent_same_structure", "facilitator_clauses"):
            assert status == 403, f"Another structure's prescription: {where}"
        else:
            assert status == 404, f"Out of scope: {where}"


def _check_search(persona, route, where, world):
    """The walk's request typed nothing (nobody is named); typing her name finds her only within the scope."""
    person = world["person"]
    user = world["users"][persona]
    logged = PersonAccess.objects.filter(user=user, person=person).count()
    typed = route.client.get(reverse("mobility:search_people"), {"champ": "person", "person": person.last_name})
    found = str(person.public_id) in typed.content.decode()
    assert found == world["personas"][persona], f"The search of people follows the scope: {where}"
    if found:
        assert PersonAccess.objects.filter(user=user, person=person).count() > logged, f"Read not logged: {where}"
