from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from tests.factories import OrganizationFactory
from tremplin.accounts.enums import Role
from tremplin.accounts.models import Membership, User
from tremplin.core.demo import DEMO_PASSWORD, EMAIL_DOMAIN, LEAD_NAME, PEOPLE_COUNT, delete_demo
from tremplin.core.demo.data import CONTRACT_MIX
from tremplin.core.validators import validate_siret
from tremplin.people.enums import REFUSABLE_FACTS, REFUSED, FactKind, Programme
from tremplin.people.models import FollowUp, Person, SituationFact
from tremplin.plie.enums import (
    OPEN_PATHWAY_STATUSES,
    POSITIVE_EXIT_KINDS,
    POSITIVE_EXIT_OF_RULE,
    AppointmentOutcome,
    Barrier,
    FseMoment,
    OrientationStatus,
    PathwayStatus,
    StepKind,
)
from tremplin.plie.exits import assess_exit
from tremplin.plie.models import (
    BusinessCreation,
    Contract,
    FseQuestionnaire,
    Interview,
    Orientation,
    Pathway,
    Step,
    add_months,
)
from tremplin.reports.registry import Period, registry
from tremplin.structures.enums import SIRET_REQUIRED, OrganizationKind, SiaeType
from tremplin.structures.models import Contact, Organization

REFERENT_STRUCTURES = {
    "Ville de Chenôve",
    "Ville de Quetigny",
    "IRFA",
    "CESAM",
    "APSALC",
    "Mission Locale de Dijon",
    "CMA Côte-d'Or",
}
PLIE_MODELS = (Orientation, Pathway, Step, Interview, Contract, BusinessCreation, FseQuestionnaire)


def run_demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Organization, Contact, User, Membership, Person, SituationFact, FollowUp, *PLIE_MODELS)
    }


def between(value, low, high, what):
    assert low <= value <= high, f"{what}: {value} not in [{low}, {high}]"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for this module (about 15 s) in a transaction rolled back at its end;
    each test runs in a savepoint of it, as usual."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield run_demo()
        transaction.set_rollback(True)


def test_demo_loads_a_dijon_scale_data_set(demo):
    output = demo
    today = timezone.localdate()

    # Structures.
    lead = Organization.objects.get(name=LEAD_NAME)
    assert lead.kind == OrganizationKind.LEAD and lead.commune.name == "Dijon"
    for organization in Organization.objects.all():
        organization.full_clean()
        if organization.kind in SIRET_REQUIRED:
            assert organization.siret
        if organization.siret:
            validate_siret(organization.siret)
    siae_types = set(Organization.objects.filter(kind=OrganizationKind.SIAE).values_list("siae_type", flat=True))
    assert siae_types == set(SiaeType.values)
    assert Organization.objects.filter(kind=OrganizationKind.COMPANY).count() >= 3
    assert not Organization.objects.annotate(n=Count("contacts")).filter(n=0).exists()
    for contact in Contact.objects.all():
        contact.full_clean()

    # Users: 11 référents in 7 structures, one user per role, the superuser.
    referents = Membership.objects.active().filter(role=Role.REFERENT)
    assert referents.values("user").distinct().count() == 11
    assert set(referents.values_list("organization__name", flat=True)) == REFERENT_STRUCTURES
    assert set(referents.values_list("organization__kind", flat=True)) == {OrganizationKind.OPERATOR}
    for role in Role.values:
        assert Membership.objects.active().filter(role=role, user__email__endswith="@" + EMAIL_DOMAIN).exists(), role
    admin = User.objects.get(email=f"admin@{EMAIL_DOMAIN}")
    assert admin.is_superuser and admin.is_staff and Role.COORDINATOR in admin.roles
    assert admin.check_password(DEMO_PASSWORD)
    assert not User.objects.exclude(email__endswith="@" + EMAIL_DOMAIN).exists()

    # People: volume, validity, unique contact details, registrations every year.
    people = Person.objects.select_related("commune")
    assert people.count() == PEOPLE_COUNT
    for person in people.order_by("pk")[:: PEOPLE_COUNT // 50]:
        person.full_clean()
        assert 16 <= person.age_on(today) <= 64
        assert person.search_text and person.name_key
    assert not people.filter(birth_date__gt=date(today.year - 16, today.month, min(today.day, 28))).exists()
    assert not people.filter(birth_date__lt=date(today.year - 65, 1, 1)).exists()
    emails = list(people.exclude(email="").values_list("email", flat=True))
    phones = list(people.exclude(phone="").values_list("phone", flat=True))
    assert 0.6 * PEOPLE_COUNT < len(emails) == len(set(emails)) < 0.8 * PEOPLE_COUNT
    assert all(email == email.lower() for email in emails)
    assert 0.85 * PEOPLE_COUNT < len(phones) == len(set(phones))
    assert 0.50 < people.filter(sex="F").count() / PEOPLE_COUNT < 0.62
    assert 0.90 < people.filter(commune__is_metropole=True).count() / PEOPLE_COUNT < 0.96
    assert 0.50 < people.filter(commune__name="Dijon").count() / PEOPLE_COUNT < 0.62
    for year in range(today.year - 3, today.year + 1):
        assert people.filter(registered_on__year=year).exists(), year
    assert not people.filter(registered_on__gt=today).exists()

    # Follow-ups: PLIE by the référents' structures, consistent dates.
    plie = FollowUp.objects.filter(programme=Programme.PLIE).select_related("person", "referent")
    assert plie.values("person").distinct().count() > 0.7 * PEOPLE_COUNT
    for follow_up in plie:
        assert follow_up.organization.name in REFERENT_STRUCTURES
        assert follow_up.organization_id in follow_up.referent.organization_ids(Role.REFERENT)
    for follow_up in FollowUp.objects.select_related("person"):
        assert follow_up.started_on >= follow_up.person.registered_on
        assert follow_up.ended_on is None or follow_up.started_on <= follow_up.ended_on <= today
    ended = FollowUp.objects.filter(ended_on__isnull=False).count() / FollowUp.objects.count()
    assert 0.45 < ended < 0.75
    for programme in (Programme.CLAUSES, Programme.MOBILITY, Programme.CITE):
        assert FollowUp.objects.filter(programme=programme, organization=lead).exists()

    # Facts: valid dates and values, QPV in the person's commune.
    for fact in SituationFact.objects.select_related("person", "qpv"):
        assert fact.started_on >= fact.person.birth_date
        assert fact.ended_on is None or fact.started_on <= fact.ended_on <= today
        if fact.value == REFUSED:
            assert fact.kind in REFUSABLE_FACTS
        if fact.kind == FactKind.QPV_RESIDENCE:
            assert fact.qpv.commune_id == fact.person.commune_id
    assert SituationFact.objects.filter(kind=FactKind.WORK_AUTHORISATION).count() == PEOPLE_COUNT
    last_year = registry.get("people.qpv_share").evaluate(period=Period.year(today.year - 1))
    assert 0.15 <= last_year.figure.value <= 0.40
    rsa = SituationFact.objects.filter(kind=FactKind.RSA).exclude(value=REFUSED).values("person").distinct().count()
    assert 0.40 < rsa / PEOPLE_COUNT < 0.56

    # The summary and the users' table.
    assert f"Personnes : {PEOPLE_COUNT:,}".replace(",", " ") in output
    assert f"PLIE en {today.year - 1} : " in output and f"Contrats signés en {today.year - 1} : " in output
    assert f"admin@{EMAIL_DOMAIN}" in output and f"referente.irfa@{EMAIL_DOMAIN}" in output
    assert DEMO_PASSWORD in output


def test_demo_plie_journeys_have_the_volumes_of_the_2023_report(demo):
    today = timezone.localdate()
    pathways = Pathway.objects.all()

    for year in range(today.year - 3, today.year):
        start, end = date(year, 1, 1), date(year, 12, 31)
        accompanied = pathways.active_during(start, end)
        between(accompanied.values("person").distinct().count(), 1000, 1150, f"accompanied in {year}")
        between(pathways.filter(entry_date__range=(start, end)).count(), 400, 440, f"entries in {year}")
        exits = pathways.exited_during(start, end)
        positive = exits.filter(exit_kind__in=POSITIVE_EXIT_KINDS).count()
        between(positive / exits.count(), 0.42, 0.48, f"positive-exit rate in {year}")
        contracts = Contract.objects.filter(pathway__in=accompanied, started_on__range=(start, end))
        between(contracts.count(), 520, 580, f"contracts in {year}")
        categories = Counter(c.report_category for c in contracts)
        total = sum(CONTRACT_MIX.values())
        for category, weight in CONTRACT_MIX.items():
            expected = 550 * weight / total
            between(categories[category], expected * 0.85 - 2, expected * 1.15 + 2, f"{category} in {year}")
        supports = Step.objects.filter(
            pathway__in=accompanied, kind=StepKind.SPECIFIC_SUPPORT, started_on__range=(start, end)
        )
        between(supports.count(), 310, 340, f"specific supports in {year}")
        health = supports.filter(barrier=Barrier.HEALTH).count() / supports.count()
        between(health, 0.24, 0.38, f"health share in {year}")
    # The same figures through the indicators, when they are registered.
    ids = {indicator.id for indicator in registry}
    if "plie.new_entrants" in ids:
        figure = registry.get("plie.new_entrants").evaluate(period=Period.year(today.year - 1)).figure
        between(figure.value, 400, 440, "plie.new_entrants")

    # Orientations: one for each pathway; over the period, ~10 % without entry, ~5 % missed first appointments.
    orientations = Orientation.objects.all()
    assert not pathways.filter(orientation__isnull=True).exists()
    not_entered = orientations.filter(pathways__isnull=True)
    window = orientations.filter(oriented_on__gte=date(today.year - 3, 1, 1))
    between(window.filter(pathways__isnull=True).count() / window.count(), 0.07, 0.13, "oriented, not entered")
    missed = window.filter(appointment_outcome=AppointmentOutcome.ABSENT).count() / window.count()
    between(missed, 0.03, 0.08, "missed first appointments")
    assert orientations.filter(outreach_on__isnull=False).exists()
    assert orientations.missed_first_appointment().exists()  # the aller-vers list
    assert not_entered.filter(status=OrientationStatus.NOT_ENTERED).exists()
    assert pathways.filter(status=PathwayStatus.ENTRY_PROPOSED).exists()
    assert pathways.filter(status=PathwayStatus.EXIT_PROPOSED).exists()
    assert pathways.filter(status=PathwayStatus.ENTRY_REFUSED).exists()

    # Pathways follow their PLIE follow-ups: structure, référent, entry, exit.
    plie_follow_ups = {}
    for follow_up in FollowUp.objects.filter(programme=Programme.PLIE).order_by("started_on"):
        plie_follow_ups.setdefault(follow_up.person_id, []).append(follow_up)
    entered = pathways.entered().select_related("person", "orientation")
    for pathway in entered:
        follow_ups = plie_follow_ups[pathway.person_id]
        first, last = follow_ups[0], follow_ups[-1]
        assert first.started_on == pathway.entry_date
        assert (first.organization_id, first.referent_id) == (
            pathway.proposed_organization_id,
            pathway.proposed_referent_id,
        )
        if pathway.status == PathwayStatus.EXITED:
            assert last.ended_on == pathway.exit_date
        else:
            assert last.ended_on is None
        assert pathway.orientation.oriented_on <= pathway.entry_proposed_on <= pathway.entry_date
        assert pathway.orientation.status == OrientationStatus.ENTERED
        assert pathway.exit_date is None or pathway.entry_date <= pathway.exit_date <= today
    assert (
        not pathways.filter(status__in=OPEN_PATHWAY_STATUSES).values("person").annotate(n=Count("pk")).filter(n__gt=1)
    )

    # Every positive exit is confirmed by the rule engine on the exit date, with its criterion;
    # the other exits meet none.
    exited = entered.filter(exit_date__isnull=False).prefetch_related("contracts", "steps", "businesses")
    positives = 0
    for pathway in exited:
        assessment = assess_exit(pathway, pathway.exit_date)
        if pathway.exit_kind in POSITIVE_EXIT_KINDS:
            positives += 1
            met = [o.rule for o in assessment.outcomes if o.met]
            assert pathway.exit_rule in met, (pathway.pk, pathway.exit_kind, assessment.summary)
            assert POSITIVE_EXIT_OF_RULE[pathway.exit_rule] == pathway.exit_kind
        else:
            assert not assessment.met, (pathway.pk, pathway.exit_kind, assessment.summary)
            assert pathway.exit_explanation
    assert positives > 500
    assert {p.exit_kind for p in exited} >= POSITIVE_EXIT_KINDS

    # Étapes, entretiens, contracts: consistent and valid.
    steps = Step.objects.all()
    assert steps.filter(kind=StepKind.DIAGNOSTIC).values("pathway").distinct().count() == entered.count()
    assert steps.filter(kind=StepKind.IMMERSION).exists()
    trainings = steps.filter(kind__in=[StepKind.TRAINING_QUALIFYING, StepKind.TRAINING_CERTIFYING])
    assert trainings.filter(certification_obtained=True).exists()
    assert trainings.filter(certification_obtained=False).exists()
    assert Interview.objects.values("pathway").distinct().count() == entered.count()
    for interview in Interview.objects.select_related("author").order_by("pk")[::500]:
        assert interview.organization_id in interview.author.organization_ids(Role.REFERENT)
    for model in (Step, Interview, Contract, Orientation, FseQuestionnaire, Pathway):
        for record in model.objects.order_by("pk")[::97]:
            record.full_clean()
    assert not Contract.objects.filter(started_on__gt=today).exists()
    assert BusinessCreation.objects.exists()

    # FSE+: an entry questionnaire for most, some overdue; 6-month questionnaires still to collect.
    questionnaires = FseQuestionnaire.objects.all()
    with_entry = questionnaires.filter(moment=FseMoment.ENTRY).count()
    between(with_entry / entered.count(), 0.85, 0.98, "entry questionnaires")
    overdue = (
        pathways.filter(status=PathwayStatus.ACTIVE, entry_date__lt=today - timedelta(days=28))
        .exclude(fse_questionnaires__moment=FseMoment.ENTRY)
        .count()
    )
    assert overdue > 0
    due = [
        p
        for p in pathways.filter(status=PathwayStatus.EXITED, exit_date__gte=today - timedelta(days=7 * 31))
        if add_months(p.exit_date, 5) <= today <= add_months(p.exit_date, 7)
    ]
    without = [p for p in due if not p.fse_questionnaires.filter(moment=FseMoment.SIX_MONTHS).exists()]
    assert len(without) > 10
    assert questionnaires.filter(moment=FseMoment.SIX_MONTHS).count() > 500
    assert not questionnaires.filter(collected_on__gt=today).exists()


def test_demo_is_idempotent_and_reset_reloads_the_same_data(demo):
    before = counts()
    people = set(Person.objects.values_list("last_name", "first_name", "birth_date", "email"))
    journeys = set(Pathway.objects.values_list("person__last_name", "entry_date", "exit_date", "exit_kind", "status"))

    output = run_demo()

    assert counts() == before
    assert "déjà chargées" in output and f"coordination@{EMAIL_DOMAIN}" in output

    run_demo("--reset")

    assert counts() == before
    assert set(Person.objects.values_list("last_name", "first_name", "birth_date", "email")) == people
    assert (
        set(Pathway.objects.values_list("person__last_name", "entry_date", "exit_date", "exit_kind", "status"))
        == journeys
    )
    assert Person.history.count() == PEOPLE_COUNT
    for model in PLIE_MODELS:
        assert model.history.count() == model.objects.count(), model


def test_a_demo_loaded_without_plie_journeys_is_reloaded(demo, monkeypatch):
    from django.db.models import Q

    from tremplin.core.demo import generator

    monkeypatch.setattr(generator, "_demo_pathways", lambda: Q(pk__in=[]))  # as an earlier version left it
    built = []
    monkeypatch.setattr(generator._Builder, "build", lambda builder: built.append(builder.today))

    output = run_demo()

    assert built == [timezone.localdate()] and "Données de démonstration chargées" in output


def test_demo_refuses_a_real_database(demo):
    delete_demo()
    assert not Person.objects.exists() and not Pathway.objects.exists() and not Organization.objects.exists()
    assert not Pathway.history.exists() and not Interview.history.exists()
    OrganizationFactory(name=LEAD_NAME, kind=OrganizationKind.LEAD)

    with pytest.raises(CommandError, match="base de démonstration"):
        run_demo()
