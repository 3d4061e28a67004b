import datetime

import factory
from factory.django import DjangoModelFactory

from tremplin.accounts.enums import Role
from tremplin.accounts.models import Membership, User
from tremplin.people.enums import FactKind, Programme, Sex
from tremplin.people.models import FollowUp, Person, SituationFact
from tremplin.structures.enums import OrganizationKind
from tremplin.structures.models import Contact, Organization
from tremplin.territory.models import Commune, Qpv

# Kind of structure each role's membership lives in, by default.
ROLE_KIND = {
    Role.COORDINATOR: OrganizationKind.LEAD,
    Role.ASSISTANT: OrganizationKind.LEAD,
    Role.MANAGER: OrganizationKind.LEAD,
    Role.FACILITATOR: OrganizationKind.LEAD,
    Role.MOBILITY_ADVISER: OrganizationKind.LEAD,
    Role.PROJECT_OFFICER: OrganizationKind.LEAD,
    Role.REFERENT: OrganizationKind.OPERATOR,
    Role.PRESCRIBER: OrganizationKind.PRESCRIBER,
    Role.BUYER: OrganizationKind.BUYER,
    Role.COMPANY: OrganizationKind.COMPANY,
    Role.FUNDER: OrganizationKind.FUNDER,
}


def commune(insee_code="21231"):
    """Communes are reference data loaded by migration; tests pick them, they never invent them."""
    return Commune.objects.get(insee_code=insee_code)


def valid_siret(n: int) -> str:
    """A SIRET that passes the Luhn checks (SIREN and SIRET), derived from n."""
    from tremplin.core.validators import luhn_ok

    siren_base = f"{n % 10**8:08d}"
    siren = next(siren_base + str(d) for d in range(10) if luhn_ok(siren_base + str(d)))
    nic_base = f"{siren}{(n // 10**8) % 10**4:04d}"
    return next(nic_base + str(d) for d in range(10) if luhn_ok(nic_base + str(d)))


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Structure {n}")
    kind = OrganizationKind.OPERATOR
    commune = factory.LazyFunction(commune)

    class Params:
        company = factory.Trait(kind=OrganizationKind.COMPANY, siret=factory.Sequence(lambda n: valid_siret(1000 + n)))
        siae = factory.Trait(
            kind=OrganizationKind.SIAE, siae_type="ACI", siret=factory.Sequence(lambda n: valid_siret(5000 + n))
        )


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    organization = factory.SubFactory(OrganizationFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"utilisateur{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password("mot-de-passe-de-test")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.REFERENT
    organization = factory.LazyAttribute(lambda o: OrganizationFactory(kind=ROLE_KIND[o.role]))


def user_with_role(role, organization=None, **user_kwargs) -> User:
    kwargs = {"role": role, "user": UserFactory(**user_kwargs)}
    if organization is not None:
        kwargs["organization"] = organization
    return MembershipFactory(**kwargs).user


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    sex = Sex.WOMAN
    birth_date = factory.Faker("date_of_birth", minimum_age=18, maximum_age=64)
    commune = factory.LazyFunction(commune)
    registered_on = datetime.date(2023, 1, 15)

    class Params:
        for_snapshot = factory.Trait(
            first_name="Camille",
            last_name="Martin",
            birth_date=datetime.date(1990, 5, 17),
            email="camille@example.org",
        )


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)
    programme = Programme.PLIE
    started_on = datetime.date(2023, 2, 1)


class SituationFactFactory(DjangoModelFactory):
    class Meta:
        model = SituationFact

    person = factory.SubFactory(PersonFactory)
    kind = FactKind.RSA
    started_on = datetime.date(2022, 6, 1)

    class Params:
        in_qpv = factory.Trait(
            kind=FactKind.QPV_RESIDENCE,
            qpv=factory.LazyAttribute(lambda o: Qpv.objects.filter(commune=o.person.commune).first()),
        )
