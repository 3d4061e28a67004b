"""The people of the demo's registry: French names, addresses in Côte-d'Or (most in Dijon Métropole), their
situation facts (RSA, QPV, RQTH, France Travail, education level...) and their follow-ups."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from simple_history.utils import bulk_create_with_history

from tremplin.accounts.models import User
from tremplin.demo.context import DemoError
from tremplin.demo.data import (
    COMMUNE_WEIGHTS,
    FRANCE_TRAVAIL_KEYS,
    LANDLINE_PREFIX,
    MOBILE_PREFIX,
    OPERATOR_WEIGHTS,
    OUTSIDE_METROPOLE_SHARE,
    PEOPLE_COUNT,
    PERSON_EMAIL_DOMAINS,
    POSTCODES,
    QPV_SHARE,
    QPV_STREETS,
    STREETS,
    VILLAGE_STREETS,
)
from tremplin.people.enums import REFUSED, YES, EducationLevel, FactKind, Programme, Sex, WorkAuthorisation
from tremplin.people.models import FollowUp, Person, SituationFact
from tremplin.structures.models import Organization

CHENOVE, QUETIGNY, DIJON = "21166", "21515", "21231"
EDUCATION_WEIGHTS = {
    EducationLevel.NONE: 38,
    EducationLevel.LEVEL_3: 34,
    EducationLevel.LEVEL_4: 17,
    EducationLevel.LEVEL_5: 6,
    EducationLevel.LEVEL_6: 3,
    EducationLevel.LEVEL_7: 1.7,
    EducationLevel.LEVEL_8: 0.3,
}


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass
class Draft:
    """A person being built, with what decides their facts and follow-ups."""

    person: Person
    age: int  # at registration
    in_qpv: bool = False
    facts: list[dict] = field(default_factory=list)
    follow_ups: list[dict] = field(default_factory=list)
    # What a module planned for the person before the registry was drawn (the PLIE: the orientation and the
    # pathway), an object with `registered_on` and `min_age`; `planner(draft)` adds the module's follow-ups
    # (also to `plan_follow_ups`) when the person's follow-ups are drawn.
    plan: object | None = None
    planner: Callable[[Draft], None] | None = None
    plan_follow_ups: list[dict] = field(default_factory=list)
    plan_prescriber: Organization | None = None


class People:
    """The people part of the generator (tremplin.demo.generator.Generator): the registry's people with their
    situation facts and follow-ups. A module may plan people before the registry is drawn (`draft(plan=...,
    planner=...)`, the PLIE's participants register when they are oriented); `create` draws more afterwards."""

    def create_registry(self) -> list[Draft]:
        """Draw the registry's people: those the modules planned (already drafted), then the others, up to
        PEOPLE_COUNT; save them together, in the order of their registration."""
        planned = list(self.drafts)
        outside = round(OUTSIDE_METROPOLE_SHARE * PEOPLE_COUNT)
        others = PEOPLE_COUNT - len(planned)
        if others < outside:
            raise DemoError(
                f"Les modules prévoient {len(planned)} personnes : augmentez PEOPLE_COUNT ({PEOPLE_COUNT})."
            )
        drafts = planned + [self.draft(outside=index < outside) for index in range(others)]
        self.drafts = self.save_drafts(drafts)
        return self.drafts

    def create(
        self,
        count: int,
        *,
        created_by: User,
        organization: Organization | None = None,
        programme: str | None = None,
        ages: tuple[int, int] = (16, 64),
        on: date | None = None,
    ) -> list[Person]:
        """`count` new people with French names, addresses in Côte-d'Or (most in Dijon Métropole) and their
        situation facts, registered by `created_by` on `on` (else a weekday of the period), aged within `ages`
        today; with a follow-up in `programme` by `organization` (`created_by` as référent) when given."""
        drafts = []
        for _ in range(count):
            outside = self.rng.random() < OUTSIDE_METROPOLE_SHARE
            draft = self.draft(registered_on=on, ages=ages, outside=outside, follow_ups=False)
            if organization is not None and programme is not None:
                draft.follow_ups.append(
                    {
                        "organization": organization,
                        "programme": programme,
                        "referent": created_by,
                        "prescriber": None,
                        "started_on": draft.person.registered_on,
                        "ended_on": None,
                    }
                )
            draft.person.created_by = created_by
            draft.person._history_user = created_by
            drafts.append(draft)
        return [draft.person for draft in self.save_drafts(drafts)]

    def save_drafts(self, drafts: list[Draft]) -> list[Draft]:
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
                fact._history_date = self.moment(max(person.registered_on, fact.started_on))
                facts.append(fact)
            for data in draft.follow_ups:
                follow_up = FollowUp(person=person, **data)
                follow_up._history_user = follow_up.referent
                follow_up._history_date = self.moment(follow_up.started_on)
                follow_ups.append(follow_up)
        bulk_create_with_history(facts, SituationFact)
        bulk_create_with_history(follow_ups, FollowUp)
        self.person_ids.extend(person.pk for person in people)
        return drafts

    def draft(
        self,
        *,
        plan=None,
        planner=None,
        outside: bool = False,
        sex: str | None = None,
        registered_on: date | None = None,
        min_age: int = 16,
        qpv_factor: float = 1.0,
        follow_ups: bool = True,
        ages: tuple[int, int] | None = None,
    ) -> Draft:
        """A person: the planned ones (adults) and the others live in the Métropole, but `outside`.

        The clauses part chooses the sex, the registration day, a minimum age and a lower or higher chance
        of living in a QPV (`qpv_factor`), and adds its own follow-up (`follow_ups=False`)."""
        rng, today = self.rng, self.today
        if sex is None:
            sex = rng.choices([Sex.WOMAN, Sex.MAN, Sex.NON_BINARY], weights=[56, 43.6, 0.4])[0]
        first_name, last_name = self.first_name(sex), self.fake.last_name()
        birth_name = self.fake.last_name() if sex == Sex.WOMAN and rng.random() < 0.12 else ""
        if plan is not None:
            registered_on = plan.registered_on
        elif registered_on is None:
            registered_on = self.workday(self.day_between(self.start, today))
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
        if ages is not None:  # `ages` today
            low, high = ages[0], max(ages[0], ages[1] - 1 - (today.year - registered_on.year))
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
            phone = self.phone(MOBILE_PREFIX if rng.random() < 0.85 else LANDLINE_PREFIX)
        person = Person(
            public_id=uuid.UUID(int=rng.getrandbits(128), version=4),
            first_name=first_name,
            last_name=last_name,
            birth_name=birth_name,
            sex=sex,
            birth_date=birth_date,
            email=email,
            phone=phone,
            address=self.address(streets),
            postcode=commune.postcode or POSTCODES.get(code) or f"{commune.department}000",
            commune=commune,
            registered_on=registered_on,
        )
        draft = Draft(
            person=person, age=person.age_on(registered_on), in_qpv=qpv is not None, plan=plan, planner=planner
        )
        self._facts(draft, qpv)
        if follow_ups:
            self._follow_ups(draft)
        # Created by the PLIE référent, or else by the Creativ' adviser who follows the person, or
        # else (oriented to the PLIE, not entered) by the cellule's assistant who recorded the orientation.
        person.created_by = draft.follow_ups[0]["referent"] if draft.follow_ups else self.users.get("assistance")
        person._history_user = person.created_by
        person._history_date = self.moment(registered_on)
        person.refresh_search_fields()
        return draft

    def _person_email(self, first_name: str, last_name: str) -> str:
        first, last = self.email_part(first_name), self.email_part(last_name)
        patterns = [f"{first}.{last}", f"{first[0]}{last}", f"{first}{last}", f"{last}.{first}"]
        base = self.rng.choice(patterns)
        domain = self.rng.choice(PERSON_EMAIL_DOMAINS)
        email = f"{base}@{domain}"
        while email in self.emails:
            email = f"{base}{self.rng.randint(1, 99)}@{domain}"
        self.emails.add(email)
        return email

    # Situation facts ----------------------------------------------------------------------------

    def _fact(self, draft: Draft, kind, started_on: date, *, value=YES, qpv=None, ended_on=None, source=""):
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

    def _ended_after(self, draft: Draft, started_on: date, share: float) -> date | None:
        """With the given probability, an end date after registration (and the start), up to today."""
        if self.rng.random() >= share:
            return None
        first = max(started_on, draft.person.registered_on) + timedelta(days=30)
        if first > self.today:
            return None
        return self.day_between(first, self.today)

    def _facts(self, draft: Draft, qpv) -> None:
        rng, person = self.rng, draft.person
        registered_on, birth_date = person.registered_on, person.birth_date
        adult = add_years(birth_date, 18)

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
            started = max(registered_on - timedelta(days=rng.randint(0, 8 * 365)), add_years(birth_date, 16))
            self._fact(draft, FactKind.RQTH, started, source="Notification MDPH")
        elif draw < 0.12:
            self._fact(draft, FactKind.RQTH, registered_on, value=REFUSED)
        if rng.random() < 0.85:
            months = rng.choices([(0, 5), (6, 11), (12, 23), (24, 60)], weights=[35, 18, 25, 22])[0]
            started = registered_on - timedelta(days=rng.randint(months[0] * 30 + 1, months[1] * 30 + 29))
            started = max(started, add_years(birth_date, 16))
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
            started = max(registered_on - timedelta(days=rng.randint(0, 1000)), add_years(birth_date, 16))
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

    def _has_fact(self, draft: Draft, kind) -> bool:
        return any(f["kind"] == kind and f["value"] != REFUSED for f in draft.facts)

    def operator(self, code: str, age: int, exclude: str = "") -> str:
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

    def prescriber(self, draft: Draft, *, required: bool = False) -> Organization | None:
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
        started_on = self.workday(started_on)
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

    def _follow_ups(self, draft: Draft) -> None:
        rng, person, today = self.rng, draft.person, self.today
        plan_org = None
        # The follow-ups of the module that planned the person (the PLIE: the follow-ups of the pathway).
        if draft.plan is not None:
            draft.planner(draft)
            if draft.plan_follow_ups:
                plan_org = draft.plan_follow_ups[0]["organization"]
        creativ = self.organizations["creativ"]
        france_travail = self.organizations[rng.choice(FRANCE_TRAVAIL_KEYS)]
        clauses_share, mobility_share = (0.15, 0.10) if draft.plan else (0.40, 0.45)
        if rng.random() < clauses_share:
            self._follow_up(
                draft,
                creativ,
                Programme.CLAUSES,
                self.facilitator,
                plan_org or france_travail,
                self.day_between(person.registered_on, today),
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
                plan_org or france_travail,
                self.day_between(person.registered_on, today),
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
                plan_org,
                self.day_between(person.registered_on, today),
                60,
                365,
                0.3,
            )
