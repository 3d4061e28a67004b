"""CV-free matching reads the mobility platform's latest diagnostic (the "person_mobility" hook), falls back on
the job search profile, and works without the mobility module.

Offer: K2204 in Dijon, CDD, 24 h, start 2024-04-01, permis B and a vehicle required. Everyone seeks K2204,
accepts a CDD, 20-30 h, available 2024-03-01 and lives in Beaune (outside the métropole): 40 + 10 + 10 + 10 = 70,
then the place, the licence and the vehicle:
- driving her own vehicle: +10 +10 +5 = 95; neither licence nor vehicle: −10 −30 −20 = 10.
- Farid: profile without licence nor vehicle; diagnostic of 12/02/2024 (IRFA prescribed): permis B, a car -> 95.
- Gaëlle: profile with both; diagnostic of 05/01/2024: permis B in progress, bus and bike -> 10.
- Hugo: profile with both, no diagnostic -> 95.
- Inès: profile with both; diagnostics of 01/06/2023 (permis B, car) then 01/02/2024 (suspended, walking):
  the latest counts -> 10.
- Jules: profile with both; a diagnostic (permis B in progress) prescribed by another structure: the IRFA
  référente may not read it (profile: 95), the coordination may (10).
"""

import datetime

import pytest

from tests.companies.factories import JobSearchProfileFactory, OfferFactory, rome
from tests.factories import FollowUpFactory, OrganizationFactory, PersonFactory, commune, user_with_role
from tests.mobility.factories import DiagnosticFactory, PrescriptionFactory
from tremplin.accounts.enums import Role
from tremplin.companies import matching
from tremplin.companies.enums import ContractType
from tremplin.core.modules import modules
from tremplin.mobility.enums import LicenceStatus, MeansOfTransport
from tremplin.mobility.selectors import mobility_facts
from tremplin.people.models import Person
from tremplin.structures.enums import OrganizationKind

TODAY = datetime.date(2024, 3, 1)
D = datetime.date
BEAUNE = "21054"
pytestmark = pytest.mark.django_db


@pytest.fixture
def pool():
    irfa = OrganizationFactory(name="IRFA", kind=OrganizationKind.PRESCRIBER)
    referent = user_with_role(Role.REFERENT, organization=irfa)
    elsewhere = OrganizationFactory(name="Mission locale", kind=OrganizationKind.PRESCRIBER)

    def person(first_name, *, licence=True, vehicle=True, diagnostics=()):
        someone = PersonFactory(first_name=first_name, last_name="Test", commune=commune(BEAUNE))
        FollowUpFactory(person=someone, organization=irfa)
        search = JobSearchProfileFactory(
            person=someone,
            rome_1=rome("K2204"),
            has_licence=licence,
            has_vehicle=vehicle,
            min_weekly_hours=20,
            max_weekly_hours=30,
            available_from=D(2024, 3, 1),
        )
        search.accepted_contracts = [ContractType.CDD]
        search.save()
        for held_on, status, means, prescriber in diagnostics:
            prescription = PrescriptionFactory(person=someone, prescriber=prescriber or irfa, prescribed_on=held_on)
            DiagnosticFactory(prescription=prescription, held_on=held_on, licence=status, means=means)
        return someone

    people = {
        "Farid": person(
            "Farid", licence=False, vehicle=False, diagnostics=[(D(2024, 2, 12), LicenceStatus.B, ["car"], None)]
        ),
        "Gaëlle": person(
            "Gaëlle",
            diagnostics=[(D(2024, 1, 5), LicenceStatus.B_IN_PROGRESS, ["public_transport", "bike"], None)],
        ),
        "Hugo": person("Hugo"),
        "Inès": person(
            "Inès",
            diagnostics=[
                (D(2023, 6, 1), LicenceStatus.B, ["car"], None),
                (D(2024, 2, 1), LicenceStatus.B_SUSPENDED, ["walk"], None),
            ],
        ),
        "Jules": person("Jules", diagnostics=[(D(2024, 1, 15), LicenceStatus.B_IN_PROGRESS, [], elsewhere)]),
    }
    offer = OfferFactory(
        rome=rome("K2204"),
        commune=commune("21231"),
        contract_type=ContractType.CDD,
        weekly_hours=24,
        requires_licence=True,
        requires_vehicle=True,
        starts_on=D(2024, 4, 1),
    )
    return {"referent": referent, "offer": offer, "people": people}


def ranked(offer, user):
    rows = matching.rank_people(offer, Person.objects.visible_to(user), today=TODAY, user=user)
    return [(row.person.first_name, row.score) for row in rows]


def test_the_latest_diagnostic_the_user_may_read_replaces_the_profile(pool):
    assert ranked(pool["offer"], pool["referent"]) == [
        ("Farid", 95),
        ("Hugo", 95),
        ("Jules", 95),
        ("Gaëlle", 10),
        ("Inès", 10),
    ]


def test_the_coordination_reads_every_diagnostic(pool):
    coordinator = user_with_role(Role.COORDINATOR)
    assert ranked(pool["offer"], coordinator) == [
        ("Farid", 95),
        ("Hugo", 95),
        ("Gaëlle", 10),
        ("Inès", 10),
        ("Jules", 10),
    ]


def test_without_the_mobility_module_the_profile_counts(pool, monkeypatch):
    monkeypatch.delitem(modules._modules, "mobility")
    assert modules.hook("person_mobility") is None
    assert ranked(pool["offer"], pool["referent"]) == [
        ("Gaëlle", 95),
        ("Hugo", 95),
        ("Inès", 95),
        ("Jules", 95),
        ("Farid", 10),
    ]
    rows = {
        row.person.first_name: row for row in matching.rank_people(pool["offer"], Person.objects.all(), today=TODAY)
    }
    assert "diagnostic" not in matching.explanation(rows["Farid"], pool["offer"])


def test_the_ranking_stays_one_query(pool, django_assert_num_queries):
    people = Person.objects.visible_to(pool["referent"])
    with django_assert_num_queries(1):
        rows = list(matching.rank_people(pool["offer"], people, today=TODAY, user=pool["referent"]))
    assert len(rows) == 5


def test_the_explanation_names_the_diagnostic_and_its_date(pool, django_assert_num_queries):
    offer, referent = pool["offer"], pool["referent"]
    rows = {
        row.person.first_name: row
        for row in matching.rank_people(offer, Person.objects.visible_to(referent), today=TODAY, user=referent)
    }
    with django_assert_num_queries(0):
        farid = matching.explanation(rows["Farid"], offer)
    assert farid == (
        "même code ROME K2204 (+40) ; autre commune, accessible avec son propre véhicule (diagnostic mobilité du "
        "12/02/2024 : permis B ; voiture personnelle) (+10) ; permis B exigé, détenu (diagnostic mobilité du "
        "12/02/2024 : permis B) (+10) ; véhicule exigé, disponible (diagnostic mobilité du 12/02/2024 : voiture "
        "personnelle) (+5) ; contrat CDD accepté (+10) ; 24 h par semaine, dans les horaires souhaités (+10) ; "
        "disponible à la prise de poste (+10)"
    )
    assert matching.explanation(rows["Gaëlle"], offer) == (
        "même code ROME K2204 (+40) ; autre commune, hors de la métropole, sans véhicule (diagnostic mobilité du "
        "05/01/2024 : permis B en cours ; transports en commun, vélo personnel) (−10) ; permis B exigé, non détenu "
        "(diagnostic mobilité du 05/01/2024 : permis B en cours) (−30) ; véhicule exigé, pas de véhicule "
        "(diagnostic mobilité du 05/01/2024 : transports en commun, vélo personnel) (−20) ; contrat CDD accepté "
        "(+10) ; 24 h par semaine, dans les horaires souhaités (+10) ; disponible à la prise de poste (+10)"
    )
    # No diagnostic, or one the référente may not read: the profile, as before.
    for name in ("Hugo", "Jules"):
        assert matching.explanation(rows[name], offer) == (
            "même code ROME K2204 (+40) ; autre commune, accessible avec permis et véhicule (+10) ; "
            "permis B exigé, détenu (+10) ; véhicule exigé, disponible (+5) ; contrat CDD accepté (+10) ; "
            "24 h par semaine, dans les horaires souhaités (+10) ; disponible à la prise de poste (+10)"
        )
    assert "01/02/2024 : permis B suspendu ou annulé" in matching.explanation(rows["Inès"], offer)
    for row in rows.values():
        assert sum(reason.points for reason in matching.explain(row, offer)) == row.score


def test_the_offers_that_suit_a_person_use_her_diagnostic(pool):
    from tremplin.companies.models import Offer

    farid = pool["people"]["Farid"].job_search
    referent = pool["referent"]
    rows = matching.offers_for_person(farid, Offer.objects.all(), today=TODAY, user=referent)
    assert [row.score for row in rows] == [95]
    assert "permis B exigé, détenu (diagnostic mobilité du 12/02/2024 : permis B) (+10)" in matching.explanation(
        rows[0], rows[0], farid
    )
    without = matching.offers_for_person(farid, Offer.objects.all(), today=TODAY)
    assert [row.score for row in without] == [10]
    assert "diagnostic" not in matching.explanation(without[0], without[0], farid)


@pytest.mark.parametrize(
    "licence,means,expected",
    [
        (LicenceStatus.B, [MeansOfTransport.CAR], (True, True, True)),
        (LicenceStatus.B, [MeansOfTransport.BIKE], (True, False, False)),
        (LicenceStatus.AM, [MeansOfTransport.SCOOTER], (False, True, True)),
        (LicenceStatus.FOREIGN, [MeansOfTransport.CAR], (False, True, False)),
        (LicenceStatus.NONE, [], (False, False, False)),
    ],
)
def test_what_a_diagnostic_says_of_driving(licence, means, expected):
    facts = mobility_facts(held_on=D(2024, 2, 12), licence=licence, means=means)
    assert (facts.licence, facts.vehicle, facts.drives) == expected


def test_the_rows_facts_match_the_python_reading(pool):
    """The SQL annotations (hook.annotate) and the Python reading (mobility_facts) agree on every diagnostic."""
    coordinator = user_with_role(Role.COORDINATOR)
    hook = modules.hook("person_mobility")
    from tremplin.companies.models import JobSearchProfile

    for row in hook.annotate(JobSearchProfile.objects.all(), person="person", user=coordinator):
        facts = hook.facts(row)
        if facts is None:
            assert row.person.first_name == "Hugo"
            continue
        assert (row.mobility_licence, row.mobility_vehicle, row.mobility_drives) == (
            facts.licence,
            facts.vehicle,
            facts.drives,
        )
