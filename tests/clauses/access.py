"""What the clauses d'insertion teach the access walk (tests/test_access.py, contract in tremplin/core/modules.py).

The world's person is referred to the clauses service and placed on a lot of the buyer's operation:
- the team (facilitation, coordination, assistance, direction) manages; référents and prescribers read their
  people's candidacies and placements, nothing else;
- a buyer reads only its operations and a company only its lots, never a person's name (a company declares
  the hours of its own employees); a buyer of another operation or a company of another lot gets 404 as for
  an unknown id;
- readers get 403 on every clauses write; other roles get 404 on every clauses page.
"""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
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
from tests.factories import FollowUpFactory
from tremplin.clauses import urls_hours, urls_reports
from tremplin.clauses.enums import CandidateStatus, EligiblePublic
from tremplin.people.enums import Programme

NAMESPACES = {"clauses"}
PERSON_PARAMETERS = ("<int:candidate_id>", "<int:placement_id>", "<int:record_id>")
KNOWN_ROUTES = {"clauses:operation_detail", "clauses:lot_sizing", "clauses:candidate_detail", "clauses:pool"}
# URL parameters that designate the clauses operation (or its market, lot, globalisation agreement).
OPERATION_PARAMETERS = ("<int:operation_id>", "<int:market_id>", "<int:lot_id>", "<int:agreement_id>")

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
# The placement form's searches (lots, employers): the clauses team's, read-only (tests/clauses/test_search_select.py).
CLAUSES_STAFF_READ_ROUTES |= {"clauses:search_lots", "clauses:search_employers"}
CLAUSES_PEOPLE_ROUTES = {
    "clauses:candidate_list",
    "clauses:pool",
    "clauses:evaluation_list",
    "clauses:referral_create",
}


def build(world) -> dict[str, str]:
    """The person referred to the clauses service and placed on a lot of the buyer's operation."""
    person, france_travail, users = world["person"], world["france_travail"], world["users"]
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
    records = {
        "operation": operation,
        "market": market,
        "lot": lot,
        "candidate": candidate,
        "placement": placement,
        "record": record,
        "agreement": agreement,
    }
    world.update(records)
    return {f"{key}_id": str(value.pk) for key, value in records.items()}


def sees_person(persona, name) -> bool:
    # A company declares the hours of its own employees: it reads their names on the hours pages only.
    return persona == "company_own" and name in HOURS_ROUTES


def exempt(persona, name) -> bool:
    """Every clauses route follows check() only, not the walk's rule for those who see the person."""
    return True


# Prescribers refer the people they enter to the clauses pool (issue 9): this form opens for them.
PRESCRIBER_REFERRAL_ROUTES = {"clauses:referral_create"}


def check(persona, name, method, response, where, world, *, route) -> None:
    status = response.status_code
    if persona.startswith("prescriber") and name in PRESCRIBER_REFERRAL_ROUTES:
        assert status in (200, 302, 405, 422), f"Prescribers orient people: {where}"
        return
    unknown = None
    if route.takes_person or any(parameter in route.pattern for parameter in OPERATION_PARAMETERS):
        unknown = route.unknown().status_code
    takes_person = route.takes_person
    # Out of scope: exactly what an unknown id gets, a 404 (the hours and reports pages have their own rules
    # for who reads them, but never confirm a record to someone outside its scope).
    hidden_object = any(parameter in route.pattern and persona not in who for parameter, who in SEES.items())
    if (takes_person and not route.sees_person) or hidden_object:
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
