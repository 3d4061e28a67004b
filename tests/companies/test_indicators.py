"""The companies, events and Points Relais figures on a small known set (year 2024).

Boundaries: a record dated 31 December 2024 counts in 2024, one dated 1 January 2025 does not (it counts in
"since launch" for 2025 only); a record of 2023 counts "since launch" for 2024.

Companies: Alpha (BTP), Bêta (no profile).
Interactions: Alpha visit PLIE 2024-03-01, Alpha call PLIE 2024-12-31, Bêta HR advice Relais 2024-06-10,
Bêta visit PLIE 2025-01-01 (outside), Alpha e-mail Relais 2023-05-05 (before).
Offers received in 2024: o1 Alpha qualified 3 posts filled by us; o2 Bêta grey zone 2 posts filled otherwise;
o3 Alpha unqualified 1 post unknown (received 2024-12-31); o4 (2025-01-01, outside) 5 posts; o5 (2023) 4 posts.
People: Pia (followed by IRFA), Quentin and Rose (followed by another structure).
Proposals 2024: Pia→o1 hired (hire 2024-04-01, CDD), Quentin→o1 not retained, Rose→o2 (2025-01-01, outside).
Event "Forum" 2024-10-10: Pia (job seeker, present), Quentin (pupil, present), Rose (pupil, absent); event
"Forum 2025" 2025-01-01: Pia. Interests: Pia→o1 at the forum (2024-10-10), Quentin→o2 (2024-10-10),
Quentin→o3 (2024-12-31).
"""

import datetime

import pytest

from tests.companies.factories import (
    CompanyProfileFactory,
    EventFactory,
    HireFactory,
    ImmersionFactory,
    InteractionFactory,
    InterestFactory,
    OfferFactory,
    ProposalFactory,
    RegistrationFactory,
)
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.companies.enums import Attendance, OfferStatus, ProposalOutcome, RelaisChannel, RelaisOutcome
from tremplin.companies.indicators import compare
from tremplin.companies.models import RelaisContact
from tremplin.reports.registry import Period, registry

pytestmark = pytest.mark.django_db
Y2024 = Period.year(2024)
Y2025 = Period.year(2025)


def d(text):
    return datetime.date.fromisoformat(text)


@pytest.fixture
def data():
    alpha = CompanyProfileFactory(organization__name="Alpha", sector="BTP").organization
    beta = OrganizationFactory(name="Bêta", company=True)
    InteractionFactory(company=alpha, kind="visit", programme="plie", happened_on=d("2024-03-01"))
    InteractionFactory(company=alpha, kind="call", programme="plie", happened_on=d("2024-12-31"))
    InteractionFactory(company=beta, kind="hr_advice", programme="relais", happened_on=d("2024-06-10"))
    InteractionFactory(company=beta, kind="visit", programme="plie", happened_on=d("2025-01-01"))
    InteractionFactory(company=alpha, kind="email", programme="relais", happened_on=d("2023-05-05"))
    o1 = OfferFactory(
        company=alpha, qualification="qualified", posts=3, status=OfferStatus.FILLED_BY_US, received_on=d("2024-01-01")
    )
    o2 = OfferFactory(
        company=beta,
        qualification="grey_zone",
        posts=2,
        status=OfferStatus.FILLED_OTHERWISE,
        received_on=d("2024-05-01"),
    )
    o3 = OfferFactory(
        company=alpha, qualification="unqualified", posts=1, status=OfferStatus.UNKNOWN, received_on=d("2024-12-31")
    )
    OfferFactory(company=beta, posts=5, received_on=d("2025-01-01"))
    OfferFactory(company=alpha, posts=4, received_on=d("2023-06-01"))
    irfa = OrganizationFactory(name="IRFA")
    other = OrganizationFactory()
    pia, quentin, rose = (
        PersonFactory(first_name="Pia"),
        PersonFactory(first_name="Quentin"),
        PersonFactory(first_name="Rose"),
    )
    FollowUpFactory(person=pia, organization=irfa)
    FollowUpFactory(person=quentin, organization=other)
    FollowUpFactory(person=rose, organization=other)
    hired = ProposalFactory(offer=o1, person=pia, proposed_on=d("2024-03-10"), outcome=ProposalOutcome.HIRED)
    HireFactory(proposal=hired, person=pia, offer=o1, started_on=d("2024-04-01"), contract_type="cdd")
    ProposalFactory(offer=o1, person=quentin, proposed_on=d("2024-03-10"), outcome=ProposalOutcome.NOT_RETAINED)
    ProposalFactory(offer=o2, person=rose, proposed_on=d("2025-01-01"))
    forum = EventFactory(title="Forum", starts_on=d("2024-10-10"), ends_on=d("2024-10-10"))
    RegistrationFactory(event=forum, person=pia, public="job_seeker", attendance=Attendance.PRESENT)
    RegistrationFactory(event=forum, person=quentin, public="pupil", attendance=Attendance.PRESENT)
    RegistrationFactory(event=forum, person=rose, public="pupil", attendance=Attendance.ABSENT)
    RegistrationFactory(
        event=EventFactory(title="Forum 2025", starts_on=d("2025-01-01"), ends_on=d("2025-01-01")), person=pia
    )
    InterestFactory(person=pia, offer=o1, event=forum, expressed_on=d("2024-10-10"))
    InterestFactory(person=quentin, offer=o2, expressed_on=d("2024-10-10"))
    InterestFactory(person=quentin, offer=o3, expressed_on=d("2024-12-31"))
    ImmersionFactory(person=pia, starts_on=d("2024-12-31"), ends_on=d("2025-01-10"))
    ImmersionFactory(person=quentin, starts_on=d("2025-01-01"), ends_on=d("2025-01-10"))
    for day, channel, outcome in (
        ("2024-02-01", RelaisChannel.WALK_IN, RelaisOutcome.DIRECT),
        ("2024-12-31", RelaisChannel.PHONE, RelaisOutcome.REFERRAL),
        ("2025-01-01", RelaisChannel.EMAIL, RelaisOutcome.DIRECT),
    ):
        RelaisContact.objects.create(
            organization=irfa,
            happened_on=d(day),
            channel=channel,
            outcome=outcome,
            subject="job",
            referred_to=other if outcome == RelaisOutcome.REFERRAL else None,
        )
    return {"irfa": irfa}


def value(indicator_id, period=Y2024, user=None):
    return registry.get(indicator_id).evaluate(period=period, user=user).figure


def test_companies_met_and_interactions(data):
    met = value("companies.companies_met")
    assert met.value == 2
    assert met.breakdown["PLIE"] == 1 and met.breakdown["Relais Conseil aux Entreprises"] == 1
    assert value("companies.companies_met_since_launch").value == 2
    interactions = value("companies.interactions")
    assert interactions.value == 3
    assert interactions.breakdown["Dispositif : PLIE"] == 2
    assert interactions.breakdown["Type : Rendez-vous conseil RH (Relais Conseil aux Entreprises)"] == 1
    assert value("companies.interactions_since_launch").value == 4
    assert value("companies.interactions", Y2025).value == 1
    assert value("companies.interactions_since_launch", Y2025).value == 5


def test_offers_posts_and_posts_filled(data):
    offers = value("companies.offers")
    assert offers.value == 3
    assert offers.breakdown["Qualification : Zone grise"] == 1
    assert offers.breakdown["Secteur : BTP"] == 2 and offers.breakdown["Secteur : Secteur non renseigné"] == 1
    assert offers.breakdown["Statut : Issue inconnue"] == 1
    assert value("companies.offers_since_launch").value == 4
    assert value("companies.posts").value == 6
    assert value("companies.posts").breakdown["Qualifié"] == 3
    assert value("companies.posts_since_launch").value == 10
    filled = value("companies.posts_filled")
    assert (filled.value, filled.denominator) == (5, 6)
    assert filled.breakdown["Issue inconnue"] == 1
    assert (value("companies.posts_filled", Y2025).value, value("companies.posts_filled", Y2025).denominator) == (0, 5)


def test_proposals_hires_and_immersions(data):
    proposals = value("companies.proposals")
    assert proposals.value == 2
    assert proposals.breakdown["Embauché·e"] == 1 and proposals.breakdown["Non retenu·e par l'entreprise"] == 1
    assert value("companies.proposals_since_launch", Y2025).value == 3
    hires = value("companies.hires")
    assert hires.value == 1 and hires.breakdown["CDD"] == 1
    assert value("companies.hires", Y2025).value == 0
    assert value("companies.hires_since_launch", Y2025).value == 1
    assert value("companies.immersions").value == 1
    assert value("companies.immersions", Y2025).value == 1
    assert value("companies.immersions_since_launch", Y2025).value == 2


def test_a_referent_counts_her_own_people(data):
    referent = user_with_role(Role.REFERENT, organization=data["irfa"])
    assert value("companies.proposals", user=referent).value == 1
    assert value("events.registrations", user=referent).value == 1


def test_registrations_interests_and_funnel(data):
    registrations = value("events.registrations")
    assert registrations.value == 3
    assert registrations.breakdown["Scolaire (collège, lycée)"] == 2
    assert value("events.registrations_since_launch", Y2025).value == 4
    interests = value("events.interests")
    assert interests.value == 3 and interests.breakdown == {"Lors d'un événement": 1, "Hors événement": 2}
    assert value("events.interests", Y2025).value == 0
    funnel = value("events.funnel")
    assert funnel.value == 3
    assert funnel.breakdown == {
        "Inscrit·es": 3,
        "Présent·es": 2,
        "Intérêt exprimé pour une offre": 2,
        "Proposé·es à une entreprise": 2,
        "Embauché·es": 1,
    }
    rates = value("events.funnel_rates")
    assert (rates.value, rates.denominator) == (round(1 / 3, 4), 3)
    assert rates.breakdown["Présent·es / étape précédente"] == round(2 / 3, 4)
    assert rates.breakdown["Embauché·es / étape précédente"] == 0.5


def test_points_relais_contacts(data):
    contacts = value("relais.contacts")
    assert contacts.value == 2
    assert contacts.breakdown["Canal : Téléphone"] == 1
    assert contacts.breakdown["Réponse : Orientation vers un partenaire"] == 1
    assert value("relais.contacts_since_launch", Y2025).value == 3


@pytest.mark.parametrize(
    "current,previous,expected",
    [
        (120, 100, 0.2),
        (80, 100, -0.2),
        (0, 50, -1.0),
        (10, 0, None),
        (None, 5, None),
        (5, None, None),
        (1, 3, -0.6667),
    ],
)
def test_compare_divides_by_the_previous_period(current, previous, expected):
    assert compare(current, previous) == expected
