"""The funding demo builder, run on a stand-in of tremplin.demo.context.DemoContext built from factories."""

import datetime
import random
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from faker import Faker

from tests.factories import OrganizationFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.funding import demo, selectors, services
from tremplin.funding.models import CallForProjects, Convention, FundingLine, Project, StaffYear
from tremplin.structures.enums import OrganizationKind

OPERATORS = ["chenove", "quetigny", "irfa", "cesam", "apsalc", "mission-locale", "cma"]
FUNDERS = {"dm-financeur": "Dijon Métropole – financement du PLIE", "region": "Région", "ddets": "État", "fse": "FSE+"}


@pytest.fixture
def ctx():
    organizations = {"creativ": OrganizationFactory(name="Creativ'", kind=OrganizationKind.LEAD)}
    organizations |= {key: OrganizationFactory(name=key.upper()) for key in OPERATORS}
    organizations |= {
        key: OrganizationFactory(name=name, kind=OrganizationKind.FUNDER) for key, name in FUNDERS.items()
    }
    users = {
        "direction": user_with_role(Role.MANAGER, organization=organizations["creativ"]),
        "coordination": user_with_role(Role.COORDINATOR, organization=organizations["creativ"]),
        "financeur": user_with_role(Role.FUNDER, organization=organizations["dm-financeur"]),
    }
    users |= {f"referente.{key}": user_with_role(Role.REFERENT, organization=organizations[key]) for key in OPERATORS}
    faker = Faker("fr_FR")
    faker.seed_instance(7)
    return SimpleNamespace(
        today=datetime.date(2026, 12, 6),
        rng=random.Random(7),
        faker=faker,
        organizations=organizations,
        users=users,
        people=None,
        persons=lambda programme=None: [],
        user_ids=[u.pk for u in users.values()],
        organization_ids=[o.pk for o in organizations.values()],
        person_ids=[],
    )


def test_2023_is_shaped_like_the_report(ctx):
    lines = demo.build(ctx)
    assert any("2\u202f001\u202f804,00" in line for line in lines)
    table = selectors.funders_table(2023)
    assert table.total.granted == Decimal("2001804.00")
    assert table.total.lines == 42
    assert {row.label: row.granted for row in table.rows}["FSE+"] == Decimal("268128.00")
    assert (
        FundingLine.objects.filter(year=2023, project__operator__isnull=True).values("project").distinct().count()
        == 24
    )
    programmation = selectors.programmation_table(2023)
    assert (programmation.total.granted, programmation.total.fse) == (Decimal("919385.00"), Decimal("365000.00"))
    metropole_2024 = FundingLine.objects.filter(
        year=2024, funder__category="metropole", project__operator__isnull=True
    )
    assert sum(line.amount_granted for line in metropole_2024) == Decimal("536000.00")
    assert StaffYear.objects.filter(year=2023).count() == demo.STAFF_COUNT
    split = selectors.analytic_split(2023)
    assert sum(row.cost for row in split.by_dispositif) == split.total_cost


def test_calls_answers_and_conventions_up_to_the_renewal_limit(ctx):
    demo.build(ctx)
    call = CallForProjects.objects.get(title=demo.CALL_2024)
    assert call.answers.count() == len(OPERATORS)
    assert all(services.is_on_time(a.submitted_at, call.deadline) for a in call.answers.all())
    irfa = call.answers.get(operator=ctx.organizations["irfa"])
    assert services.paris_time(irfa.submitted_at) == "01/12/2023 à 23:58:41"
    # Quetigny refused: 6 conventions, each renewed twice (2025, 2026).
    first = Convention.objects.filter(renewal_of__isnull=True)
    assert first.count() == 6
    last = Convention.objects.get(number="CV-PLIE-2026-03")
    assert services.renewals_used(last) == 2
    with pytest.raises(ValidationError):
        services.renew_convention(convention=last, number="CV-PLIE-2027-03", by=ctx.users["direction"])
    assert Convention.objects.get(number="CV-PLIE-2024-01", operator=ctx.organizations["irfa"]).avenants.count() == 1
    assert (
        CallForProjects.objects.published()
        .filter(deadline__gt=datetime.datetime(2026, 12, 6, tzinfo=datetime.UTC))
        .exists()
    )


def test_delete_removes_the_module_data(ctx):
    demo.build(ctx)
    demo.delete(ctx)
    assert not Project.objects.exists()
    assert not FundingLine.objects.exists()
    assert not Convention.objects.exists()
    assert not CallForProjects.objects.exists()
    assert not StaffYear.objects.exists()
    assert not Project.history.exists() and not Convention.history.exists() and not FundingLine.history.exists()
    # The shared structures stay.
    assert ctx.organizations["irfa"].__class__.objects.filter(pk=ctx.organizations["irfa"].pk).exists()


def test_the_pages_render_on_the_demo_data(ctx, client):
    from django.urls import reverse

    from tremplin.funding.models import Answer, FseOperation

    demo.build(ctx)
    client.force_login(ctx.users["coordination"])
    convention = Convention.objects.get(number="CV-PLIE-2024-01")
    answer = Answer.objects.get(operator=ctx.organizations["irfa"])
    pages = [
        reverse("funding:home"),
        reverse("funding:line_list") + "?annee=2023",
        reverse("funding:summary") + "?annee=2023",
        reverse("funding:split") + "?annee=2023",
        reverse("funding:project_list"),
        reverse("funding:call_list"),
        reverse("funding:convention_list"),
        reverse("funding:obligation_list"),
        reverse("funding:fse_list"),
        answer.get_absolute_url(),
        answer.call.get_absolute_url(),
        convention.get_absolute_url(),
        FseOperation.objects.first().get_absolute_url(),
        reverse("home"),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert "2\xa0001\xa0804,00" in client.get(reverse("funding:line_list") + "?annee=2023").content.decode()
    client.force_login(ctx.users["referente.irfa"])
    for url in (reverse("funding:home"), answer.get_absolute_url(), convention.get_absolute_url()):
        assert client.get(url).status_code == 200, url
    client.force_login(ctx.users["financeur"])
    assert client.get(reverse("funding:summary") + "?annee=2023").status_code == 200
