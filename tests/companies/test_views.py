import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.companies.factories import EventFactory, JobSearchProfileFactory, OfferFactory, ProposalFactory
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, commune, user_with_role
from tremplin.accounts.enums import Role
from tremplin.companies.enums import EventKind, OfferStatus, ProposalOutcome
from tremplin.companies.models import Hire, Offer, Proposal, RelaisContact
from tremplin.people.enums import Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return user_with_role(Role.PROJECT_OFFICER)


@pytest.fixture
def followed(officer):
    """Two people followed by the officer's structure under the Cité de l'emploi."""
    structure = officer.primary_membership.organization
    people = []
    for first_name in ("Nora", "Yanis"):
        person = PersonFactory(first_name=first_name, last_name="Testeur")
        FollowUpFactory(person=person, organization=structure, programme=Programme.CITE)
        JobSearchProfileFactory(person=person)
        people.append(person)
    return people


def test_an_officer_creates_an_offer(client, officer):
    company = OrganizationFactory(company=True, name="Propreté Bourguignonne")
    client.force_login(officer)
    response = client.post(
        reverse("companies:offer_create"),
        {
            "company": company.pk,
            "title": "Agent·e d'entretien",
            "rome": "K2204",
            "contract_type": "cdd",
            "weekly_hours": "24",
            "qualification": "unqualified",
            "commune": commune().pk,
            "posts": "2",
            "received_on": "2024-03-01",
            "programmes": ["plie", "cite"],
        },
    )
    offer = Offer.objects.get()
    assert response.status_code == 302 and response["Location"] == offer.get_absolute_url()
    assert (offer.status, offer.posts, offer.programmes, offer.created_by) == ("open", 2, ["plie", "cite"], officer)


def test_the_ranking_explains_and_proposes(client, officer, followed):
    offer = OfferFactory()
    client.force_login(officer)
    page = client.get(reverse("companies:offer_ranking", args=[offer.pk])).content.decode()
    assert "Nora TESTEUR" in page and "même code ROME K2204 (+40)" in page
    response = client.post(reverse("companies:propose", args=[offer.pk, followed[0].public_id]))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.person, proposal.proposed_by, proposal.score is not None) == (followed[0], officer, True)
    assert "Déjà proposé·e" in client.get(reverse("companies:offer_ranking", args=[offer.pk])).content.decode()
    again = client.post(reverse("companies:propose", args=[offer.pk, followed[0].public_id]))
    assert again.status_code == 422 and "déjà été proposé" in again.content.decode()


def test_a_hire_is_recorded_from_the_proposal(client, officer, followed):
    offer = OfferFactory(status=OfferStatus.IN_PROGRESS)
    proposal = ProposalFactory(offer=offer, person=followed[0], proposed_on=datetime.date(2024, 3, 1))
    client.force_login(officer)
    response = client.post(
        reverse("companies:proposal_outcome", args=[proposal.pk]),
        {"outcome": "hired", "outcome_on": "2024-03-20", "started_on": "2024-04-02", "contract_type": "cdd"},
    )
    assert response.status_code == 302
    assert Hire.objects.get().started_on == datetime.date(2024, 4, 2)
    offer.refresh_from_db()
    assert offer.status == OfferStatus.FILLED_BY_US
    proposal.refresh_from_db()
    assert proposal.outcome == ProposalOutcome.HIRED


def test_a_company_reads_its_offer_and_proposals_without_names(client, followed):
    company = OrganizationFactory(company=True)
    user = user_with_role(Role.COMPANY, organization=company)
    offer = OfferFactory(company=company)
    ProposalFactory(offer=offer, person=followed[0])
    client.force_login(user)
    page = client.get(offer.get_absolute_url()).content.decode()
    assert "Candidature n° 1" in page and "Nora" not in page
    assert client.get(reverse("companies:offer_ranking", args=[offer.pk])).status_code == 404
    other = OfferFactory()
    assert client.get(other.get_absolute_url()).status_code == 404
    assert list(client.get(reverse("companies:offer_list")).context["page"]) == [offer]


def test_the_thirteenth_registration_is_refused_on_the_page(client, officer):
    sas = EventFactory(kind=EventKind.SAS, title="SAS de juin")
    structure = officer.primary_membership.organization
    people = []
    for i in range(13):
        person = PersonFactory(last_name=f"Personne{i}")
        FollowUpFactory(person=person, organization=structure, programme=Programme.CITE)
        people.append(person)
    client.force_login(officer)
    for person in people[:12]:
        response = client.post(
            reverse("companies:event_register", args=[sas.pk, person.public_id]), {"public": "qpv_resident"}
        )
        assert response.status_code == 302
    response = client.post(
        reverse("companies:event_register", args=[sas.pk, people[12].public_id]), {"public": "qpv_resident"}
    )
    assert response.status_code == 422
    assert "accueille au plus 12 personnes" in response.content.decode()
    assert sas.registrations.count() == 12


def test_the_attendance_sheet_is_a_pdf(client, officer):
    event = EventFactory(title="Forum de l'emploi")
    client.force_login(officer)
    response = client.get(reverse("companies:attendance_sheet", args=[event.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_points_relais_quick_entry(client, officer):
    client.force_login(officer)
    response = client.post(reverse("companies:relais"), {"channel": "walk_in", "subject": "job", "outcome": "direct"})
    assert response.status_code == 302
    contact = RelaisContact.objects.get()
    assert (contact.organization, contact.recorded_by, contact.happened_on) == (
        officer.primary_membership.organization,
        officer,
        timezone.localdate(),
    )
    refused = client.post(reverse("companies:relais"), {"channel": "phone", "subject": "job", "outcome": "referral"})
    assert refused.status_code == 422 and "Indiquez le partenaire" in refused.content.decode()


def test_the_home_panel_of_a_project_officer(client, officer):
    OfferFactory()
    client.force_login(officer)
    page = client.get(reverse("home")).content.decode()
    assert "Entreprises, offres et événements" in page and "1 offre ouverte" in page


def test_a_job_search_then_the_matching_offers_interest_and_an_immersion(client, officer, followed):
    nora = followed[0]
    company = OrganizationFactory(company=True, name="Nettoyage Plus")
    offer = OfferFactory(company=company, title="Laveur·se de vitres", rome_id="K2202")
    client.force_login(officer)
    response = client.post(
        reverse("companies:job_search", args=[nora.public_id]),
        {
            "rome_1": "K2202",
            "has_licence": "on",
            "contracts": ["cdd"],
            "min_weekly_hours": "30",
            "max_weekly_hours": "20",
            "is_active": "on",
        },
    )
    assert response.status_code == 422 and "au moins égal au minimum" in response.content.decode()
    response = client.post(
        reverse("companies:job_search", args=[nora.public_id]),
        {"rome_1": "K2202", "has_licence": "on", "contracts": ["cdd"], "is_active": "on"},
    )
    assert response.status_code == 302
    nora.job_search.refresh_from_db()
    assert (nora.job_search.rome_1_id, nora.job_search.accepted_contracts) == ("K2202", ["cdd"])
    assert nora.job_search.history.first().history_user == officer
    page = client.get(reverse("companies:person_offers", args=[nora.public_id])).content.decode()
    assert "Laveur·se de vitres" in page and "même code ROME K2202 (+40)" in page
    assert client.post(reverse("companies:interest", args=[nora.public_id, offer.pk])).status_code == 302
    assert nora.offer_interests.get().offer == offer
    response = client.post(
        reverse("companies:immersion_create", args=[nora.public_id]),
        {
            "company": company.pk,
            "starts_on": "2024-05-06",
            "ends_on": "2024-05-03",
            "objective": "Découvrir",
            "tutor": "M. Roy",
        },
    )
    assert response.status_code == 422 and "doit suivre son début" in response.content.decode()
    response = client.post(
        reverse("companies:immersion_create", args=[nora.public_id]),
        {
            "company": company.pk,
            "starts_on": "2024-05-06",
            "ends_on": "2024-05-17",
            "objective": "Découvrir",
            "tutor": "M. Roy",
        },
    )
    assert response.status_code == 302 and nora.immersions.get().tutor == "M. Roy"


def test_a_referent_of_another_structure_cannot_reach_the_officers_people(client, followed):
    outsider = user_with_role(Role.REFERENT)
    client.force_login(outsider)
    offer = OfferFactory()
    page = client.get(reverse("companies:offer_ranking", args=[offer.pk])).content.decode()
    assert "Nora" not in page
    assert client.get(reverse("companies:person_offers", args=[followed[0].public_id])).status_code == 404
    assert client.post(reverse("companies:propose", args=[offer.pk, followed[0].public_id])).status_code == 404


def test_the_funnel_page(client, officer, followed):
    event = EventFactory(kind=EventKind.JOB_FAIR)
    from tests.companies.factories import RegistrationFactory

    RegistrationFactory(event=event, person=followed[0], attendance="present")
    RegistrationFactory(event=event, person=followed[1], attendance="absent")
    client.force_login(officer)
    response = client.get(reverse("companies:funnel"), {"evenement": event.pk})
    stages = response.context["stages"]
    assert [(s.label, s.count) for s in stages][:2] == [("Inscrit·es", 2), ("Présent·es", 1)]
    assert stages[1].share == 0.5
