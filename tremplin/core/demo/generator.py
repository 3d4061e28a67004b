"""The demo data set: Dijon-scale structures, users and people, deterministic and idempotent.

Everything is drawn from one seeded `random.Random` and one seeded Faker, so two loads on the same
day give the same data. Rows are written with bulk_create (with a creation history row for
audited models): save() is bypassed, so the fields it derives are set here.
"""

import random
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from time import monotonic

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count, ProtectedError, Q, Sum
from django.test.utils import override_settings
from django.utils import timezone
from faker import Faker
from simple_history.utils import bulk_create_with_history

from tremplin.accounts.enums import Role
from tremplin.accounts.models import Membership, User
from tremplin.clauses.counting import refresh_counted_hours
from tremplin.clauses.enums import CandidateStatus, EvaluationStatus, Sector
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
from tremplin.core.demo.clauses import HIRE_CONTRACTS, ClausesDemo
from tremplin.core.demo.data import (
    ADMIN_EMAIL,
    ALL_USERS,
    COMMUNE_WEIGHTS,
    CONTACT_TITLES,
    DEMO_PASSWORD,
    EMAIL_DOMAIN,
    FRANCE_TRAVAIL_KEYS,
    LANDLINE_PREFIX,
    LEAD_NAME,
    MOBILE_PREFIX,
    OPERATOR_WEIGHTS,
    ORGANIZATIONS,
    OUTSIDE_METROPOLE_SHARE,
    PEOPLE_COUNT,
    PERSON_EMAIL_DOMAINS,
    POSTCODES,
    QPV_SHARE,
    QPV_STREETS,
    SEED,
    STREETS,
    VILLAGE_STREETS,
    OrgSpec,
    UserSpec,
)
from tremplin.core.demo.plie import Plan, PlieDemo
from tremplin.core.text import fold
from tremplin.core.validators import luhn_ok
from tremplin.people.enums import REFUSED, YES, EducationLevel, FactKind, Programme, Sex, WorkAuthorisation
from tremplin.people.models import FollowUp, Person, SituationFact
from tremplin.plie.enums import POSITIVE_EXIT_KINDS, PathwayStatus, ReportCategory, StepKind
from tremplin.plie.models import (
    BusinessCreation,
    Contract,
    FseQuestionnaire,
    Interview,
    Orientation,
    Pathway,
    Step,
    report_category,
)
from tremplin.structures.enums import OrganizationKind
from tremplin.structures.models import Contact, Organization
from tremplin.territory.models import Commune, Qpv

CHENOVE, QUETIGNY, DIJON = "21166", "21515", "21231"
KIND_LABELS = {
    OrganizationKind.LEAD: "porteuse",
    OrganizationKind.OPERATOR: "opérateurs",
    OrganizationKind.PRESCRIBER: "prescripteurs",
    OrganizationKind.SIAE: "SIAE",
    OrganizationKind.COMPANY: "entreprises",
    OrganizationKind.BUYER: "donneurs d'ordre",
    OrganizationKind.FUNDER: "financeurs",
}
EDUCATION_WEIGHTS = {
    EducationLevel.NONE: 38,
    EducationLevel.LEVEL_3: 34,
    EducationLevel.LEVEL_4: 17,
    EducationLevel.LEVEL_5: 6,
    EducationLevel.LEVEL_6: 3,
    EducationLevel.LEVEL_7: 1.7,
    EducationLevel.LEVEL_8: 0.3,
}


class DemoError(Exception):
    """The demo cannot be loaded (message in French, for the command line)."""


@dataclass
class DemoUser:
    email: str
    name: str
    role: str
    structure: str


@dataclass
class DemoReport:
    created: bool
    users: list[DemoUser]
    summary: list[str] = field(default_factory=list)
    seconds: float = 0.0
    password: str = DEMO_PASSWORD


# --- Public entry points -------------------------------------------------------------------------


def _demo_present() -> bool:
    """Whether the demo is loaded (its lead structure exists); refuses a database with a real Creativ'."""
    lead = Organization.objects.filter(name=LEAD_NAME, kind=OrganizationKind.LEAD).first()
    if lead is None:
        return False
    if not (lead.email.endswith(EMAIL_DOMAIN) or User.objects.filter(email=ADMIN_EMAIL).exists()):
        raise DemoError(
            f"La structure « {LEAD_NAME} » existe déjà et ne vient pas du jeu de démonstration : "
            "la commande demo ne s'utilise que sur une base de démonstration."
        )
    return True


def load_demo(*, reset: bool = False, today: date | None = None) -> DemoReport:
    """Load the demo unless it is there already; with reset, delete it first and reload it.

    A demo loaded by an earlier version, without PLIE journeys or without clauses, is reloaded."""
    started = monotonic()
    today = today or timezone.localdate()
    with transaction.atomic():
        if _demo_present() and not reset and _demo_complete():
            return DemoReport(created=False, users=demo_users())
        # Also clears what a partly deleted demo left behind (users, structures).
        delete_demo()
        _Builder(today).build()
        # The monthly records are bulk inserted: their counted hours are set by the counting module at once.
        refresh_counted_hours()
        _analyze()
    return DemoReport(created=True, users=demo_users(), summary=summary(today), seconds=monotonic() - started)


def _analyze() -> None:
    """Refresh PostgreSQL's statistics after the bulk load, so that the planner sizes the new tables from
    their rows (autovacuum would do it later, and never inside the transaction of a test)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _demo_complete() -> bool:
    """Whether the loaded demo has what this version builds: PLIE journeys and clauses operations."""
    return Pathway.objects.filter(_demo_pathways()).exists() and Operation.objects.filter(_demo_operations()).exists()


def delete_demo() -> None:
    """Delete the demo's structures, users and the people they follow or created, with their history."""
    user_ids = list(User.objects.filter(email__iendswith="@" + EMAIL_DOMAIN).values_list("pk", flat=True))
    org_ids = list(Organization.objects.filter(_demo_organizations()).values_list("pk", flat=True))
    person_ids = list(
        Person.objects.filter(Q(created_by__in=user_ids) | Q(follow_ups__organization__in=org_ids))
        .values_list("pk", flat=True)
        .distinct()
    )
    pathway_ids = list(Pathway.objects.filter(person__in=person_ids).values_list("pk", flat=True))
    # Clauses: the operations of the demo's buyers, and whatever refers to its people and structures.
    operation_ids = list(
        Operation.objects.filter(Q(buyer__in=org_ids) | Q(owner__in=org_ids)).values_list("pk", flat=True)
    )
    lot_ids = list(Lot.objects.filter(market__operation__in=operation_ids).values_list("pk", flat=True))
    placement_ids = list(
        Placement.objects.filter(Q(lot__in=lot_ids) | Q(person__in=person_ids) | Q(employer__in=org_ids))
        .values_list("pk", flat=True)
        .distinct()
    )
    candidate_ids = list(
        Candidate.objects.filter(Q(person__in=person_ids) | Q(prescriber__in=org_ids)).values_list("pk", flat=True)
    )
    agreement_ids = list(
        GlobalisationAgreement.objects.filter(operations__in=operation_ids).values_list("pk", flat=True).distinct()
    )
    # The demo's history goes with it: no "deleted" rows are written, the existing ones are removed.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        try:
            records = HoursRecord.objects.filter(Q(placement__in=placement_ids) | Q(worked_on__in=operation_ids))
            records._raw_delete(records.db)  # tens of thousands of rows, nothing refers to them: no collector
            Placement.objects.filter(pk__in=placement_ids).delete()
            Candidate.objects.filter(pk__in=candidate_ids).delete()
            GlobalisationAgreement.objects.filter(pk__in=agreement_ids).delete()
            Operation.objects.filter(pk__in=operation_ids).delete()  # with conventions, markets and lots
            for model in (Step, Interview, Contract, BusinessCreation, FseQuestionnaire):
                model.objects.filter(pathway__in=pathway_ids).delete()
            Pathway.objects.filter(pk__in=pathway_ids).delete()
            Orientation.objects.filter(person__in=person_ids).delete()
            Person.objects.filter(pk__in=person_ids).delete()
            Membership.objects.filter(Q(user__in=user_ids) | Q(organization__in=org_ids)).delete()
            Organization.objects.filter(pk__in=org_ids).delete()
            User.objects.filter(pk__in=user_ids).delete()
        except ProtectedError as e:
            blocking = sorted({obj._meta.verbose_name for obj in e.protected_objects})
            raise DemoError(
                "Impossible de supprimer les données de démonstration : d'autres données y font référence "
                f"({', '.join(blocking)})."
            ) from e
    HoursRecord.history.model.objects.filter(placement_id__in=placement_ids).delete()
    Placement.history.model.objects.filter(id__in=placement_ids).delete()
    Candidate.history.model.objects.filter(id__in=candidate_ids).delete()
    GlobalisationAgreement.history.model.objects.filter(id__in=agreement_ids).delete()
    Lot.history.model.objects.filter(id__in=lot_ids).delete()
    for model in (CountingConvention, Market):
        model.history.model.objects.filter(operation_id__in=operation_ids).delete()
    Operation.history.model.objects.filter(id__in=operation_ids).delete()
    for model in (Step, Interview, Contract, BusinessCreation, FseQuestionnaire):
        model.history.model.objects.filter(pathway_id__in=pathway_ids).delete()
    Pathway.history.model.objects.filter(id__in=pathway_ids).delete()
    Orientation.history.model.objects.filter(person_id__in=person_ids).delete()
    Person.history.model.objects.filter(id__in=person_ids).delete()
    SituationFact.history.model.objects.filter(person_id__in=person_ids).delete()
    FollowUp.history.model.objects.filter(person_id__in=person_ids).delete()
    Membership.history.model.objects.filter(Q(user_id__in=user_ids) | Q(organization_id__in=org_ids)).delete()
    Contact.history.model.objects.filter(organization_id__in=org_ids).delete()
    Organization.history.model.objects.filter(id__in=org_ids).delete()


def demo_users() -> list[DemoUser]:
    """The demo users, in the order of the data set, with their active roles."""
    order = {f"{spec.local}@{EMAIL_DOMAIN}": index for index, spec in enumerate(ALL_USERS)}
    users = User.objects.filter(email__iendswith="@" + EMAIL_DOMAIN)
    memberships = defaultdict(list)
    for membership in Membership.objects.active().filter(user__in=users).select_related("organization"):
        memberships[membership.user_id].append(membership)
    rows = []
    for user in sorted(users, key=lambda u: (order.get(u.email, len(order)), u.email)):
        roles = [m.get_role_display() for m in memberships[user.pk]]
        if user.is_superuser:
            roles.insert(0, "Superutilisateur·rice")
        structures = sorted({m.organization.name for m in memberships[user.pk]})
        rows.append(
            DemoUser(
                email=user.email,
                name=user.get_full_name(),
                role=" + ".join(roles) or "aucun rôle",
                structure=", ".join(structures) or "—",
            )
        )
    return rows


def summary(today: date) -> list[str]:
    """French lines describing the volumes of the data set."""
    kinds = dict(Organization.objects.values_list("kind").annotate(n=Count("pk")).order_by())
    people = Person.objects.all()
    total = people.count()
    women = people.filter(sex=Sex.WOMAN).count()
    metropole = people.filter(commune__is_metropole=True).count()
    by_year = dict(people.values_list("registered_on__year").annotate(n=Count("pk")).order_by("registered_on__year"))
    follow_ups = FollowUp.objects.all()
    by_programme = dict(follow_ups.values_list("programme").annotate(n=Count("pk")).order_by())
    facts = SituationFact.objects.all()

    def share_of(kind, **extra):
        n = facts.filter(kind=kind, **extra).exclude(value=REFUSED).values("person").distinct().count()
        return _percent(n, total)

    low_levels = [EducationLevel.NONE, EducationLevel.LEVEL_3]
    with_level = facts.filter(kind=FactKind.EDUCATION_LEVEL).exclude(value=REFUSED)
    referents = Membership.objects.active().filter(role=Role.REFERENT)
    lines = [
        f"Structures : {_n(sum(kinds.values()))} ("
        + ", ".join(f"{label} : {kinds[kind]}" for kind, label in KIND_LABELS.items() if kind in kinds)
        + ")",
        f"Contacts : {_n(Contact.objects.count())}",
        f"Utilisateurs de démonstration : {User.objects.filter(email__iendswith='@' + EMAIL_DOMAIN).count()}, "
        f"dont {referents.values('user').distinct().count()} référent·es dans "
        f"{referents.values('organization').distinct().count()} structures",
        f"Personnes : {_n(total)} (femmes {_percent(women, total)}, Dijon Métropole {_percent(metropole, total)})",
        "Inscriptions par année : " + ", ".join(f"{year} : {_n(n)}" for year, n in by_year.items()),
        f"Suivis : {_n(sum(by_programme.values()))}, dont {_n(follow_ups.open().count())} en cours ("
        + ", ".join(
            f"{label} : {_n(by_programme[value])}" for value, label in Programme.choices if value in by_programme
        )
        + ")",
        f"Faits de situation : {_n(facts.count())} (RSA {share_of(FactKind.RSA)}, "
        f"QPV {share_of(FactKind.QPV_RESIDENCE)}, RQTH {share_of(FactKind.RQTH)}, "
        f"niveau ≤ 3 : {_percent(with_level.filter(value__in=low_levels).count(), with_level.count())} "
        "des niveaux connus)",
    ]
    return lines + plie_summary(today) + clauses_summary(today)


def plie_summary(today: date) -> list[str]:
    """French lines on the PLIE journeys: the last full year, as the activity report counts them."""
    year = today.year - 1
    start, end = date(year, 1, 1), date(year, 12, 31)
    pathways = Pathway.objects.all()
    accompanied = pathways.active_during(start, end)
    exits = pathways.exited_during(start, end)
    positive = exits.filter(exit_kind__in=POSITIVE_EXIT_KINDS).count()
    contracts = Contract.objects.filter(pathway__in=accompanied, started_on__range=(start, end))
    categories = Counter(
        report_category(c.contract_type, c.employer_kind, c.started_on, c.planned_or_actual_end) for c in contracts
    )
    supports = Step.objects.filter(
        pathway__in=accompanied, kind=StepKind.SPECIFIC_SUPPORT, started_on__range=(start, end)
    )
    orientations = Orientation.objects.all()
    return [
        f"PLIE : {_n(pathways.entered().count())} parcours, dont {_n(pathways.open().count())} en cours "
        f"({_n(pathways.filter(status=PathwayStatus.ENTRY_PROPOSED).count())} entrées et "
        f"{_n(pathways.filter(status=PathwayStatus.EXIT_PROPOSED).count())} sorties à valider en cellule) ; "
        f"{_n(orientations.count())} orientations, dont "
        f"{_n(orientations.filter(pathways__isnull=True).count())} sans entrée",
        f"PLIE en {year} : {_n(accompanied.values('person').distinct().count())} personnes accompagnées, "
        f"{_n(pathways.filter(entry_date__range=(start, end)).count())} entrées, "
        f"{_n(exits.count())} sorties dont {_percent(positive, exits.count())} positives, "
        f"{_n(supports.count())} accompagnements spécifiques",
        f"Contrats signés en {year} : {_n(sum(categories.values()))} ("
        + ", ".join(
            f"{label.lower()} : {categories[value]}" for value, label in ReportCategory.choices if categories[value]
        )
        + ")",
        f"Entretiens : {_n(Interview.objects.count())} ; questionnaires FSE+ : {_n(FseQuestionnaire.objects.count())}",
    ]


def clauses_summary(today: date) -> list[str]:
    """French lines on the clauses d'insertion: the volumes, and the last full year as the counting module
    counts it (monthly records; the CDI equivalences of a few conventions left aside)."""
    year = today.year - 1
    first, last = date(year, 1, 1), date(year, 12, 31)
    records = HoursRecord.objects.filter(month__range=(first, last))
    sectors = dict(records.values_list("placement__lot__market__operation__sector").annotate(h=Sum("counted_hours")))
    hours = sum(sectors.values()) or 0
    counted = records.filter(counted_hours__gt=0)
    employees = Person.objects.filter(pk__in=counted.values("placement__person"))
    qpv_facts = (
        SituationFact.objects.filter(kind=FactKind.QPV_RESIDENCE, started_on__lte=last)
        .exclude(value=REFUSED)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
    )
    total = employees.count()
    women = employees.filter(sex=Sex.WOMAN).count()
    qpv = employees.filter(pk__in=qpv_facts.values("person")).count()
    operations = Operation.objects.filter(pk__in=counted.values("placement__lot__market__operation"))
    buyers = operations.values("buyer").distinct().count()
    employers = Organization.objects.filter(pk__in=counted.values("placement__employer")).count()
    hires = Placement.objects.filter(started_on__range=(first, last), contract__in=HIRE_CONTRACTS).count()
    candidates = dict(Candidate.objects.values_list("status").annotate(n=Count("pk")).order_by())
    due = Placement.objects.filter(evaluation_status=EvaluationStatus.TO_DO).count()
    btp, services = sectors.get(Sector.BTP) or 0, sectors.get(Sector.SERVICES) or 0
    return [
        f"Clauses d'insertion : {_n(Operation.objects.count())} opérations, {_n(Lot.objects.count())} lots, "
        f"{_n(Placement.objects.count())} mises en emploi, {_n(HoursRecord.objects.count())} relevés d'heures ; "
        f"{_n(sum(candidates.values()))} candidatures, dont {_n(candidates.get(CandidateStatus.VALIDATED, 0))} "
        f"au vivier et {_n(candidates.get(CandidateStatus.REFERRED, 0))} à recevoir ; {_n(due)} évaluations "
        "tripartites à faire",
        f"Clauses en {year} : {_n(round(hours))} heures comptées (BTP {_percent(btp, hours)}, services "
        f"{_percent(services, hours)}), {_n(operations.count())} opérations de {buyers} donneurs d'ordre, "
        f"{employers} employeurs, {_n(total)} salarié·es (femmes {_percent(women, total)}, QPV "
        f"{_percent(qpv, total)}), {hires} embauches",
    ]


def demo_siret(index: int) -> str:
    """A valid SIRET (Luhn on the SIREN and on the SIRET), derived from index."""
    siren_base = f"{(21_000_000 + index * 104_729) % 10**8:08d}"
    siren = next(siren_base + str(d) for d in range(10) if luhn_ok(siren_base + str(d)))
    nic_base = f"{siren}000{index % 9 + 1}"
    return next(nic_base + str(d) for d in range(10) if luhn_ok(nic_base + str(d)))


def _demo_organizations() -> Q:
    sirets = [demo_siret(index) for index, spec in enumerate(ORGANIZATIONS) if spec.has_siret]
    return Q(email__iendswith="." + EMAIL_DOMAIN) | Q(siret__in=sirets)


def _demo_pathways() -> Q:
    return Q(proposed_organization__in=Organization.objects.filter(_demo_organizations()))


def _demo_operations() -> Q:
    return Q(buyer__in=Organization.objects.filter(_demo_organizations()))


def _n(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "—"


# --- The builder ---------------------------------------------------------------------------------


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class _Draft:
    """A person being built, with what decides their facts and follow-ups."""

    person: Person
    age: int  # at registration
    in_qpv: bool = False
    facts: list[dict] = field(default_factory=list)
    follow_ups: list[dict] = field(default_factory=list)
    plan: Plan | None = None  # the PLIE orientation and pathway, for the people oriented to the PLIE
    plie_follow_ups: list[dict] = field(default_factory=list)
    plie_prescriber: Organization | None = None


class _Builder:
    def __init__(self, today: date):
        self.today = today
        self.start = date(today.year - 3, 1, 1)
        self.rng = random.Random(SEED)
        self.fake = Faker("fr_FR")
        self.fake.seed_instance(SEED)
        self.communes = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=COMMUNE_WEIGHTS)}
        missing = sorted(set(COMMUNE_WEIGHTS) - set(self.communes))
        if missing:
            raise DemoError(
                f"Communes de référence absentes ({', '.join(missing)}) : lancez d'abord « manage.py migrate »."
            )
        self.metropole_codes = [code for code in COMMUNE_WEIGHTS if self.communes[code].is_metropole]
        self.outside_codes = [code for code in COMMUNE_WEIGHTS if not self.communes[code].is_metropole]
        self.qpvs = defaultdict(list)
        for qpv in Qpv.objects.filter(commune__insee_code__in=QPV_SHARE).select_related("commune").order_by("pk"):
            self.qpvs[qpv.commune.insee_code].append(qpv)
        # Phones and e-mails stay unique, including against people already in the database.
        self.phones = set(Person.objects.exclude(phone="").values_list("phone", flat=True))
        self.emails = set(Person.objects.exclude(email="").values_list("email", flat=True))
        self.organizations: dict[str, Organization] = {}
        self.users: dict[str, User] = {}
        self.referents: dict[str, list[User]] = defaultdict(list)
        self.plie = PlieDemo(self)
        self.clauses = ClausesDemo(self)

    def build(self) -> None:
        self._create_users()
        self._create_organizations()
        self._create_memberships()
        drafts = self._create_people()
        self.plie.build(drafts)
        self.clauses.build(drafts)

    # Helpers ------------------------------------------------------------------------------------

    def _day_between(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def _workday(self, day: date) -> date:
        """The day itself on weekdays; else the next Monday, or the Friday before when Monday is to come."""
        if day.weekday() < 5:
            return day
        monday = day + timedelta(days=7 - day.weekday())
        if monday <= self.today:
            return monday
        friday = day - timedelta(days=day.weekday() - 4)
        return friday if friday >= self.start else day

    def _moment(self, day: date) -> datetime:
        """An office-hours time on that day, for history rows."""
        return timezone.make_aware(datetime.combine(day, time(self.rng.randint(8, 17), self.rng.randint(0, 59))))

    def _phone(self, prefix: str) -> str:
        while True:
            phone = f"{prefix}{self.rng.randrange(10_000):04d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def _first_name(self, sex: str) -> str:
        if sex == Sex.WOMAN or (sex == Sex.NON_BINARY and self.rng.random() < 0.5):
            return self.fake.first_name_female()
        return self.fake.first_name_male()

    @staticmethod
    def _email_part(name: str) -> str:
        return fold(name).replace(" ", "-")

    # Users and structures -----------------------------------------------------------------------

    def _create_users(self) -> None:
        password = make_password(DEMO_PASSWORD)
        users = []
        for spec in ALL_USERS:
            sex = Sex.WOMAN if spec.sex == "F" else Sex.MAN
            users.append(
                User(
                    email=f"{spec.local}@{EMAIL_DOMAIN}",
                    first_name=self._first_name(sex),
                    last_name=self.fake.last_name(),
                    password=password,
                    is_staff=spec.superuser,
                    is_superuser=spec.superuser,
                )
            )
        User.objects.bulk_create(users)
        # Primary keys are not returned by every backend: read the users back.
        by_email = {u.email: u for u in User.objects.filter(email__in=[u.email for u in users])}
        for spec in ALL_USERS:
            user = by_email[f"{spec.local}@{EMAIL_DOMAIN}"]
            self.users[spec.local] = user
            if spec.role == Role.REFERENT:
                self.referents[spec.organization].append(user)
        self.admin = self.users["admin"]
        self.facilitator = self.users["facilitatrice"]
        self.mobility_adviser = self.users["mobilite"]
        self.project_officer = self.users["chargee-de-projet"]

    def _address(self, streets: list[str]) -> str:
        number = self.rng.choice([self.rng.randint(1, 30), self.rng.randint(1, 30), self.rng.randint(31, 140)])
        suffix = " bis" if self.rng.random() < 0.04 else ""
        return f"{number}{suffix} {self.rng.choice(streets)}"

    def _organization(self, index: int, spec: OrgSpec) -> Organization:
        siret = demo_siret(index) if spec.has_siret else ""
        organization = Organization(
            name=spec.name,
            kind=spec.kind,
            siae_type=spec.siae_type,
            siret=siret,
            activity=spec.activity,
            address=self._address([spec.street]),
            commune=self.communes[spec.commune],
            email=f"contact@{spec.key}.{EMAIL_DOMAIN}",
            phone=self._phone(LANDLINE_PREFIX),
            website=spec.website,
            search_text=fold(f"{spec.name} {siret}")[:255],
        )
        organization._history_user = self.admin
        organization._history_date = self._moment(self.start - timedelta(days=120))
        return organization

    def _create_organizations(self) -> None:
        organizations = [self._organization(index, spec) for index, spec in enumerate(ORGANIZATIONS)]
        created = bulk_create_with_history(organizations, Organization)
        self.organizations = {spec.key: org for spec, org in zip(ORGANIZATIONS, created, strict=True)}
        contacts = []
        for spec in ORGANIZATIONS:
            for male_title, female_title in CONTACT_TITLES[spec.kind][: self.rng.randint(1, 2)]:
                sex = Sex.WOMAN if self.rng.random() < 0.6 else Sex.MAN
                first_name, last_name = self._first_name(sex), self.fake.last_name()
                contact = Contact(
                    organization=self.organizations[spec.key],
                    first_name=first_name,
                    last_name=last_name,
                    job_title=female_title if sex == Sex.WOMAN else male_title,
                    email=f"{self._email_part(first_name)}.{self._email_part(last_name)}@{spec.key}.{EMAIL_DOMAIN}",
                    phone=self._phone(LANDLINE_PREFIX),
                )
                contact._history_user = self.admin
                contact._history_date = self._moment(self.start - timedelta(days=120))
                contacts.append(contact)
        bulk_create_with_history(contacts, Contact)

    def _create_memberships(self) -> None:
        memberships = []
        # Since before the first pathways still open at the start of the period.
        since = date(self.plie.first_year - 1, 9, 1)
        for spec in ALL_USERS:
            membership = Membership(
                user=self.users[spec.local],
                organization=self.organizations[spec.organization],
                role=spec.role,
                job_title=self._job_title(spec),
                started_on=since,
            )
            membership._history_user = self.admin
            membership._history_date = self._moment(since)
            memberships.append(membership)
        bulk_create_with_history(memberships, Membership)

    @staticmethod
    def _job_title(spec: UserSpec) -> str:
        male, female = spec.job_title
        return female if spec.sex == "F" else male

    # People -------------------------------------------------------------------------------------

    def _create_people(self) -> list[_Draft]:
        plans = self.plie.plan()
        outside = round(OUTSIDE_METROPOLE_SHARE * PEOPLE_COUNT)
        others = PEOPLE_COUNT - len(plans)
        if others < outside:
            raise DemoError(f"Le PLIE compte {len(plans)} personnes : augmentez PEOPLE_COUNT ({PEOPLE_COUNT}).")
        drafts = [self._draft(plan=plan) for plan in plans]
        drafts += [self._draft(outside=index < outside) for index in range(others)]
        return self._save_drafts(drafts)

    def _save_drafts(self, drafts: list[_Draft]) -> list[_Draft]:
        """Save the people of the drafts with their facts and follow-ups (primary keys set on the drafts)."""
        # Registered in the order of their registration, as in real life.
        drafts.sort(key=lambda d: d.person.registered_on)
        people = bulk_create_with_history([d.person for d in drafts], Person)
        facts, follow_ups = [], []
        for draft, person in zip(drafts, people, strict=True):
            draft.person = person
            for data in draft.facts:
                fact = SituationFact(person=person, recorded_by=person.created_by, **data)
                fact._history_user = person.created_by
                fact._history_date = self._moment(max(person.registered_on, fact.started_on))
                facts.append(fact)
            for data in draft.follow_ups:
                follow_up = FollowUp(person=person, **data)
                follow_up._history_user = follow_up.referent
                follow_up._history_date = self._moment(follow_up.started_on)
                follow_ups.append(follow_up)
        bulk_create_with_history(facts, SituationFact)
        bulk_create_with_history(follow_ups, FollowUp)
        return drafts

    def _draft(
        self,
        *,
        plan: Plan | None = None,
        outside: bool = False,
        sex: str | None = None,
        registered_on: date | None = None,
        min_age: int = 16,
        qpv_factor: float = 1.0,
        follow_ups: bool = True,
    ) -> _Draft:
        """A person: PLIE participants (with a plan) and the others live in the Métropole, but `outside`.

        The clauses part chooses the sex, the registration day, a minimum age and a lower or higher chance
        of living in a QPV (`qpv_factor`), and adds its own follow-up (`follow_ups=False`)."""
        rng, today = self.rng, self.today
        if sex is None:
            sex = rng.choices([Sex.WOMAN, Sex.MAN, Sex.NON_BINARY], weights=[56, 43.6, 0.4])[0]
        first_name, last_name = self._first_name(sex), self.fake.last_name()
        birth_name = self.fake.last_name() if sex == Sex.WOMAN and rng.random() < 0.12 else ""
        if plan is not None:
            registered_on = plan.registered_on
        elif registered_on is None:
            registered_on = self._workday(self._day_between(self.start, today))
        low, high = rng.choices([(16, 25), (26, 45), (46, 59)], weights=[18, 43, 39])[0]
        # At most 64 today; 55 and over for a future ACI senior exit.
        oldest = 63 - (today.year - registered_on.year)
        if plan is not None and plan.min_age > 16:
            low, high = plan.min_age, max(plan.min_age, min(58, oldest))
        elif plan is not None:  # the PLIE accompanies adults
            low, high = max(low, 18), max(18, min(high, oldest))
        else:
            low, high = min(low, oldest), min(high, oldest)
        if plan is None and low < min_age:
            low, high = min_age, max(high, min_age)
        age = rng.randint(low, high)
        anniversary = date(registered_on.year - age, registered_on.month, min(registered_on.day, 28))
        birth_date = anniversary - timedelta(days=rng.randint(0, 360))
        codes = self.outside_codes if outside else self.metropole_codes
        code = rng.choices(codes, weights=[COMMUNE_WEIGHTS[c] for c in codes])[0]
        commune = self.communes[code]
        qpv = None
        if self.qpvs.get(code) and rng.random() < QPV_SHARE[code] * qpv_factor:
            qpv = rng.choice(self.qpvs[code])
        streets = (QPV_STREETS.get(qpv.name) if qpv else None) or STREETS.get(code, VILLAGE_STREETS)
        email = self._person_email(first_name, last_name) if rng.random() < 0.70 else ""
        phone = ""
        if rng.random() < 0.90:
            phone = self._phone(MOBILE_PREFIX if rng.random() < 0.85 else LANDLINE_PREFIX)
        person = Person(
            public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            first_name=first_name,
            last_name=last_name,
            birth_name=birth_name,
            sex=sex,
            birth_date=birth_date,
            email=email,
            phone=phone,
            address=self._address(streets),
            postcode=commune.postcode or POSTCODES.get(code) or f"{commune.department}000",
            commune=commune,
            registered_on=registered_on,
        )
        draft = _Draft(person=person, age=person.age_on(registered_on), in_qpv=qpv is not None, plan=plan)
        self._facts(draft, qpv)
        if follow_ups:
            self._follow_ups(draft)
        # Created by the PLIE référent, or else by the Creativ' adviser who follows the person, or
        # else (oriented to the PLIE, not entered) by the cellule's assistant who recorded the orientation.
        person.created_by = draft.follow_ups[0]["referent"] if draft.follow_ups else self.users.get("assistance")
        person._history_user = person.created_by
        person._history_date = self._moment(registered_on)
        person.refresh_search_fields()
        return draft

    def _person_email(self, first_name: str, last_name: str) -> str:
        first, last = self._email_part(first_name), self._email_part(last_name)
        patterns = [f"{first}.{last}", f"{first[0]}{last}", f"{first}{last}", f"{last}.{first}"]
        base = self.rng.choice(patterns)
        domain = self.rng.choice(PERSON_EMAIL_DOMAINS)
        email = f"{base}@{domain}"
        while email in self.emails:
            email = f"{base}{self.rng.randint(1, 99)}@{domain}"
        self.emails.add(email)
        return email

    # Situation facts ----------------------------------------------------------------------------

    def _fact(self, draft: _Draft, kind, started_on: date, *, value=YES, qpv=None, ended_on=None, source=""):
        person = draft.person
        started_on = min(max(started_on, person.birth_date), self.today)
        if ended_on is not None:
            ended_on = max(ended_on, started_on)
            if ended_on > self.today:
                ended_on = None
        draft.facts.append(
            {
                "kind": kind,
                "value": value,
                "qpv": qpv,
                "started_on": started_on,
                "ended_on": ended_on,
                "source": source,
            }
        )

    def _ended_after(self, draft: _Draft, started_on: date, share: float) -> date | None:
        """With the given probability, an end date after registration (and the start), up to today."""
        if self.rng.random() >= share:
            return None
        first = max(started_on, draft.person.registered_on) + timedelta(days=30)
        if first > self.today:
            return None
        return self._day_between(first, self.today)

    def _facts(self, draft: _Draft, qpv) -> None:
        rng, person = self.rng, draft.person
        registered_on, birth_date = person.registered_on, person.birth_date
        adult = _add_years(birth_date, 18)

        # RSA: rare before 25 (young parents only).
        if rng.random() < (0.10 if draft.age < 25 else 0.56):
            started = max(registered_on - timedelta(days=rng.randint(0, 6 * 365)), adult)
            self._fact(
                draft,
                FactKind.RSA,
                started,
                ended_on=self._ended_after(draft, started, 0.18),
                source="Attestation CAF",
            )
        if qpv is not None:
            started = registered_on - timedelta(days=rng.randint(0, 8 * 365))
            self._fact(
                draft,
                FactKind.QPV_RESIDENCE,
                started,
                qpv=qpv,
                ended_on=self._ended_after(draft, started, 0.04),
                source="Adresse vérifiée sur sig.ville.gouv.fr",
            )
        draw = rng.random()
        if draw < 0.10:
            started = max(registered_on - timedelta(days=rng.randint(0, 8 * 365)), _add_years(birth_date, 16))
            self._fact(draft, FactKind.RQTH, started, source="Notification MDPH")
        elif draw < 0.12:
            self._fact(draft, FactKind.RQTH, registered_on, value=REFUSED)
        if rng.random() < 0.85:
            months = rng.choices([(0, 5), (6, 11), (12, 23), (24, 60)], weights=[35, 18, 25, 22])[0]
            started = registered_on - timedelta(days=rng.randint(months[0] * 30 + 1, months[1] * 30 + 29))
            started = max(started, _add_years(birth_date, 16))
            self._fact(
                draft,
                FactKind.JOB_SEEKER,
                started,
                ended_on=self._ended_after(draft, started, 0.25),
                source="Attestation France Travail",
            )
        if rng.random() < 0.90:
            if rng.random() < 0.03:
                self._fact(draft, FactKind.EDUCATION_LEVEL, registered_on, value=REFUSED)
            else:
                level = rng.choices(list(EDUCATION_WEIGHTS), weights=list(EDUCATION_WEIGHTS.values()))[0]
                self._fact(draft, FactKind.EDUCATION_LEVEL, registered_on, value=level, source="Déclaratif")
        if rng.random() < 0.09:
            self._fact(
                draft,
                FactKind.WORK_AUTHORISATION,
                registered_on,
                value=WorkAuthorisation.PERMIT,
                source="Titre de séjour",
            )
            self._fact(draft, FactKind.THIRD_COUNTRY, registered_on, source="Titre de séjour")
        else:
            self._fact(
                draft,
                FactKind.WORK_AUTHORISATION,
                registered_on,
                value=WorkAuthorisation.NATIONAL,
                source="Pièce d'identité",
            )
            if rng.random() < 0.01:
                self._fact(draft, FactKind.THIRD_COUNTRY, registered_on, value=REFUSED)
        if draft.age >= 20 and rng.random() < (0.20 if person.sex == Sex.WOMAN else 0.03):
            started = max(registered_on - timedelta(days=rng.randint(0, 5 * 365)), adult)
            self._fact(draft, FactKind.SINGLE_PARENT, started, ended_on=self._ended_after(draft, started, 0.10))
        draw = rng.random()
        if draw < 0.04:
            started = registered_on - timedelta(days=rng.randint(0, 700))
            self._fact(draft, FactKind.HOMELESS, started, ended_on=self._ended_after(draft, started, 0.5))
        elif draw < 0.05:
            self._fact(draft, FactKind.HOMELESS, registered_on, value=REFUSED)
        draw = rng.random()
        if draw < 0.03:
            started = max(registered_on - timedelta(days=rng.randint(0, 1000)), _add_years(birth_date, 16))
            self._fact(
                draft,
                FactKind.JUSTICE,
                started,
                ended_on=self._ended_after(draft, started, 0.5),
                source="SPIP de la Côte-d'Or",
            )
        elif draw < 0.04:
            self._fact(draft, FactKind.JUSTICE, registered_on, value=REFUSED)

    # Follow-ups ---------------------------------------------------------------------------------

    def _has_fact(self, draft: _Draft, kind) -> bool:
        return any(f["kind"] == kind and f["value"] != REFUSED for f in draft.facts)

    def _operator(self, code: str, age: int, exclude: str = "") -> str:
        rng = self.rng
        if code == CHENOVE and exclude != "chenove" and rng.random() < 0.7:
            return "chenove"
        if code == QUETIGNY and exclude != "quetigny" and rng.random() < 0.7:
            return "quetigny"
        if age < 26 and exclude != "mission-locale" and rng.random() < 0.75:
            return "mission-locale"
        choices = [key for key in OPERATOR_WEIGHTS if key != exclude]
        weights = [OPERATOR_WEIGHTS[key] for key in choices]
        return rng.choices(choices, weights=weights)[0]

    def _prescriber(self, draft: _Draft, *, required: bool = False) -> Organization | None:
        rng, code = self.rng, draft.person.commune.insee_code
        if draft.age < 26 and rng.random() < 0.45:
            key = "mission-locale"
        elif self._has_fact(draft, FactKind.RSA) and rng.random() < 0.45:
            key = "cd21-rsa"
        elif self._has_fact(draft, FactKind.RQTH) and rng.random() < 0.5:
            key = "cap-emploi"
        elif code == DIJON and rng.random() < 0.12:
            key = "ccas"
        elif rng.random() < 0.04 and not required:
            return None
        elif code in (CHENOVE, "21390", "21355", "21481"):
            key = "ft-chenove"
        else:
            key = rng.choice(FRANCE_TRAVAIL_KEYS[:2])
        return self.organizations[key]

    def _follow_up(self, draft, organization, programme, referent, prescriber, started_on, min_days, max_days, ends):
        started_on = self._workday(started_on)
        ended_on = None
        end = started_on + timedelta(days=self.rng.randint(min_days, max_days))
        if self.rng.random() < ends and end <= self.today:
            ended_on = end
        draft.follow_ups.append(
            {
                "organization": organization,
                "programme": programme,
                "referent": referent,
                "prescriber": prescriber,
                "started_on": started_on,
                "ended_on": ended_on,
            }
        )
        return ended_on

    def _follow_ups(self, draft: _Draft) -> None:
        rng, person, today = self.rng, draft.person, self.today
        code = person.commune.insee_code
        plie_org = None
        # PLIE: the follow-ups of the pathway, by one of the 7 structures of the référents (a few
        # pathways move to another structure on the way).
        if draft.plan is not None:
            draft.plie_prescriber = self._prescriber(draft, required=True)
            key = ""
            for started_on, ended_on in self.plie.follow_up_segments(draft.plan):
                key = self._operator(code, draft.age, exclude=key)
                follow_up = {
                    "organization": self.organizations[key],
                    "programme": Programme.PLIE,
                    "referent": rng.choice(self.referents[key]),
                    "prescriber": draft.plie_prescriber,
                    "started_on": started_on,
                    "ended_on": ended_on,
                }
                draft.follow_ups.append(follow_up)
                draft.plie_follow_ups.append(follow_up)
            if draft.plie_follow_ups:
                plie_org = draft.plie_follow_ups[0]["organization"]
        creativ = self.organizations["creativ"]
        france_travail = self.organizations[rng.choice(FRANCE_TRAVAIL_KEYS)]
        clauses_share, mobility_share = (0.15, 0.10) if draft.plan else (0.40, 0.45)
        if rng.random() < clauses_share:
            self._follow_up(
                draft,
                creativ,
                Programme.CLAUSES,
                self.facilitator,
                plie_org or france_travail,
                self._day_between(person.registered_on, today),
                30,
                400,
                0.5,
            )
        if rng.random() < mobility_share or (draft.plan is None and not draft.follow_ups):
            self._follow_up(
                draft,
                creativ,
                Programme.MOBILITY,
                self.mobility_adviser,
                plie_org or france_travail,
                self._day_between(person.registered_on, today),
                30,
                240,
                0.6,
            )
        if draft.in_qpv and rng.random() < 0.08:
            self._follow_up(
                draft,
                creativ,
                Programme.CITE,
                self.project_officer,
                plie_org,
                self._day_between(person.registered_on, today),
                60,
                365,
                0.3,
            )
