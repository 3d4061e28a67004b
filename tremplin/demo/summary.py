"""The summary lines printed by `manage.py demo` for the shared data set, and their number formats."""

from django.db.models import Count

from tremplin.accounts.enums import Role
from tremplin.accounts.models import Membership, User
from tremplin.demo.data import EMAIL_DOMAIN
from tremplin.people.enums import REFUSED, EducationLevel, FactKind, Programme, Sex
from tremplin.people.models import FollowUp, Person, SituationFact
from tremplin.structures.enums import OrganizationKind
from tremplin.structures.models import Contact, Organization

KIND_LABELS = {
    OrganizationKind.LEAD: "porteuse",
    OrganizationKind.OPERATOR: "opérateurs",
    OrganizationKind.PRESCRIBER: "prescripteurs",
    OrganizationKind.SIAE: "SIAE",
    OrganizationKind.COMPANY: "entreprises",
    OrganizationKind.BUYER: "donneurs d'ordre",
    OrganizationKind.FUNDER: "financeurs",
}


def number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def percent(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)} %" if whole else "—"


def summary() -> list[str]:
    """French lines describing the volumes of the shared data set (structures, users, people)."""
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
        return percent(n, total)

    low_levels = [EducationLevel.NONE, EducationLevel.LEVEL_3]
    with_level = facts.filter(kind=FactKind.EDUCATION_LEVEL).exclude(value=REFUSED)
    referents = Membership.objects.active().filter(role=Role.REFERENT)
    lines = [
        f"Structures : {number(sum(kinds.values()))} ("
        + ", ".join(f"{label} : {kinds[kind]}" for kind, label in KIND_LABELS.items() if kind in kinds)
        + ")",
        f"Contacts : {number(Contact.objects.count())}",
        f"Utilisateurs de démonstration : {User.objects.filter(email__iendswith='@' + EMAIL_DOMAIN).count()}, "
        f"dont {referents.values('user').distinct().count()} référent·es dans "
        f"{referents.values('organization').distinct().count()} structures",
        f"Personnes : {number(total)} (femmes {percent(women, total)}, Dijon Métropole {percent(metropole, total)})",
        "Inscriptions par année : " + ", ".join(f"{year} : {number(n)}" for year, n in by_year.items()),
        f"Suivis : {number(sum(by_programme.values()))}, dont {number(follow_ups.open().count())} en cours ("
        + ", ".join(
            f"{label} : {number(by_programme[value])}" for value, label in Programme.choices if value in by_programme
        )
        + ")",
        f"Faits de situation : {number(facts.count())} (RSA {share_of(FactKind.RSA)}, "
        f"QPV {share_of(FactKind.QPV_RESIDENCE)}, RQTH {share_of(FactKind.RQTH)}, "
        f"niveau ≤ 3 : {percent(with_level.filter(value__in=low_levels).count(), with_level.count())} "
        "des niveaux connus)",
    ]
    return lines
