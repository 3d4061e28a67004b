"""What tests/test_access.py needs to walk the companies module (tremplin.core.modules contract).

The world's person looks for a cleaning job; the world's company ("company_own") has an offer she was proposed
for, she is registered to a 100 Chances SAS, did an immersion there, and a Point Relais logged her visit.
Rules checked beyond the walk's own (docs/permissions.md, « Entreprises, offres, événements »):
- a company reads its own offer and what was proposed to it, without names; never another company's offer,
  never the ranking (the pool);
- a référent·e ranks the people of her structure: the world's person for IRFA's référente, nobody of
  IRFA's for another structure's (the walk asserts that the name never shows);
- funders, prescribers, buyers and accounts without a structure get 404 on every page of the module.
"""

import datetime

from django.utils import timezone

from tests.companies.factories import (
    EventFactory,
    ImmersionFactory,
    JobSearchProfileFactory,
    OfferFactory,
    ProposalFactory,
    RegistrationFactory,
)
from tremplin.companies.enums import EventKind, RelaisChannel, RelaisOutcome, RelaisSubject
from tremplin.companies.models import RelaisContact

NAMESPACES = {"companies"}
PERSON_PARAMETERS = ("<int:proposal_id>", "<int:registration_id>", "<int:immersion_id>")
# The forms' searches of companies (an offer's, an immersion's) and of the Points Relais' partners: directories,
# for the module's readers.
KNOWN_ROUTES = {"companies:search_companies", "companies:search_partners"}

NO_ACCESS = {"funder", "no_membership", "buyer", "buyer_own", "prescriber_who_referred", "prescriber_other"}
COMPANIES = {"company", "company_own"}
COMPANY_ROUTES = {"companies:offer_list", "companies:offer_detail"}


def build(world):
    person = world["person"]
    users = world["users"]
    today = timezone.localdate()
    company = users["company_own"].primary_membership.organization
    JobSearchProfileFactory(person=person, available_from=today - datetime.timedelta(days=10))
    offer = OfferFactory(company=company, title="Agent·e de propreté", received_on=today, starts_on=today)
    proposal = ProposalFactory(offer=offer, person=person, proposed_by=users["coordinator"], proposed_on=today)
    sas = EventFactory(kind=EventKind.SAS, title="SAS 100 Chances", starts_on=today, ends_on=today)
    sas.offers.add(offer)
    registration = RegistrationFactory(event=sas, person=person, registered_on=today)
    immersion = ImmersionFactory(person=person, company=company, starts_on=today, ends_on=today)
    RelaisContact.objects.create(
        organization=world["organization"],
        channel=RelaisChannel.WALK_IN,
        subject=RelaisSubject.JOB,
        outcome=RelaisOutcome.DIRECT,
        person=person,
        happened_on=today,
    )
    return {
        "company_id": str(company.pk),
        "offer_id": str(offer.pk),
        "proposal_id": str(proposal.pk),
        "event_id": str(sas.pk),
        "registration_id": str(registration.pk),
        "immersion_id": str(immersion.pk),
    }


def check(persona, name, method, response, where, world):
    status = response.status_code
    body = response.content.decode(errors="replace") if not response.streaming else ""
    if persona in NO_ACCESS:
        # A prescriber who referred the person sees her record: 403 (not 404) on the pages naming her.
        allowed = (403, 404, 405) if persona == "prescriber_who_referred" else (404, 405)
        assert status in allowed, f"No companies pages for this role: {where}"
    elif persona in COMPANIES:
        if name == "companies:offer_status" and persona == "company_own":
            assert status in (403, 405), f"A company reads its offer, it does not change it: {where}"
        elif name not in COMPANY_ROUTES:
            assert status in (404, 405), f"A company has no pages but its offers: {where}"
        elif method == "get" and name == "companies:offer_detail":
            if persona == "company_own":
                assert status == 200, f"A company reads its own offer: {where}"
                assert "Candidature n° 1" in body, f"A company reads what was proposed to it: {where}"
            else:
                assert status == 404, f"Another company's offer: {where}"
    if name == "companies:offer_ranking" and method == "get":
        if persona == "referent_same_structure":
            assert status == 200 and world["person"].last_name.lower() in body.lower(), (
                f"The référente ranks her people: {where}"
            )
        if persona in {"coordinator", "assistant", "project_officer"}:
            assert status == 200, f"Managers rank: {where}"
        if persona == "manager":
            assert status == 403, f"The direction reads, it does not propose: {where}"
