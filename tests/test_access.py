"""Walk every URL of the app as every role: nothing outside a user's scope may leak.

Each route of our apps is resolved with the ids of one person (followed by the PLIE operator
"IRFA", prescribed by "France Travail Dijon"), of her PLIE orientation, pathway and records, and of
one structure, then requested by each persona:
- a person's pages, and her orientation's and pathway's, answer 404 to everyone whose scope excludes
  the person (never 403);
- no page, list or export shows that person's name to those users;
- external users (buyer, company, funder) get no personal data and no structure directory;
- roles without PLIE data (facilitator, mobility, projects, external) get 404 on every PLIE page;
- PLIE users who may only read (direction, prescriber) get 403 on every PLIE write, and only the
  cellule (coordination, assistance) reaches the cellule's pages and decisions;
- interview notes never leave the author's structure;
- clauses d'insertion: the team (facilitation, coordination, assistance, direction) manages; référents
  and prescribers read their people's candidacies and placements, nothing else; a buyer reads only its
  operations and a company only its lots, never a person's name (a company declares the hours of its
  own employees); a buyer of another operation or a company of another lot gets 404 as for an unknown id;
  readers get 403 on every clauses write; other roles get 404 on every clauses page;
- anonymous visitors are sent to the login page.
A new view that forgets its chokepoint fails here. This test grows with every module.
"""

import datetime
import importlib
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tests.clauses.factories import (
    CandidateFactory,
    GlobalisationAgreementFactory,
    HoursRecordFactory,
    LotFactory,
    MarketFactory,
    OperationFactory,
    PlacementFactory,
)
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, SituationFactFactory, user_with_role
from tests.plie.factories import (
    BusinessCreationFactory,
    ContractFactory,
    OrientationFactory,
    PathwayFactory,
    StepFactory,
)
from tremplin.accounts.enums import Role
from tremplin.clauses import urls_hours, urls_reports
from tremplin.clauses.enums import CandidateStatus, EligiblePublic
from tremplin.core.modules import modules
from tremplin.people.enums import FactKind, Programme
from tremplin.people.models import AttachmentRequest, PersonAccess
from tremplin.plie.enums import AppointmentOutcome
from tremplin.plie.models import Interview, Orientation, Pathway
from tremplin.structures.enums import OrganizationKind

# Each module registered in tremplin.core.modules teaches this test its URLs through its access module
# (`tests/<module>/access.py`: NAMESPACES, PERSON_PARAMETERS, build(world), optionally check(...)).
MODULE_ACCESS = [importlib.import_module(path) for path in modules.access_tests()]
OUR_NAMESPACES = {"people", "structures", "reports", "accounts", "plie", "clauses", None}
OUR_NAMESPACES |= {namespace for access in MODULE_ACCESS for namespace in access.NAMESPACES}
PUBLIC_ROUTES = {"accounts:login"}
UNIQUE_NAME = "Quintal-Zéphyrin"
SECRET_NOTE = "Confidence-Ératostène"
# URL parameters that designate the person or one of her records.
PERSON_PARAMETERS = (
    "<uuid:public_id>",
    "<int:pathway_id>",
    "<int:orientation_id>",
    "<int:candidate_id>",
    "<int:placement_id>",
    "<int:record_id>",
    "<int:attachment_id>",
) + tuple(parameter for access in MODULE_ACCESS for parameter in access.PERSON_PARAMETERS)
# URL parameters that designate the clauses operation (or its market, lot, globalisation agreement).
OPERATION_PARAMETERS = ("<int:operation_id>", "<int:market_id>", "<int:lot_id>", "<int:agreement_id>")

# Who may see the person (the rules of docs/permissions.md, written out independently of the code).
PERSONAS = {
    "coordinator": True,
    "assistant": True,
    "manager": True,
    "referent_same_structure": True,
    "referent_other_structure": False,
    "facilitator": False,  # another structure's facilitator: the person has no clauses follow-up there
    "facilitator_clauses": True,  # her structure follows the person in the clauses service
    "mobility_adviser": False,
    "project_officer": False,
    "prescriber_who_referred": True,
    "prescriber_other": False,
    "buyer": False,  # the buyer of another operation
    "buyer_own": False,  # the buyer of the person's operation: reads it, never her name
    "company": False,  # the attributaire of another lot of the person's operation
    "company_own": False,  # the attributaire and employer: reads its lot, declares its employee's hours
    "funder": False,
    "no_membership": False,
}
EXTERNAL = {"buyer", "buyer_own", "company", "company_own", "funder", "no_membership"}
# PLIE roles (docs/permissions.md): the others get 404 on every PLIE page.
PLIE_PERSONAS = {
    "coordinator",
    "assistant",
    "manager",
    "referent_same_structure",
    "referent_other_structure",
    "prescriber_who_referred",
    "prescriber_other",
}
# PLIE users who only read: the direction and prescribers.
PLIE_READERS = {"manager", "prescriber_who_referred", "prescriber_other"}
CELL = {"coordinator", "assistant"}
CELL_ROUTES = {
    "plie:cell",
    "plie:entry_validate",
    "plie:entry_refuse",
    "plie:exit_validate",
    "plie:exit_reject",
    "plie:contract_validate_aci",
    "plie:import",
    "plie:import_template",
}
PLIE_READ_ROUTES = {"plie:workspace", "plie:orientation_list", "plie:outreach_list", "plie:pathway_detail"}
PLIE_READ_ROUTES |= {"plie:orientation_detail"}

# Clauses d'insertion (docs/permissions.md): who manages, who reads what.
CLAUSES_STAFF = {"coordinator", "assistant", "manager", "facilitator", "facilitator_clauses"}
CLAUSES_PEOPLE_READERS = {
    "referent_same_structure",
    "referent_other_structure",
    "prescriber_who_referred",
    "prescriber_other",
}
CLAUSES_EXTERNAL_READERS = {"buyer", "buyer_own", "company", "company_own"}
# Who sees the world's operation, market, lot and globalisation agreement. "company" holds another lot
# of the same operation: it reads the operation, never the person's lot.
SEES_OPERATION = CLAUSES_STAFF | {"buyer_own", "company_own", "company"}
SEES = {
    "<int:operation_id>": SEES_OPERATION,
    "<int:market_id>": SEES_OPERATION,
    "<int:agreement_id>": SEES_OPERATION,
    "<int:lot_id>": CLAUSES_STAFF | {"buyer_own", "company_own"},
}
HOURS_ROUTES = {f"clauses:{route.name}" for route in urls_hours.urlpatterns}
REPORT_ROUTES = {f"clauses:{route.name}" for route in urls_reports.urlpatterns}
# Pages of the operations and people part that only read; every other one of its routes writes.
CLAUSES_READ_ROUTES = {
    "clauses:operation_list",
    "clauses:operation_detail",
    "clauses:lot_detail",
    "clauses:candidate_list",
    "clauses:pool",
    "clauses:candidate_detail",
    "clauses:candidate_cv",
    "clauses:placement_detail",
    "clauses:evaluation_list",
}
CLAUSES_STAFF_READ_ROUTES = {"clauses:progress", "clauses:globalisation_list"}
# Prescribers orient the people they enter (issue 9): these forms open for them, read-only otherwise.
PRESCRIBER_REFERRAL_ROUTES = {"plie:orientation_start", "plie:orientation_propose", "clauses:referral_create"}
CLAUSES_PEOPLE_ROUTES = {
    "clauses:candidate_list",
    "clauses:pool",
    "clauses:evaluation_list",
    "clauses:referral_create",
}


def iter_routes(resolvers=None, namespace=None, prefix=""):
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            yield from iter_routes(entry.url_patterns, entry.namespace or namespace, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern)


def all_routes():
    return sorted(
        {(name, pattern) for name, pattern in iter_routes() if name.split(":")[0] in OUR_NAMESPACES or ":" not in name}
    )


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    irfa = OrganizationFactory(name="IRFA")
    france_travail = OrganizationFactory(name="France Travail Dijon", kind=OrganizationKind.PRESCRIBER)
    person = PersonFactory(first_name="Ondine", last_name=UNIQUE_NAME, registered_on=datetime.date(2023, 1, 5))
    FollowUpFactory(person=person, organization=irfa, prescriber=france_travail, programme=Programme.PLIE)
    fact = SituationFactFactory(person=person, kind=FactKind.RQTH)
    orientation = OrientationFactory(
        person=person,
        prescriber=france_travail,
        first_appointment_on=datetime.date(2023, 1, 12),
        appointment_outcome=AppointmentOutcome.ABSENT,
    )
    pathway = PathwayFactory(person=person, orientation=orientation, proposed_organization=irfa)
    contract = ContractFactory(pathway=pathway)
    step = StepFactory(pathway=pathway)
    BusinessCreationFactory(pathway=pathway)
    users = {
        "coordinator": user_with_role(Role.COORDINATOR),
        "assistant": user_with_role(Role.ASSISTANT),
        "manager": user_with_role(Role.MANAGER),
        "referent_same_structure": user_with_role(Role.REFERENT, organization=irfa),
        "referent_other_structure": user_with_role(Role.REFERENT),
        "facilitator": user_with_role(Role.FACILITATOR),
        "facilitator_clauses": user_with_role(Role.FACILITATOR),
        "mobility_adviser": user_with_role(Role.MOBILITY_ADVISER),
        "project_officer": user_with_role(Role.PROJECT_OFFICER),
        "prescriber_who_referred": user_with_role(Role.PRESCRIBER, organization=france_travail),
        "prescriber_other": user_with_role(Role.PRESCRIBER),
        "buyer": user_with_role(Role.BUYER),
        "buyer_own": user_with_role(Role.BUYER, organization=OrganizationFactory(kind=OrganizationKind.BUYER)),
        "company": user_with_role(Role.COMPANY, organization=OrganizationFactory(company=True)),
        "company_own": user_with_role(Role.COMPANY, organization=OrganizationFactory(company=True)),
        "funder": user_with_role(Role.FUNDER),
    }
    from tests.factories import UserFactory

    users["no_membership"] = UserFactory()
    # As the services record them: forms posted during the walk then really write.
    Orientation.objects.filter(pk=orientation.pk).update(created_by=users["referent_same_structure"])
    Pathway.objects.filter(pk=pathway.pk).update(entry_proposed_by=users["referent_same_structure"])
    Interview.objects.create(
        pathway=pathway,
        held_on=datetime.date(2023, 3, 1),
        author=users["referent_same_structure"],
        organization=irfa,
        notes=SECRET_NOTE,
    )
    clauses = clauses_world(person, france_travail, users)
    # Someone registered elsewhere looked like her: a pending « demande de rattachement » about her.
    attachment = AttachmentRequest.objects.create(person=PersonFactory(), target=person, reasons="même téléphone")
    world = {
        **clauses,
        "person": person,
        "fact": fact,
        "organization": irfa,
        "orientation": orientation,
        "pathway": pathway,
        "contract": contract,
        "step": step,
        "users": users,
        "france_travail": france_travail,
        "attachment": attachment,
    }
    world["module_values"] = {}
    for access in MODULE_ACCESS:
        world["module_values"].update(access.build(world))
    return world


def clauses_world(person, france_travail, users):
    """The person referred to the clauses service and placed on a lot of the buyer's operation."""
    today = timezone.localdate()
    FollowUpFactory(
        person=person,
        organization=users["facilitator_clauses"].primary_membership.organization,
        programme=Programme.CLAUSES,
        prescriber=france_travail,
        referent=users["facilitator_clauses"],
    )
    operation = OperationFactory(
        name="Résidence des Tanneries",
        buyer=users["buyer_own"].primary_membership.organization,
        started_on=today - datetime.timedelta(days=200),
        ended_on=today + datetime.timedelta(days=200),
        facilitator=users["facilitator_clauses"],
    )
    market = MarketFactory(operation=operation)
    company = users["company_own"].primary_membership.organization
    # Another company holds another lot of the operation.
    LotFactory(
        market=MarketFactory(operation=operation), attributaire=users["company"].primary_membership.organization
    )
    lot = LotFactory(
        market=market,
        attributaire=company,
        started_on=today - datetime.timedelta(days=100),
        ended_on=today + datetime.timedelta(days=100),
    )
    candidate = CandidateFactory(
        person=person,
        prescriber=france_travail,
        prescriber_email="conseiller@example.org",
        referred_on=today - datetime.timedelta(days=90),
        interview_on=today - datetime.timedelta(days=80),
        eligible_public=EligiblePublic.RQTH,
        proof_seen="Notification MDPH",
        proof_date=today - datetime.timedelta(days=85),
        status=CandidateStatus.VALIDATED,
        decision_reason="Validée.",
        cv=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 cv"),
    )
    placement = PlacementFactory(
        person=person,
        candidate=candidate,
        lot=lot,
        employer=company,
        started_on=today - datetime.timedelta(days=60),
        ended_on=today + datetime.timedelta(days=60),
    )
    first_day = today.replace(day=1)
    record = HoursRecordFactory(placement=placement, month=(first_day - datetime.timedelta(days=1)).replace(day=1))
    agreement = GlobalisationAgreementFactory(operations=[operation, OperationFactory()], provenance="Accord de test")
    return {
        "operation": operation,
        "market": market,
        "lot": lot,
        "candidate": candidate,
        "placement": placement,
        "record": record,
        "agreement": agreement,
    }


def url_for(pattern, world, *, unknown=False):
    """The route's URL for the world's records, or for ids that exist nowhere (`unknown`)."""
    values = {
        "public_id": str(uuid.uuid4() if unknown else world["person"].public_id),
        "pk": str(world["organization"].pk),
        "fact_id": str(world["fact"].pk),
        "orientation_id": str(999_999 if unknown else world["orientation"].pk),
        "pathway_id": str(999_999 if unknown else world["pathway"].pk),
        "contract_id": str(999_999 if unknown else world["contract"].pk),
        "step_id": str(999_999 if unknown else world["step"].pk),
        "moment": "entry",
        "operation_id": str(999_999 if unknown else world["operation"].pk),
        "market_id": str(999_999 if unknown else world["market"].pk),
        "lot_id": str(999_999 if unknown else world["lot"].pk),
        "agreement_id": str(999_999 if unknown else world["agreement"].pk),
        "candidate_id": str(999_999 if unknown else world["candidate"].pk),
        "placement_id": str(999_999 if unknown else world["placement"].pk),
        "record_id": str(999_999 if unknown else world["record"].pk),
        "attachment_id": str(999_999 if unknown else world["attachment"].pk),
    }
    for key, value in world["module_values"].items():
        values[key] = str(uuid.uuid4() if unknown and _is_uuid(value) else 999_999 if unknown else value)
    url = "/" + pattern
    for key, value in values.items():
        for converter in ("uuid", "int", "str", "slug"):
            url = url.replace(f"<{converter}:{key}>", value)
    assert "<" not in url, f"Route {pattern} takes a parameter this test does not know: teach it."
    return url


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def test_every_route_is_known_to_this_test():
    names = {name for name, _ in all_routes()}
    assert {"people:detail", "people:list", "structures:detail", "reports:figures", "home"} <= names
    assert {"plie:workspace", "plie:pathway_detail", "plie:orientation_detail", "plie:cell"} <= names
    assert {"clauses:operation_detail", "clauses:lot_sizing", "clauses:candidate_detail", "clauses:pool"} <= names


def body_of(response) -> str:
    """The text of a page, or of a downloaded file.

    Consuming `streaming_content` closes the response with the test client's guard; closing it
    again would fire request_finished and close the database connection (fatal on PostgreSQL)."""
    if response.streaming:
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode(errors="replace")


def sees_person_on(persona, name) -> bool:
    # A company declares the hours of its own employees: it reads their names on the hours pages only.
    return PERSONAS[persona] or (persona == "company_own" and name in HOURS_ROUTES)


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_nothing_outside_scope_leaks(client, world, persona):
    user = world["users"][persona]
    client.force_login(user)
    for name, pattern in all_routes():
        if name in PUBLIC_ROUTES or name == "accounts:logout":
            continue
        sees_person = sees_person_on(persona, name)
        url = url_for(pattern, world)
        takes_person = any(parameter in pattern for parameter in PERSON_PARAMETERS)
        no_plie = name.startswith("plie:") and persona not in PLIE_PERSONAS
        for method in ("get", "post"):
            logged = PersonAccess.objects.filter(user=user, person=world["person"]).count()
            response = getattr(client, method)(url)
            body = body_of(response)
            where = f"{persona} {method.upper()} {url} ({name}) -> {response.status_code}"
            if response.status_code == 200 and UNIQUE_NAME.lower() in body.lower():
                # Every page, list or file that shows a person's name logs the read (PersonAccess).
                now = PersonAccess.objects.filter(user=user, person=world["person"]).count()
                assert now > logged, f"Read not logged: {where}"
            if not sees_person:
                assert UNIQUE_NAME.lower() not in body.lower(), f"Leak: {where}"
                if takes_person:
                    # Exactly what an unknown id gets: the answer must not confirm that the person exists.
                    unknown = getattr(client, method)(url_for(pattern, world, unknown=True))
                    assert response.status_code == unknown.status_code, f"Differs from an unknown id: {where}"
                    assert response.status_code in (404, 405), f"Must answer 404: {where}"
            elif takes_person and not no_plie and not name.startswith("clauses:"):
                # The world's fact is an RQTH: hidden (404) from roles that do not see sensitive facts.
                hidden_fact = "<int:fact_id>" in pattern and not user.sees_sensitive_facts
                assert response.status_code in (200, 302, 403, 405, 422) + ((404,) if hidden_fact else ()), where
            if persona in EXTERNAL and (name.startswith("people:") or name.startswith("structures:")):
                assert response.status_code in (404, 405), f"External users have no registry nor directory: {where}"
            refers = persona.startswith("prescriber") and name in PRESCRIBER_REFERRAL_ROUTES
            if refers:
                assert response.status_code in (200, 302, 405, 422), f"Prescribers orient people: {where}"
            if name.startswith("plie:") and not refers:
                check_plie_route(persona, name, method, response, where)
            if name.startswith("clauses:") and not refers:
                unknown = None
                if any(parameter in pattern for parameter in PERSON_PARAMETERS + OPERATION_PARAMETERS):
                    unknown = getattr(client, method)(url_for(pattern, world, unknown=True)).status_code
                check_clauses_route(persona, name, pattern, method, response, unknown, where)
            for access in MODULE_ACCESS:
                if name.split(":")[0] in access.NAMESPACES and hasattr(access, "check"):
                    access.check(persona, name, method, response, where, world)
            if persona != "referent_same_structure":
                assert SECRET_NOTE not in body, f"Interview notes leave their structure: {where}"
            assert response.status_code < 500, where


def check_plie_route(persona, name, method, response, where):
    status = response.status_code
    if persona not in PLIE_PERSONAS:
        assert status in (404, 405), f"No PLIE data for this role: {where}"
    elif name in CELL_ROUTES:
        if persona not in CELL:
            assert status in (403, 404, 405), f"Cellule only: {where}"
    elif name not in PLIE_READ_ROUTES and persona in PLIE_READERS and status not in (404, 405):
        # Reading is not writing: the direction and prescribers never reach a form.
        assert status == 403, f"Read-only users may not write: {where}"
    if method == "get" and name in PLIE_READ_ROUTES and persona in PLIE_PERSONAS and PERSONAS[persona]:
        assert status == 200, f"PLIE users read what is in their scope: {where}"


def check_clauses_route(persona, name, pattern, method, response, unknown, where):
    status = response.status_code
    takes_person = any(parameter in pattern for parameter in PERSON_PARAMETERS)
    # Out of scope: exactly what an unknown id gets, a 404 (the hours and reports pages have their own rules
    # for who reads them, but never confirm a record to someone outside its scope).
    hidden_object = any(parameter in pattern and persona not in who for parameter, who in SEES.items())
    if (takes_person and not sees_person_on(persona, name)) or hidden_object:
        if name not in HOURS_ROUTES | REPORT_ROUTES or status != 403:
            assert status == unknown, f"Differs from an unknown id: {where}"
        assert status in (403, 404, 405), f"Out of scope: {where}"
        return
    if name in HOURS_ROUTES | REPORT_ROUTES:
        return  # their own access tests; the walk above checks scope and leaks
    if persona not in CLAUSES_STAFF | CLAUSES_PEOPLE_READERS | CLAUSES_EXTERNAL_READERS:
        assert status in (404, 405), f"No clauses data for this role: {where}"
        return
    people_page = takes_person or name in CLAUSES_PEOPLE_ROUTES
    if persona in CLAUSES_EXTERNAL_READERS and people_page:
        assert status in (404, 405), f"Buyers and companies have no people pages: {where}"
    elif persona in CLAUSES_PEOPLE_READERS and not people_page:
        assert status in (403, 404, 405), f"Référents and prescribers read their people only: {where}"
    elif persona not in CLAUSES_STAFF and name not in CLAUSES_READ_ROUTES:
        assert status in (403, 405), f"Readers may not write: {where}"
    elif persona not in CLAUSES_STAFF and method == "get":
        assert status == 200, f"Readers read what is in their scope: {where}"
    elif persona in CLAUSES_STAFF and method == "get" and (name in CLAUSES_READ_ROUTES | CLAUSES_STAFF_READ_ROUTES):
        assert status == 200, f"The clauses team reads: {where}"
    elif persona in CLAUSES_STAFF and method == "post" and name not in CLAUSES_READ_ROUTES | CLAUSES_STAFF_READ_ROUTES:
        # An empty POST shows the form again (200) or is refused (422): never a server error, never a refusal.
        assert status in (200, 302, 422), f"The clauses team writes: {where}"


def test_anonymous_visitors_are_sent_to_login(client, world):
    for name, pattern in all_routes():
        if name in PUBLIC_ROUTES or name == "accounts:logout":
            continue
        response = client.get(url_for(pattern, world))
        assert response.status_code == 302, name
        assert response["Location"].startswith("/comptes/connexion/"), name


def test_sensitive_facts_are_hidden_from_roles_that_do_not_need_them(client, world):
    # The facilitator follows the person under the clauses programme: sees the record, not the RQTH.
    person = world["person"]
    facilitator = world["users"]["facilitator"]
    FollowUpFactory(
        person=person, organization=facilitator.primary_membership.organization, programme=Programme.CLAUSES
    )
    client.force_login(facilitator)
    response = client.get(person.get_absolute_url())
    assert response.status_code == 200
    assert "RQTH" not in response.content.decode()
    client.force_login(world["users"]["referent_same_structure"])
    assert "RQTH" in client.get(person.get_absolute_url()).content.decode()
