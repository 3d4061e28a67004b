"""What the demo hands to each module's demo builder (see tremplin/core/modules.py)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tremplin.demo.generator import Generator


class DemoError(Exception):
    """The demo cannot be loaded (message in French, for the command line)."""


@dataclass
class DemoContext:
    """The shared state of one load (or deletion) of the demo.

    `today`: the day the demo is built for; `rng` (random.Random) and `faker` (Faker fr_FR): seeded, shared by
    every builder in the modules' order, so that the data set is the same at every load; `organizations`
    (key of tremplin.demo.data.ORGANIZATIONS -> Organization) and `users` (e-mail local part -> User, e.g.
    "mobilite"); `people`: the shared generator (`people.create(count, *, created_by, organization=None,
    programme=None, ages=(16, 64), on=None) -> list[Person]`); `persons(programme=None)`: the demo people
    already built; `user_ids`, `organization_ids`, `person_ids`: the demo's rows, for deletion.

    When the demo is deleted, only `today` and the ids are meaningful (the other attributes are empty)."""

    today: date
    rng: random.Random = field(default_factory=random.Random)
    faker: Any = None
    organizations: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    people: Generator | None = None
    user_ids: list[int] = field(default_factory=list)
    organization_ids: list[int] = field(default_factory=list)
    person_ids: list[int] = field(default_factory=list)
    # Each module's own state between its `plan(ctx)` and its `build(ctx)`, under its name.
    state: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def for_generator(cls, generator: Generator) -> DemoContext:
        """The context of a load: shares the generator's random state, structures, users and people ids."""
        return cls(
            today=generator.today,
            rng=generator.rng,
            faker=generator.fake,
            organizations=generator.organizations,
            users=generator.users,
            people=generator,
            user_ids=[user.pk for user in generator.users.values()],
            organization_ids=[organization.pk for organization in generator.organizations.values()],
            person_ids=generator.person_ids,
        )

    def persons(self, programme: str | None = None):
        """The demo people built so far (a queryset, in the order of their creation), optionally those
        followed in `programme` (a tremplin.people.enums.Programme)."""
        from tremplin.people.models import Person

        people = Person.objects.filter(pk__in=self.person_ids)
        if programme is not None:
            people = people.filter(pk__in=Person.objects.filter(follow_ups__programme=programme).values("pk"))
        return people.order_by("pk")
