"""The demo's structures and users: Creativ' and its partners, their contacts, the demo accounts and their roles."""

from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db.models import Q
from simple_history.utils import bulk_create_with_history

from tremplin.accounts.enums import Role
from tremplin.accounts.models import Membership, User
from tremplin.core.text import fold
from tremplin.core.validators import luhn_ok
from tremplin.demo.data import (
    ALL_USERS,
    CONTACT_TITLES,
    DEMO_PASSWORD,
    EMAIL_DOMAIN,
    LANDLINE_PREFIX,
    MEMBERSHIPS_LEAD_IN_YEARS,
    ORGANIZATIONS,
    OrgSpec,
    UserSpec,
)
from tremplin.people.enums import Sex
from tremplin.structures.models import Contact, Organization


def demo_siret(index: int) -> str:
    """A valid SIRET (Luhn on the SIREN and on the SIRET), derived from index."""
    siren_base = f"{(21_000_000 + index * 104_729) % 10**8:08d}"
    siren = next(siren_base + str(d) for d in range(10) if luhn_ok(siren_base + str(d)))
    nic_base = f"{siren}000{index % 9 + 1}"
    return next(nic_base + str(d) for d in range(10) if luhn_ok(nic_base + str(d)))


def demo_organizations() -> Q:
    """The demo's structures: by their e-mail domain, or by the SIRET of the static ones."""
    sirets = [demo_siret(index) for index, spec in enumerate(ORGANIZATIONS) if spec.has_siret]
    return Q(email__iendswith="." + EMAIL_DOMAIN) | Q(siret__in=sirets)


class Structures:
    """The users and structures part of the generator (tremplin.demo.generator.Generator)."""

    def create_users(self) -> None:
        password = make_password(DEMO_PASSWORD)
        users = []
        for spec in ALL_USERS:
            sex = Sex.WOMAN if spec.sex == "F" else Sex.MAN
            users.append(
                User(
                    email=f"{spec.local}@{EMAIL_DOMAIN}",
                    first_name=self.first_name(sex),
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

    def _organization(self, index: int, spec: OrgSpec) -> Organization:
        siret = demo_siret(index) if spec.has_siret else ""
        organization = Organization(
            name=spec.name,
            kind=spec.kind,
            siae_type=spec.siae_type,
            siret=siret,
            activity=spec.activity,
            address=self.address([spec.street]),
            commune=self.communes[spec.commune],
            email=f"contact@{spec.key}.{EMAIL_DOMAIN}",
            phone=self.phone(LANDLINE_PREFIX),
            website=spec.website,
            search_text=fold(f"{spec.name} {siret}")[:255],
        )
        organization._history_user = self.admin
        organization._history_date = self.moment(self.start - timedelta(days=120))
        return organization

    def create_organizations(self) -> None:
        organizations = [self._organization(index, spec) for index, spec in enumerate(ORGANIZATIONS)]
        created = bulk_create_with_history(organizations, Organization)
        self.organizations = {spec.key: org for spec, org in zip(ORGANIZATIONS, created, strict=True)}
        contacts = []
        for spec in ORGANIZATIONS:
            for male_title, female_title in CONTACT_TITLES[spec.kind][: self.rng.randint(1, 2)]:
                sex = Sex.WOMAN if self.rng.random() < 0.6 else Sex.MAN
                first_name, last_name = self.first_name(sex), self.fake.last_name()
                contact = Contact(
                    organization=self.organizations[spec.key],
                    first_name=first_name,
                    last_name=last_name,
                    job_title=female_title if sex == Sex.WOMAN else male_title,
                    email=f"{self.email_part(first_name)}.{self.email_part(last_name)}@{spec.key}.{EMAIL_DOMAIN}",
                    phone=self.phone(LANDLINE_PREFIX),
                )
                contact._history_user = self.admin
                contact._history_date = self.moment(self.start - timedelta(days=120))
                contacts.append(contact)
        bulk_create_with_history(contacts, Contact)

    def create_memberships(self) -> None:
        memberships = []
        # Since before the first pathways still open at the start of the period.
        since = date(self.start.year - MEMBERSHIPS_LEAD_IN_YEARS, 9, 1)
        for spec in ALL_USERS:
            membership = Membership(
                user=self.users[spec.local],
                organization=self.organizations[spec.organization],
                role=spec.role,
                job_title=self._job_title(spec),
                started_on=since,
            )
            membership._history_user = self.admin
            membership._history_date = self.moment(since)
            memberships.append(membership)
        bulk_create_with_history(memberships, Membership)

    @staticmethod
    def _job_title(spec: UserSpec) -> str:
        male, female = spec.job_title
        return female if spec.sex == "F" else male
