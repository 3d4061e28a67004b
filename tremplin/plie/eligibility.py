"""PLIE entry criteria (seed 003): all four, each answered with its reason."""

from dataclasses import dataclass
from datetime import date

from tremplin.people.enums import REFUSED, FactKind, WorkAuthorisation
from tremplin.people.models import Person

# Target publics (seed 003): the difficulties that make someone a PLIE public, from dated facts.
DIFFICULTY_FACTS = {
    FactKind.RSA: "bénéficiaire du RSA",
    FactKind.ASS: "bénéficiaire de l'ASS",
    FactKind.AAH: "bénéficiaire de l'AAH",
    FactKind.RQTH: "travailleur·se handicapé·e (RQTH)",
    FactKind.QPV_RESIDENCE: "habitant·e d'un quartier prioritaire",
    FactKind.HOMELESS: "sans domicile stable",
    FactKind.JUSTICE: "placé·e sous main de justice",
    FactKind.THIRD_COUNTRY: "ressortissant·e de pays tiers",
    FactKind.SINGLE_PARENT: "parent isolé",
}
YOUTH_MAX_AGE = 25
SENIOR_MIN_AGE = 50
LONG_TERM_UNEMPLOYMENT_MONTHS = 12


@dataclass
class Criterion:
    code: str
    label: str
    met: bool | None  # None: not known yet (to check with the person)
    reason: str

    def as_dict(self):
        return {"code": self.code, "label": self.label, "met": self.met, "reason": self.reason}


@dataclass
class Eligibility:
    at: date
    criteria: list[Criterion]
    difficulties: list[str]

    @property
    def eligible(self) -> bool:
        return all(c.met for c in self.criteria)

    def as_dict(self):
        return {
            "at": self.at.isoformat(),
            "eligible": self.eligible,
            "criteria": [c.as_dict() for c in self.criteria],
            "difficulties": self.difficulties,
        }


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def difficulties_of(person: Person, at: date) -> list[str]:
    facts = list(person.facts.at(at).asserted())
    found = [DIFFICULTY_FACTS[f.kind] for f in facts if f.kind in DIFFICULTY_FACTS]
    job_seeker = next((f for f in facts if f.kind == FactKind.JOB_SEEKER), None)
    if job_seeker and _months_between(job_seeker.started_on, at) >= LONG_TERM_UNEMPLOYMENT_MONTHS:
        found.append("demandeur·se d'emploi de longue durée")
    age = person.age_on(at)
    if age <= YOUTH_MAX_AGE:
        found.append("jeune de 25 ans ou moins")
    if age >= SENIOR_MIN_AGE:
        found.append("senior de 50 ans ou plus")
    if person.sex == "F":
        found.append("femme")
    return sorted(set(found))


def check_eligibility(person: Person, at: date, *, wants_pathway: bool | None = None) -> Eligibility:
    commune = person.commune
    lives_in = Criterion(
        "territory",
        "Habite l'une des 23 communes de Dijon Métropole",
        commune.is_metropole,
        f"Réside à {commune.name}" + ("" if commune.is_metropole else ", hors de Dijon Métropole") + ".",
    )
    authorisation = person.facts.at(at).filter(kind=FactKind.WORK_AUTHORISATION).order_by("-started_on").first()
    if authorisation is None or authorisation.value == REFUSED:
        work = Criterion(
            "work", "Dispose d'une autorisation de travailler", None, "Autorisation de travail non renseignée."
        )
    else:
        allowed = authorisation.value in (WorkAuthorisation.NATIONAL, WorkAuthorisation.PERMIT)
        work = Criterion("work", "Dispose d'une autorisation de travailler", allowed, f"{authorisation.value_label}.")
    found = difficulties_of(person, at)
    # "Femme", "jeune" or "senior" alone are target publics only with other difficulties of insertion.
    strong = [d for d in found if d not in ("femme", "jeune de 25 ans ou moins", "senior de 50 ans ou plus")]
    difficulties = Criterion(
        "difficulties",
        "Présente des difficultés d'insertion sociale et professionnelle (public cible)",
        bool(strong),
        ("Publics cibles : " + ", ".join(found) + ".") if strong else "Aucune difficulté d'insertion enregistrée.",
    )
    motivation = Criterion(
        "wants_pathway",
        "Souhaite s'inscrire dans un parcours intégré d'accès à l'emploi",
        wants_pathway,
        {True: "Confirmé lors du premier rendez-vous.", False: "La personne ne le souhaite pas."}.get(
            wants_pathway, "À confirmer avec la personne."
        ),
    )
    return Eligibility(at=at, criteria=[lives_in, work, difficulties, motivation], difficulties=found)
