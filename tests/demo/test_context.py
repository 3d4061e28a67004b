"""The contract that the modules' demo builders rely on (tremplin/core/modules.py): DemoContext and its people
generator, on a few people (the full demo is loaded by test_demo.py)."""

from datetime import date

from tests.factories import OrganizationFactory, PersonFactory, user_with_role
from tremplin.accounts.enums import Role
from tremplin.demo.context import DemoContext
from tremplin.demo.generator import Generator
from tremplin.people.enums import Programme
from tremplin.people.models import FollowUp, Person, SituationFact
from tremplin.structures.enums import OrganizationKind

TODAY = date(2026, 3, 11)


def context() -> DemoContext:
    return DemoContext.for_generator(Generator(TODAY))


def test_people_create_draws_people_followed_in_a_programme():
    ctx = context()
    creativ = OrganizationFactory(name="Creativ'", kind=OrganizationKind.LEAD)
    adviser = user_with_role(Role.MOBILITY_ADVISER, organization=creativ)
    other = PersonFactory()

    people = ctx.people.create(
        6, created_by=adviser, organization=creativ, programme=Programme.MOBILITY, ages=(18, 30)
    )

    assert len(people) == 6 and all(person.pk for person in people)
    for person in Person.objects.filter(pk__in=[p.pk for p in people]):
        assert person.created_by == adviser
        assert ctx.people.start <= person.registered_on <= TODAY
        assert 18 <= person.age_on(TODAY) <= 30, person.age_on(TODAY)
        assert person.commune.department == "21" and person.address and person.first_name
        follow_up = FollowUp.objects.get(person=person)
        assert (follow_up.organization, follow_up.programme, follow_up.referent) == (
            creativ,
            Programme.MOBILITY,
            adviser,
        )
        assert follow_up.started_on == person.registered_on and follow_up.ended_on is None
    assert SituationFact.objects.filter(person__in=people).exists()
    assert person.history.exists()  # audited like the rest of the demo
    assert list(ctx.persons()) == people and ctx.person_ids == [p.pk for p in people]
    assert list(ctx.persons(Programme.MOBILITY)) == people and not ctx.persons(Programme.PLIE).exists()
    assert other not in ctx.persons()


def test_people_create_on_a_day_without_a_follow_up():
    ctx = context()
    assistant = user_with_role(Role.ASSISTANT)

    people = ctx.people.create(3, created_by=assistant, on=date(2025, 6, 2))

    assert {person.registered_on for person in people} == {date(2025, 6, 2)}
    assert not FollowUp.objects.filter(person__in=people).exists()
    assert all(16 <= person.age_on(TODAY) <= 64 for person in people)


def test_the_context_draws_the_same_people_from_its_seed():
    def draw():
        ctx = context()
        drafts = [ctx.people.draft(follow_ups=False) for _ in range(5)]
        return [(d.person.public_id, d.person.last_name, d.person.birth_date) for d in drafts], ctx.rng.random()

    assert draw() == draw()
