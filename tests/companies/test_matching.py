"""CV-free matching on a hand-built pool: the ranking and its explanation are pinned.

Offer: "Agent·e de nettoyage", K2204 (Nettoyage de locaux), CDD, 24 h a week, in Dijon (métropole), start
2024-04-01, permis B required.
- Amandine: K2204, lives in Dijon, licence, CDD accepted, 20-30 h, available 2024-03-01:
  40 + 20 + 10 + 10 + 10 + 10 = 100
- Bastien: K2202 (same group K22), lives in Talant (métropole), licence and vehicle, no contract preference,
  no hours given, available 2024-05-01 (after the start): 25 + 15 + 10 + 0 + 0 − 10 = 40
- Chloé: N1103 then K2101 (same domain K), lives in Beaune (outside), no licence, CDI only, at most 20 h,
  availability unknown: 10 − 10 − 30 − 20 − 20 + 0 = −70
- Damien: F1703 (nothing in common), lives in Dijon, licence, any contract, 35 h at least: 0 + 20 + 10 + 0 − 5 + 0 = 25
- Elsa (K2204) is followed by another structure: never in the référent's pool.
"""

import datetime

import pytest

from tests.companies.factories import JobSearchProfileFactory, OfferFactory, ProposalFactory, rome
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, commune, user_with_role
from tremplin.accounts.enums import Role
from tremplin.companies import matching
from tremplin.companies.enums import ContractType
from tremplin.people.models import Person

TODAY = datetime.date(2024, 3, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture
def pool():
    structure = OrganizationFactory(name="IRFA")
    referent = user_with_role(Role.REFERENT, organization=structure)

    def person(first_name, insee, **profile):
        someone = PersonFactory(first_name=first_name, last_name="Test", commune=commune(insee))
        FollowUpFactory(person=someone, organization=profile.pop("structure", structure))
        contracts = profile.pop("contracts", [])
        search = JobSearchProfileFactory(person=someone, **profile)
        search.accepted_contracts = contracts
        search.save()
        return someone

    people = {
        "Amandine": person(
            "Amandine",
            "21231",
            has_licence=True,
            contracts=[ContractType.CDD, ContractType.CDI],
            min_weekly_hours=20,
            max_weekly_hours=30,
            available_from=datetime.date(2024, 3, 1),
        ),
        "Bastien": person(
            "Bastien",
            "21617",
            rome_1=rome("K2202"),
            has_licence=True,
            has_vehicle=True,
            available_from=datetime.date(2024, 5, 1),
        ),
        "Chloé": person(
            "Chloé",
            "21054",
            rome_1=rome("N1103"),
            rome_2=rome("K2101"),
            contracts=[ContractType.CDI],
            max_weekly_hours=20,
        ),
        "Damien": person("Damien", "21231", rome_1=rome("F1703"), has_licence=True, min_weekly_hours=35),
        "Elsa": person("Elsa", "21231", structure=OrganizationFactory()),
    }
    offer = OfferFactory(
        title="Agent·e de nettoyage",
        contract_type=ContractType.CDD,
        weekly_hours=24,
        requires_licence=True,
        starts_on=datetime.date(2024, 4, 1),
    )
    return {"referent": referent, "offer": offer, "people": people}


def ranked(offer, people):
    return [(row.person.first_name, row.score) for row in matching.rank_people(offer, people, today=TODAY)]


def test_people_rank_by_fit_within_the_referents_structure(pool):
    people = Person.objects.visible_to(pool["referent"])
    assert ranked(pool["offer"], people) == [("Amandine", 100), ("Bastien", 40), ("Damien", 25), ("Chloé", -70)]


def test_the_coordination_ranks_everyone(pool):
    coordinator = user_with_role(Role.COORDINATOR)
    names = [name for name, _ in ranked(pool["offer"], Person.objects.visible_to(coordinator))]
    # Elsa: K2204 in Dijon without the required licence: 40 + 20 − 30 = 30.
    assert names == ["Amandine", "Bastien", "Elsa", "Damien", "Chloé"]


def test_each_score_is_explained_in_french(pool):
    rows = {
        row.person.first_name: row for row in matching.rank_people(pool["offer"], Person.objects.all(), today=TODAY)
    }
    offer = pool["offer"]
    assert matching.explanation(rows["Amandine"], offer) == (
        "même code ROME K2204 (+40) ; habite la commune du poste (+20) ; permis B exigé, détenu (+10) ; "
        "contrat CDD accepté (+10) ; 24 h par semaine, dans les horaires souhaités (+10) ; "
        "disponible à la prise de poste (+10)"
    )
    assert matching.explanation(rows["Bastien"], offer) == (
        "même groupe de métiers (K22) (+25) ; poste et domicile dans Dijon Métropole (+15) ; "
        "permis B exigé, détenu (+10) ; pas de préférence de contrat (+0) ; horaires non renseignés (+0) ; "
        "disponible seulement à partir du 01/05/2024 (−10)"
    )
    assert matching.explanation(rows["Chloé"], offer) == (
        "même domaine professionnel (K) (+10) ; autre commune, hors de la métropole, sans permis et véhicule (−10) ; "
        "permis B exigé, non détenu (−30) ; contrat CDD non souhaité (−20) ; "
        "24 h par semaine, au-delà des 20 h souhaitées (−20) ; disponibilité non renseignée (+0)"
    )
    assert "en deçà des 35 h souhaitées (−5)" in matching.explanation(rows["Damien"], offer)
    assert sum(reason.points for reason in matching.explain(rows["Chloé"], offer)) == rows["Chloé"].score


def test_people_already_proposed_are_flagged(pool):
    ProposalFactory(offer=pool["offer"], person=pool["people"]["Bastien"])
    rows = {
        row.person.first_name: row.already_proposed
        for row in matching.rank_people(pool["offer"], Person.objects.all(), today=TODAY)
    }
    assert rows["Bastien"] is True and rows["Amandine"] is False


def test_offers_that_suit_a_person(pool):
    amandine = pool["people"]["Amandine"].job_search
    company = pool["offer"].company
    far = OfferFactory(
        company=company,
        title="Plongeur·se",
        rome=rome("N1103"),
        commune=commune("21054"),
        contract_type=ContractType.INTERIM,
        weekly_hours=39,
        starts_on=datetime.date(2024, 2, 1),
    )
    close = OfferFactory(
        company=company, title="Laveur·se de vitres", rome=rome("K2202"), weekly_hours=None, starts_on=None
    )
    from tremplin.companies.models import Offer

    rows = list(matching.offers_for_person(amandine, Offer.objects.all(), today=TODAY))
    assert [(row.title, row.score) for row in rows] == [
        ("Agent·e de nettoyage", 100),
        ("Laveur·se de vitres", 25 + 20 + 10 + 0 + 10),
        ("Plongeur·se", 0 - 10 - 20 - 20 - 10),
    ]
    assert matching.explanation(rows[1], rows[1], amandine) == (
        "même groupe de métiers (K22) (+25) ; habite la commune du poste (+20) ; contrat CDD accepté (+10) ; "
        "horaires non renseignés (+0) ; disponible à la prise de poste (+10)"
    )
    assert far and close
