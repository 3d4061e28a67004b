from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.utils import timezone

from tests.factories import OrganizationFactory
from tremplin.accounts.enums import Role
from tremplin.accounts.models import Membership, User
from tremplin.core.demo import DEMO_PASSWORD, EMAIL_DOMAIN, LEAD_NAME, PEOPLE_COUNT
from tremplin.core.validators import validate_siret
from tremplin.people.enums import REFUSABLE_FACTS, REFUSED, FactKind, Programme
from tremplin.people.models import FollowUp, Person, SituationFact
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


def run_demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {
        model.__name__: model.objects.count()
        for model in (Organization, Contact, User, Membership, Person, SituationFact, FollowUp)
    }


def test_demo_loads_a_dijon_scale_data_set():
    output = run_demo()
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
    emails = list(people.exclude(email="").values_list("email", flat=True))
    phones = list(people.exclude(phone="").values_list("phone", flat=True))
    assert 0.6 * PEOPLE_COUNT < len(emails) == len(set(emails)) < 0.8 * PEOPLE_COUNT
    assert all(email == email.lower() for email in emails)
    assert 0.85 * PEOPLE_COUNT < len(phones) == len(set(phones))
    assert 0.50 < people.filter(sex="F").count() / PEOPLE_COUNT < 0.62
    assert 0.90 < people.filter(commune__is_metropole=True).count() / PEOPLE_COUNT < 0.96
    assert 0.50 < people.filter(commune__name="Dijon").count() / PEOPLE_COUNT < 0.60
    for year in range(today.year - 3, today.year + 1):
        assert people.filter(registered_on__year=year).exists(), year
    assert not people.filter(registered_on__gt=today).exists()

    # Follow-ups: PLIE by the référents' structures, consistent dates.
    plie = FollowUp.objects.filter(programme=Programme.PLIE).select_related("person", "referent")
    assert plie.values("person").distinct().count() > 0.8 * PEOPLE_COUNT
    for follow_up in plie:
        assert follow_up.organization.name in REFERENT_STRUCTURES
        assert follow_up.organization_id in follow_up.referent.organization_ids(Role.REFERENT)
    for follow_up in FollowUp.objects.select_related("person"):
        assert follow_up.started_on >= follow_up.person.registered_on
        assert follow_up.ended_on is None or follow_up.started_on <= follow_up.ended_on <= today
    ended = FollowUp.objects.filter(ended_on__isnull=False).count() / FollowUp.objects.count()
    assert 0.3 < ended < 0.5
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
    assert "Personnes : 1 200" in output
    assert f"admin@{EMAIL_DOMAIN}" in output and f"referente.irfa@{EMAIL_DOMAIN}" in output
    assert DEMO_PASSWORD in output


def test_demo_is_idempotent_and_reset_reloads_the_same_data():
    run_demo()
    before = counts()
    people = set(Person.objects.values_list("last_name", "first_name", "birth_date", "email"))

    output = run_demo()

    assert counts() == before
    assert "déjà chargées" in output and f"coordination@{EMAIL_DOMAIN}" in output

    run_demo("--reset")

    assert counts() == before
    assert set(Person.objects.values_list("last_name", "first_name", "birth_date", "email")) == people
    assert Person.history.count() == PEOPLE_COUNT


def test_demo_refuses_a_real_database():
    OrganizationFactory(name=LEAD_NAME, kind=OrganizationKind.LEAD)

    with pytest.raises(CommandError, match="base de démonstration"):
        run_demo()
