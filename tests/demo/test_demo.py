import math
from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone

from tests.factories import OrganizationFactory
from tremplin.accounts.enums import Role
from tremplin.accounts.models import Membership, User
from tremplin.clauses.counting import annotate_counted_hours, explain_operation_hours
from tremplin.clauses.demo.data import EVALUATION_DAYS, HIRE_CONTRACTS, OVERDUE_EVALUATIONS, YEAR_HOURS
from tremplin.clauses.enums import NO_HOURS_BASES, CandidateStatus, EvaluationStatus, LegalBasis, Sector
from tremplin.clauses.models import (
    Candidate,
    CountingConvention,
    GlobalisationAgreement,
    HoursRecord,
    Lot,
    Market,
    Operation,
    Placement,
)
from tremplin.clauses.services import check_employer
from tremplin.core.validators import validate_siret
from tremplin.demo.data import DEMO_PASSWORD, EMAIL_DOMAIN, LEAD_NAME, PEOPLE_COUNT
from tremplin.people.enums import REFUSABLE_FACTS, REFUSED, FactKind, Programme
from tremplin.people.models import FollowUp, Person, SituationFact
from tremplin.plie.demo.data import CONTRACT_MIX
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
CLAUSES_MODELS = (
    Operation,
    CountingConvention,
    GlobalisationAgreement,
    Market,
    Lot,
    Candidate,
    Placement,
    HoursRecord,
)
# The 2023 report's employers by kind (seed 000), with the labels of Organization.company_kind.
EMPLOYERS_2023 = {
    "Bâtiment": 117,
    "Travaux publics": 11,
    "Services": 23,
    "EI/AI/ACI": 11,
    "ESAT": 7,
    "Entreprise adaptée (EA)": 1,
    "ETTI": 8,
    "GEIQ": 1,
}


def run_demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (
            Organization,
            Contact,
            User,
            Membership,
            Person,
            SituationFact,
            FollowUp,
            *PLIE_MODELS,
            *CLAUSES_MODELS,
        )
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

    # People: volume (the registry's, plus the people only followed for clauses), validity, unique
    # contact details, registrations every year.
    people = Person.objects.select_related("commune")
    total = people.count()
    # (The demo covers the three last full years and the current one: early in a year, a quarter fewer journeys.
    # The mobility platform adds about 1,400 beneficiaries, the companies and events module about 700 people.)
    between(total, PEOPLE_COUNT + 3800, PEOPLE_COUNT + 6200, "people")
    for person in people.order_by("pk")[:: total // 60]:
        person.full_clean()
        # The mobility platform serves people from 15; people drawn four years ago at 64 are 68 now.
        assert 15 <= person.age_on(today) <= 68
        assert person.search_text and person.name_key
    assert not people.filter(birth_date__gt=date(today.year - 15, today.month, min(today.day, 28))).exists()
    assert not people.filter(birth_date__lt=date(today.year - 69, 1, 1)).exists()
    emails = list(people.exclude(email="").values_list("email", flat=True))
    phones = list(people.exclude(phone="").values_list("phone", flat=True))
    assert 0.6 * total < len(emails) == len(set(emails)) < 0.8 * total
    assert all(email == email.lower() for email in emails)
    assert 0.85 * total < len(phones) == len(set(phones))
    # 56 % of women in the registry, a quarter among the people placed in clauses (mostly in BTP).
    assert 0.34 < people.filter(sex="F").count() / total < 0.45
    assert 0.90 < people.filter(commune__is_metropole=True).count() / total < 0.96
    assert 0.50 < people.filter(commune__name="Dijon").count() / total < 0.62
    for year in range(today.year - 3, today.year + 1):
        assert people.filter(registered_on__year=year).exists(), year
    assert not people.filter(registered_on__gt=today).exists()

    # Follow-ups: PLIE by the référents' structures, consistent dates (checked in the database: there
    # are thousands).
    plie = FollowUp.objects.filter(programme=Programme.PLIE)
    assert plie.values("person").distinct().count() > 0.6 * PEOPLE_COUNT
    assert not plie.exclude(organization__name__in=REFERENT_STRUCTURES).exists()
    referent_of_structure = Membership.objects.active().filter(
        role=Role.REFERENT, user=OuterRef("referent"), organization=OuterRef("organization")
    )
    assert not plie.exclude(Exists(referent_of_structure)).exists()
    follow_ups = FollowUp.objects.all()
    assert not follow_ups.filter(started_on__lt=F("person__registered_on")).exists()
    assert not follow_ups.filter(Q(ended_on__lt=F("started_on")) | Q(ended_on__gt=today)).exists()
    ended = FollowUp.objects.filter(ended_on__isnull=False).count() / FollowUp.objects.count()
    assert 0.45 < ended < 0.80
    for programme in (Programme.CLAUSES, Programme.MOBILITY, Programme.CITE):
        assert FollowUp.objects.filter(programme=programme, organization=lead).exists()

    # Facts: valid dates and values, QPV in the person's commune.
    facts = SituationFact.objects.all()
    assert not facts.filter(started_on__lt=F("person__birth_date")).exists()
    assert not facts.filter(Q(ended_on__lt=F("started_on")) | Q(ended_on__gt=today)).exists()
    assert not facts.filter(value=REFUSED).exclude(kind__in=REFUSABLE_FACTS).exists()
    qpv_facts = facts.filter(kind=FactKind.QPV_RESIDENCE)
    assert qpv_facts.exists() and not qpv_facts.exclude(qpv__commune=F("person__commune")).exists()
    assert SituationFact.objects.filter(kind=FactKind.WORK_AUTHORISATION).count() == total
    last_year = registry.get("people.qpv_share").evaluate(period=Period.year(today.year - 1))
    assert 0.15 <= last_year.figure.value <= 0.40
    rsa = SituationFact.objects.filter(kind=FactKind.RSA).exclude(value=REFUSED).values("person").distinct().count()
    assert 0.40 < rsa / total < 0.56

    # The summary and the users' table.
    assert f"Personnes : {total:,}".replace(",", " ") in output
    assert f"PLIE en {today.year - 1} : " in output and f"Contrats signés en {today.year - 1} : " in output
    assert "Clauses d'insertion : " in output and f"Clauses en {today.year - 1} : " in output
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
            # Each contract's category is drawn at random: within three standard deviations of the mix.
            expected = 550 * weight / total
            spread = 3 * math.sqrt(expected * (1 - weight / total)) + 1
            between(categories[category], expected - spread, expected + spread, f"{category} in {year}")
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


def test_demo_clauses_have_the_volumes_of_the_2023_report(demo):
    today = timezone.localdate()
    facilitator = User.objects.get(email=f"facilitatrice@{EMAIL_DOMAIN}")
    lead = Organization.objects.get(name=LEAD_NAME)

    # Every full year, as the counting module counts it: hours (432,000, 452,000 then 465,000, ±10 %), 31 %
    # in BTP, about 136 operations of 33 buyers, the report's 179 employers, 1,240 employees (26 % women,
    # 20 % in a QPV), 89 hires.
    for index, year in enumerate(range(today.year - 3, today.year)):
        first, last = date(year, 1, 1), date(year, 12, 31)
        records = HoursRecord.objects.filter(month__range=(first, last))  # counted_hours: kept by counting.py
        hours = records.aggregate(total=Sum("counted_hours"))["total"]
        between(hours, YEAR_HOURS[index] * 0.9, YEAR_HOURS[index] * 1.1, f"counted hours in {year}")
        btp = records.filter(placement__lot__market__operation__sector=Sector.BTP).aggregate(h=Sum("counted_hours"))
        between(btp["h"] / hours, 0.28, 0.34, f"BTP share of hours in {year}")
        counted = records.filter(counted_hours__gt=0)
        operations = Operation.objects.filter(pk__in=counted.values("placement__lot__market__operation"))
        between(operations.count(), 120, 150, f"operations with hours in {year}")
        between(operations.values("buyer").distinct().count(), 30, 33, f"buyers in {year}")
        employers = Counter(
            o.company_kind for o in Organization.objects.filter(pk__in=counted.values("placement__employer"))
        )
        for kind, expected in EMPLOYERS_2023.items():
            between(employers[kind], expected * 0.9 - 1, expected * 1.1 + 1, f"{kind} employers in {year}")
        assert set(employers) <= set(EMPLOYERS_2023), employers
        employees = Person.objects.filter(pk__in=counted.values("placement__person"))
        total = employees.count()
        between(total, 1100, 1450, f"employees in {year}")
        between(employees.filter(sex="F").count() / total, 0.22, 0.30, f"women among employees in {year}")
        qpv = SituationFact.objects.filter(kind=FactKind.QPV_RESIDENCE, started_on__lte=last).exclude(value=REFUSED)
        qpv = qpv.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        between(employees.filter(pk__in=qpv.values("person")).count() / total, 0.15, 0.25, f"QPV share in {year}")
        hires = Placement.objects.filter(started_on__range=(first, last), contract__in=HIRE_CONTRACTS).count()
        between(hires, 80, 100, f"hires in {year}")
    # The same figures through the indicators, when they are registered (CDI equivalences included).
    ids = {indicator.id for indicator in registry}
    if "clauses.hours_realised" in ids:
        figure = registry.get("clauses.hours_realised").evaluate(period=Period.year(today.year - 1)).figure
        between(figure.value, 465_000 * 0.9, 465_000 * 1.1, "clauses.hours_realised")
    if "clauses.employees" in ids:
        figure = registry.get("clauses.employees").evaluate(period=Period.year(today.year - 1)).figure
        between(figure.value, 1100, 1450, "clauses.employees")

    # Structures: 33 buyers; employers with a valid SIRET and their activity or SIAE type.
    assert Organization.objects.filter(kind=OrganizationKind.BUYER).count() == 33
    companies = Organization.objects.filter(kind=OrganizationKind.COMPANY)
    assert not companies.filter(activity="").exists()
    assert not Organization.objects.filter(kind__in=SIRET_REQUIRED, siret="").exists()

    # Operations, conventions, globalisation, markets and lots.
    operations = Operation.objects.all()
    assert set(operations.values_list("sector", flat=True)) == set(Sector.values)
    assert not operations.exclude(facilitator=facilitator).exists()
    assert operations.filter(in_qpv=True).exists() and operations.filter(urban_renewal=True).exists()
    assert operations.filter(started_on__gt=today).exists()  # to come, sized
    between(CountingConvention.objects.count() / operations.count(), 0.8, 0.95, "operations with a convention")
    assert CountingConvention.objects.filter(provenance__contains="Charte départementale").exists()
    assert CountingConvention.objects.filter(subcontracting_hourly_rate__isnull=False).exists()
    assert 1 <= GlobalisationAgreement.objects.count() <= 2
    for agreement in GlobalisationAgreement.objects.all():
        assert agreement.operations.count() >= 2 and agreement.provenance
    assert HoursRecord.objects.filter(worked_on__globalisations__isnull=False).exists()
    lots = Lot.objects.select_related("market__operation")
    bases = Counter(lots.values_list("legal_basis", flat=True))
    assert set(bases) == set(LegalBasis.values)
    assert bases[LegalBasis.EXECUTION_CONDITION] > 0.7 * sum(bases.values())
    for lot in lots:
        assert lot.market.operation.started_on <= lot.started_on <= lot.ended_on <= lot.market.operation.ended_on
        if lot.legal_basis in NO_HOURS_BASES:
            assert lot.planned_hours == 0 and lot.sized_hours is None
        elif lot.planned_hours_reason:
            assert lot.planned_hours != lot.sized_hours
        else:
            assert lot.planned_hours == lot.sized_hours
    assert lots.exclude(planned_hours_reason="").exists()
    assert not HoursRecord.objects.filter(placement__lot__legal_basis__in=NO_HOURS_BASES).exists()
    assert Placement.objects.filter(lot__legal_basis=LegalBasis.INSERTION_MARKET).exists()

    # Candidates: every status; decisions motivated; people of the registry, followed by the facilitator.
    candidates = Candidate.objects.select_related("person", "prescriber")
    statuses = Counter(candidates.values_list("status", flat=True))
    assert set(statuses) == set(CandidateStatus.values)
    assert statuses[CandidateStatus.REFERRED] >= 10 and statuses[CandidateStatus.VALIDATED] >= 300
    assert set(candidates.values_list("prescriber__kind", flat=True)) == {OrganizationKind.PRESCRIBER}
    decided = candidates.exclude(status=CandidateStatus.REFERRED)
    assert not decided.filter(Q(decision_reason="") | Q(decided_by__isnull=True) | Q(interview_on__isnull=True))
    assert not decided.exclude(status=CandidateStatus.REFUSED).filter(Q(eligible_public="") | Q(proof_seen=""))
    assert not candidates.filter(status=CandidateStatus.VALIDATED, jobs_sought__isnull=True).exists()
    assert candidates.filter(status=CandidateStatus.REFERRED, interview_on=today).exists()
    assert not candidates.values("person").annotate(n=Count("pk")).filter(n__gt=1).exists()
    followed = FollowUp.objects.filter(programme=Programme.CLAUSES, organization=lead, referent=facilitator)
    assert not candidates.exclude(person__in=followed.values("person")).exists()
    open_follow_ups = followed.filter(ended_on__isnull=True).values("person")
    assert not candidates.filter(status__in=[CandidateStatus.REFUSED, CandidateStatus.WITHDRAWN]).filter(
        person__in=open_follow_ups
    )

    # Placements: in their lot, through a pool candidacy, by an employer that fits the mode.
    placements = Placement.objects.select_related("lot", "candidate", "employer")
    for placement in placements:
        lot, candidate = placement.lot, placement.candidate
        assert lot.started_on <= placement.started_on <= today and placement.started_on <= lot.ended_on
        assert placement.ended_on is None or placement.started_on <= placement.ended_on <= lot.ended_on
        assert candidate.person_id == placement.person_id
        assert candidate.status in (CandidateStatus.VALIDATED, CandidateStatus.WITHDRAWN)
        assert candidate.interview_on < placement.started_on
        assert not check_employer(mode=placement.mode, employer=placement.employer, contract=placement.contract)
        if placement.evaluation_status == EvaluationStatus.DONE:
            assert placement.started_on <= placement.evaluated_on <= today and placement.evaluation_notes
    # Evaluations to do: the placements of the last weeks, and a few overdue (how many started in the last weeks
    # depends on the day the demo is loaded).
    due = placements.filter(evaluation_status=EvaluationStatus.TO_DO)
    recent = due.filter(started_on__gte=today - timedelta(days=EVALUATION_DAYS[1] + 2))
    between(due.count(), 5, recent.count() + 3 * OVERDUE_EVALUATIONS, "tripartite evaluations to do")
    assert due.exclude(pk__in=recent.values("pk")).exists()  # overdue
    assert set(placements.values_list("mode", flat=True)) >= {"direct_hire", "provision_etti", "subcontracting_ea"}

    # Monthly hours: within the placement's months, never this month or later; the counting module's two
    # ways agree on a few operations.
    this_month = today.replace(day=1)
    records = HoursRecord.objects.select_related("placement")
    assert records.count() > 15_000
    for record in records.order_by("pk")[::50]:
        record.full_clean()
        placement = record.placement
        assert placement.started_on.replace(day=1) <= record.month < this_month
        assert placement.ended_on is None or record.month <= placement.ended_on
    assert records.filter(hours=0, subcontracting_amount__isnull=False).exists()
    assert records.filter(training_hours__gt=0).exists()
    globalised = operations.filter(markets__lots__placements__hours__worked_on__isnull=False).distinct()
    for operation in globalised[:3]:
        explained = explain_operation_hours(operation).records
        annotated = annotate_counted_hours(HoursRecord.objects.filter(placement__lot__market__operation=operation))
        assert sum(r.counted for r in explained if r.record) == annotated.aggregate(t=Sum("computed_hours"))["t"]
        assert not annotated.exclude(counted_hours=F("computed_hours")).exists()  # what the demo stored

    # Valid rows, and a creation history row for each (the monthly records have none: bulk inserts).
    for model in CLAUSES_MODELS:
        for row in model.objects.order_by("pk")[:: max(1, model.objects.count() // 40)]:
            row.full_clean()
        if model is not HoursRecord:
            assert model.history.count() == model.objects.count(), model
    # One creation row per person (the mobility builder then moves some beneficiaries: change rows).
    assert Person.history.filter(history_type="+").count() == Person.objects.count()
    for model in PLIE_MODELS:
        assert model.history.count() == model.objects.count(), model


def test_demo_is_idempotent_reloads_an_incomplete_demo_and_refuses_a_real_database(demo, monkeypatch):
    """One deletion for the three behaviours (a second load would double this module's time): a loaded demo
    is left as it is; an incomplete one (an earlier version's, without PLIE journeys or without clauses) and
    `--reset` are deleted, everything with their history, then built again; a database with a real Creativ'
    is refused. That the reload draws the same data is checked by the next test."""
    import tremplin.clauses.demo
    from tremplin.demo import loader

    before = counts()

    output = run_demo()

    assert counts() == before
    assert "déjà chargées" in output and f"coordination@{EMAIL_DOMAIN}" in output

    built = []

    def build(today):
        # At this point the demo is deleted, its history too: only reference data is left.
        assert all(n == 0 for n in counts().values()), counts()
        for model in (
            Person,
            SituationFact,
            FollowUp,
            *PLIE_MODELS,
            *CLAUSES_MODELS,
            Organization,
            Contact,
            Membership,
        ):
            assert not model.history.exists(), model
        assert not Candidate.jobs_sought.through.objects.exists()
        built.append(today)
        return []

    monkeypatch.setattr(loader, "build_demo", build)
    monkeypatch.setattr(tremplin.clauses.demo, "is_loaded", lambda ctx: False)  # as a version without clauses left it

    output = run_demo()

    assert built == [timezone.localdate()] and "Données de démonstration chargées" in output
    monkeypatch.undo()
    monkeypatch.setattr(loader, "build_demo", build)

    run_demo("--reset")

    assert len(built) == 2
    OrganizationFactory(name=LEAD_NAME, kind=OrganizationKind.LEAD)

    with pytest.raises(CommandError, match="base de démonstration"):
        run_demo()


def test_demo_draws_the_same_data_from_its_seed(demo):
    """What `--reset` relies on to reload the same data, without a second load: two builders on the same
    database draw the same people and the same PLIE timelines (the clauses part draws from its own seeded
    generator and from these)."""
    from tremplin.demo.generator import Generator
    from tremplin.plie.demo.journeys import PlieDemo

    def draw():
        generator = Generator(timezone.localdate())
        plans = [(p.kind, p.oriented_on, p.entry_date, p.exit_date, p.exit_kind) for p in PlieDemo(generator).plan()]
        drafts = [generator.draft(follow_ups=False) for _ in range(40)]
        people = [
            (d.person.public_id, d.person.last_name, d.person.birth_date, d.person.email, d.person.phone, d.facts)
            for d in drafts
        ]
        return plans, people

    assert draw() == draw()


def test_the_demo_report_for_its_last_full_year_is_readable(demo):
    """The activity report of the demo's last full year: every section with figures, the PLIE and clauses key
    figures counted (no « données partielles »), charts drawn. (Its speed is measured by benchmarks/report_speed.py,
    never by a timed test.)"""
    from tremplin.reports.printing import report_html
    from tremplin.reports.registry import Period
    from tremplin.reports.report import build_report

    today = timezone.localdate()
    report = build_report(period=Period.year(today.year - 1), user=None, today=today, with_charts=True)
    by_id = {c.indicator.id: c for c in report.comparisons}
    for indicator_id in (
        "plie.people_accompanied",
        "plie.new_entrants",
        "plie.contracts_signed",
        "clauses.hours_realised",
    ):
        comparison = by_id[indicator_id]
        assert not comparison.partial, f"{indicator_id}: {comparison.partial}"
        assert comparison.value and comparison.previous_value, indicator_id
        assert comparison.change is not None
    between(by_id["plie.people_accompanied"].value, 600, 2000, "people accompanied")
    assert all(section.comparisons for section in report.sections)
    assert any(section.charts for section in report.sections)
    html = report_html(report)
    assert "Rapport d'activité" in html and "non calculable" not in html.split("Chiffres clés", 2)[-1][:2000]
