"""Demo data of the funding module (contract in tremplin/core/modules.py: build(ctx), delete(ctx)).

2023 is shaped like the 2023 report (seed 000): the association's funders (Dijon Métropole 642,788 €,
Région 365,027 €, État 356,782 €, FSE 268,128 €, communes 154,000 €, others 70,554 €, sales 144,525 €:
2,001,804 € computed, where the report printed 2,001,350 €), 24 projects and 42 funding lines; a PLIE
programmation of 919,385 € including 365,000 € of FSE (the association's PLIE projects and the
operators'). 2022 and 2024 are plausible around it (2024: the Métropole's 536,000 € = 200,000
operating + 300,000 PLIE + 36,000 clauses, deliberation of 21 March 2024, seed 002). The 2024 call
for projects follows seed 003 (published 09/11/2023, deadline 01/12/2023 at midnight, COPIL 07/12/2023),
with answers of the demo's operators, scores, decisions and conventions renewed up to the limit; a
call for the coming year is open. Staff time gives the analytic split.
"""

import datetime
from datetime import timedelta
from decimal import Decimal

from django.db.models import Q

from tremplin.demo.data import EMAIL_DOMAIN
from tremplin.funding import selectors, services
from tremplin.funding.enums import CommitteeOutcome, Dispositif, FunderCategory
from tremplin.funding.models import (
    Answer,
    Avenant,
    CallAction,
    CallForProjects,
    CommitteeDecision,
    Convention,
    FseExpenseLine,
    FseOperation,
    Funder,
    FundingLine,
    Obligation,
    Project,
    Score,
    ScoringCriterion,
    StaffAllocation,
    StaffYear,
)
from tremplin.people.enums import Programme
from tremplin.structures.enums import OrganizationKind
from tremplin.structures.models import Contact, Organization
from tremplin.territory.models import Commune

D = Dispositif
F = FunderCategory
PARIS = services.PARIS

# (code, title, dispositif): the association's 24 projects of 2023.
PROJECTS = [
    ("100", "Fonctionnement de la structure", D.OPERATION),
    ("101", "Relais conseil aux entreprises", D.OPERATION),
    ("102", "La Voie des Talents", D.OPERATION),
    ("211", "Animation du PLIE", D.PLIE),
    ("212", "Accompagnement des parcours PLIE", D.PLIE),
    ("213", "Enveloppe souple du PLIE", D.PLIE),
    ("214", "Actions pour les participants du PLIE", D.PLIE),
    ("215", "Clauses d'insertion de Dijon Métropole", D.CLAUSES),
    ("216", "Coordination régionale des clauses sociales", D.CLAUSES),
    ("217", "Suivi des marchés régionaux", D.CLAUSES),
    ("221", "Lab'Compétences", D.LAB),
    ("222", "Hub emploi et compétences santé", D.HUB),
    ("223", "ProDij", D.LAB),
    ("322", "Cité de l'emploi", D.CITE),
    ("323", "En Cas Pass Cité", D.CITE),
    ("324", "Ateliers seniors", D.CITE),
    ("330", "Campus des métiers et des qualifications AGT", D.CMQ),
    ("350", "Plateforme mobilité", D.PFM),
    ("351", "La Bouge'Hotte (TIMS)", D.PFM),
    ("352", "Bou-Jeu, escape game de la mobilité", D.PFM),
    ("353", "Permis B solidaire", D.PFM),
    ("400", "DAQ 2.0", D.OTHER),
    ("401", "100 Chances 100 Emplois", D.OTHER),
    ("402", "Immersions Dieze", D.OTHER),
]
# The 42 lines of 2023, (category, project code, amount in euros); a category's lines add up to its
# row of the report. Lines without an amount share the rest of their category.
LINES_2023 = {
    F.METROPOLE: [("211", 180000), ("213", 45000), ("214", 40000), ("100", 200000), ("215", 36000)]
    + [(code, None) for code in ("350", "322", "221", "222", "102")],
    F.REGION: [(code, None) for code in ("216", "217", "350", "351", "221", "330", "400")],
    F.STATE: [("212", 35000)] + [(code, None) for code in ("322", "323", "324", "215", "101", "401")],
    F.FSE: [("211", 120000), ("212", 80000), ("213", 38128), ("214", 30000)],
    F.COMMUNES: [(code, None) for code in ("215", "322", "350", "324", "402")],
    F.OTHER: [(code, None) for code in ("351", "352", "223", "402")],
    F.SALES: [(code, None) for code in ("350", "353", "216", "101", "102")],
}
TOTALS_2023 = {
    F.METROPOLE: 642788,
    F.REGION: 365027,
    F.STATE: 356782,
    F.FSE: 268128,
    F.COMMUNES: 154000,
    F.OTHER: 70554,
    F.SALES: 144525,
}
# Operators' PLIE projects of 2023: (operator key, code, PLIE credits, FSE); with the association's PLIE
# lines (568,128 € incl. 268,128 € FSE) the programmation is 919,385 € incl. 365,000 € FSE.
OPERATOR_PROJECTS = [
    ("irfa", "PLIE-IRFA", 52000, 30000),
    ("cesam", "PLIE-CESAM", 48000, 28000),
    ("apsalc", "PLIE-APSALC", 45000, 22872),
    ("mission-locale", "PLIE-ML", 40000, 16000),
    ("cma", "PLIE-CMA", 24385, 0),
    ("chenove", "PLIE-CHENOVE", 23000, 0),
    ("quetigny", "PLIE-QUETIGNY", 22000, 0),
]
# Funders: category -> (context key, organization name) of the shared demo structures, else created here.
FUNDERS = {
    F.METROPOLE: ("dm-financeur", "Dijon Métropole – financement du PLIE"),
    F.REGION: ("region", "Région Bourgogne-Franche-Comté"),
    F.STATE: ("ddets", "État – DDETS de la Côte-d'Or"),
    F.FSE: ("fse", "Union européenne – FSE+"),
    F.COMMUNES: ("", "Communes de Dijon Métropole (participations)"),
    F.OTHER: ("", "Autres financeurs (fondations, CEE, OPCO)"),
    F.SALES: ("", "Ventes et prestations (clients)"),
}
CREATED_FUNDER_NAMES = [name for key, name in FUNDERS.values() if not key]
CALL_2024 = "Appel à projets PLIE 2024"
CALL_NEXT = "Appel à projets PLIE {year}"
CRITERIA = [
    ("Méthode et contenu de l'action", 30),
    ("Expérience du public", 20),
    ("Partenariats", 20),
    ("Budget", 15),
    ("Moyens humains", 15),
]
STAFF_COUNT = 27


def _org(ctx, key, name, kind=None):
    organization = ctx.organizations.get(key) if key else None
    organization = organization or ctx.organizations.get(name)
    if organization is None:
        organization = Organization.objects.filter(name=name).first()
    if organization is None and kind:
        # The demo's e-mail domain makes it one of the demo's structures (deleted with them).
        slug = name.split()[0].lower()
        organization = Organization.objects.create(
            name=name, kind=kind, email=f"financement@{slug}.{EMAIL_DOMAIN}", commune=_dijon()
        )
        Contact.objects.create(
            organization=organization,
            first_name=ctx.faker.first_name(),
            last_name=ctx.faker.last_name(),
            job_title="Gestionnaire des financements",
        )
    return organization


def _dijon():
    return Commune.objects.filter(insee_code="21231").first()


def _user(ctx, local):
    return ctx.users.get(local)


def _euros(total: int, weights: list[int]) -> list[int]:
    """Whole euros in proportion to weights, adding up to total."""
    if not weights:
        return []
    parts = [int(p) for p in selectors.split_amount(Decimal(total), [Decimal(w) for w in weights])]
    parts[parts.index(max(parts))] += total - sum(parts)
    return parts


def build(ctx) -> list[str]:
    rng = ctx.rng
    by = _user(ctx, "direction") or _user(ctx, "coordination")
    funders = {}
    for category, (key, name) in FUNDERS.items():
        organization = _org(ctx, key, name, OrganizationKind.FUNDER)
        funders[category], _ = Funder.objects.get_or_create(organization=organization, defaults={"category": category})
    projects = {}
    for code, title, dispositif in PROJECTS:
        projects[code] = Project.objects.create(
            code=code,
            title=title,
            dispositif=dispositif,
            starts_on=datetime.date(2019, 1, 1),
            main_theme=dict(Dispositif.choices)[dispositif],
            purpose=f"{title} : action portée par l'association au titre de son dispositif "
            f"« {dict(Dispositif.choices)[dispositif]} ».",
            expected_results="Résultats suivis dans les indicateurs du rapport d'activité.",
            objectives="Voir la convention du financeur principal.",
        )
    operators = {}
    for key, code, _credits, _fse_amount in OPERATOR_PROJECTS:
        operator = _org(ctx, key, key.upper(), None)
        if operator is None:
            continue
        operators[key] = operator
        projects[code] = Project.objects.create(
            code=code,
            title=f"Accompagnement des parcours PLIE – {operator.name}",
            dispositif=D.PLIE,
            operator=operator,
            starts_on=datetime.date(2021, 1, 1),
        )
    lines = _lines_2023(funders, projects)
    for year, factor in ((2022, Decimal("0.96")), (2024, Decimal("0.95"))):
        lines += _other_year(year, factor, funders, projects)
    FundingLine.objects.bulk_create(lines)
    staff = _staff(ctx, projects, rng)
    summary = [
        f"Programmation et financements : {len(projects)} projets, {len(lines)} lignes de financement "
        f"({', '.join(str(y) for y in (2022, 2023, 2024))}), {staff} salarié·es réparti·es par projet"
    ]
    summary += _calls(ctx, operators, by, rng)
    summary += _fse(ctx, operators, projects, by)
    table = selectors.funders_table(2023)
    programmation = selectors.programmation_table(2023)
    summary.append(
        f"  2023 : {table.total.lines} lignes de l'association, total {services.french_amount(table.total.granted)} "
        f"(calculé) ; programmation PLIE {services.french_amount(programmation.total.granted)} dont FSE+ "
        f"{services.french_amount(programmation.total.fse)}"
    )
    return summary


def _line(funder, project, year, amount, number, received_ratio=Decimal("1")):
    amount = Decimal(amount)
    return FundingLine(
        funder=funder,
        project=project,
        year=year,
        programme="",
        amount_requested=amount,
        amount_granted=amount,
        decision_reference=f"DEL-{year}-{number:03d}",
        decided_on=datetime.date(year, 3, 1) + timedelta(days=number % 60),
        amount_received=(amount * received_ratio).quantize(Decimal("0.01")),
        interim_justification_due_on=datetime.date(year, 9, 30),
        final_justification_due_on=datetime.date(year + 1, 6, 30),
    )


def _lines_2023(funders, projects):
    lines = []
    number = 0
    for category, specs in LINES_2023.items():
        fixed = sum(amount for _, amount in specs if amount)
        open_codes = [code for code, amount in specs if amount is None]
        rest = _euros(TOTALS_2023[category] - fixed, [len(code) * 7 + int(code) % 13 + 5 for code in open_codes])
        amounts = iter(rest)
        for code, amount in specs:
            number += 1
            lines.append(_line(funders[category], projects[code], 2023, amount or next(amounts), number))
    for _, code, plie, fse in OPERATOR_PROJECTS:
        if code not in projects:
            continue
        number += 1
        lines.append(_line(funders[F.METROPOLE], projects[code], 2023, plie, number))
        if fse:
            number += 1
            lines.append(_line(funders[F.FSE], projects[code], 2023, fse, number))
    return lines


def _other_year(year, factor, funders, projects):
    """The 2023 lines scaled; in 2024 the Métropole's lines are those of its 21 March deliberation."""
    lines = []
    metropole_2024 = {"100": 200000, "211": 300000, "215": 36000}
    for line in _lines_2023(funders, projects):
        if year == 2024 and line.funder.category == F.METROPOLE and line.project.operator_id is None:
            if line.project.code not in metropole_2024:
                continue
            amount = metropole_2024[line.project.code]
            new = _line(line.funder, line.project, year, amount, 1, received_ratio=Decimal("0.8"))
            new.decision_reference = "Bureau métropolitain du 21/03/2024"
            new.decided_on = datetime.date(2024, 3, 21)
            new.votes_for, new.votes_against, new.abstentions = 35, 0, 0
            new.programme = "Subvention 2024 de Creativ'"
            lines.append(new)
            continue
        amount = int(line.amount_requested * factor)
        lines.append(_line(line.funder, line.project, year, amount, len(lines) + 1))
    return lines


def _staff(ctx, projects, rng):
    internal = [
        u
        for u in ctx.users.values()
        if any(m.organization.kind == OrganizationKind.LEAD for m in u.active_memberships)
    ]
    codes = [code for code, _, _ in PROJECTS]
    count = 0
    for year in (2023, 2024):
        for index in range(STAFF_COUNT):
            user = internal[index] if index < len(internal) else None
            name = "" if user else ctx.faker.name()
            staff_year = StaffYear.objects.create(
                year=year, user=user, staff_name=name, annual_cost=Decimal(rng.randrange(3600000, 5600000)) / 100
            )
            chosen = rng.sample(codes, rng.choice((1, 2, 3)))
            weights = _euros(100, [rng.randint(1, 5) for _ in chosen])
            if rng.random() < 0.15:
                weights[0] = max(1, weights[0] - 10)  # some time left unallocated
            StaffAllocation.objects.bulk_create(
                StaffAllocation(staff_year=staff_year, project=projects[code], percent=Decimal(w))
                for code, w in zip(chosen, weights, strict=True)
                if w > 0
            )
            count += year == 2023
    return count


def _at(day, hour, minute, second=0):
    return datetime.datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=PARIS)


def _calls(ctx, operators, by, rng):
    call = CallForProjects.objects.create(
        title=CALL_2024,
        year=2024,
        description="Appel à projets annuel du PLIE de Dijon Métropole (protocole 2021-2026).",
        published_at=_at(datetime.date(2023, 11, 9), 9, 0),
        deadline=services.end_of_day_in_paris(datetime.date(2023, 12, 1)),
        committee_on=datetime.date(2023, 12, 7),
    )
    btp = CallAction.objects.create(
        call=call,
        title="Accompagnement des participants des clauses BTP",
        description="Accueil, modules métiers du BTP, mise en relation, suivi de chantier, bilans.",
        people_target=90,
        positive_exit_target=Decimal("25"),
        plie_ceiling=Decimal("21201"),
    )
    pathways = CallAction.objects.create(
        call=call,
        title="Accompagnement des parcours PLIE (référent·es de parcours)",
        people_target=110,
        positive_exit_target=Decimal("30"),
        plie_ceiling=Decimal("55000"),
    )
    criteria = [
        ScoringCriterion.objects.create(call=call, label=label, max_points=points, position=position)
        for position, (label, points) in enumerate(CRITERIA)
    ]
    conventions = 0
    answers = 0
    for index, (key, operator) in enumerate(operators.items()):
        action = btp if key == "irfa" else pathways
        referent = next((u for local, u in ctx.users.items() if local.endswith(f".{key}")), None)
        ceiling = action.plie_ceiling
        amount = min(ceiling, Decimal(rng.randrange(int(ceiling * 80), int(ceiling * 100))) / 100).quantize(
            Decimal("1")
        )
        submitted = _at(datetime.date(2023, 11, 20 + index % 10), 10 + index, 15 * (index % 4), 7 * index % 60)
        if key == "irfa":
            submitted = _at(datetime.date(2023, 12, 1), 23, 58, 41)
        answer = Answer.objects.create(
            call=call,
            action=action,
            operator=operator,
            summary=f"Réponse de {operator.name} : {action.title.lower()}.",
            people_planned=action.people_target,
            positive_exit_planned=action.positive_exit_target,
            amount_plie=amount,
            amount_fse=(amount * Decimal("0.6")).quantize(Decimal("1")) if key != "cma" else Decimal("0"),
            total_budget=(amount * Decimal("1.9")).quantize(Decimal("1")),
            created_by=referent,
            submitted_at=submitted,
            submitted_by=referent,
        )
        answer.receipt_number = f"AAP2024-{call.pk:03d}-{answer.pk:05d}"
        answer.save(update_fields=["receipt_number"])
        answers += 1
        for criterion in criteria:
            Score.objects.create(
                answer=answer,
                criterion=criterion,
                points=Decimal(rng.randint(criterion.max_points // 2, criterion.max_points)),
                scored_by=by,
            )
        if key == "quetigny":
            CommitteeDecision.objects.create(
                answer=answer,
                held_on=datetime.date(2023, 12, 7),
                outcome=CommitteeOutcome.REFUSED,
                comments="Moyens humains insuffisants pour le nombre de parcours prévus.",
                recorded_by=by,
            )
            continue
        if key == "cma":
            CommitteeDecision.objects.create(
                answer=answer,
                held_on=datetime.date(2023, 12, 7),
                outcome=CommitteeOutcome.QUESTIONS,
                comments="Préciser le calendrier des ateliers et le temps de référent·e affecté.",
                recorded_by=by,
            )
        decision = CommitteeDecision.objects.create(
            answer=answer,
            held_on=datetime.date(2023, 12, 14 if key == "cma" else 7),
            outcome=CommitteeOutcome.ACCEPTED,
            amount_granted=amount,
            recorded_by=by,
        )
        convention = services.create_convention_from_answer(
            answer=answer, number=f"CV-PLIE-2024-{index + 1:02d}", starts_on=datetime.date(2024, 1, 1), by=by
        )
        convention.signed_on = decision.held_on + timedelta(days=20)
        convention.save(update_fields=["signed_on"])
        conventions += 1
        if key == "irfa":
            services.add_avenant(
                convention=convention,
                purpose="Prolongation de deux mois pour achever les suivis de chantier.",
                committee_validated_on=datetime.date(2024, 11, 21),
                new_ends_on=datetime.date(2025, 2, 28),
                by=by,
            )
        current = convention
        for year in range(2025, min(ctx.today.year, 2026) + 1):
            if services.refusal_of_renewal(current):
                break
            current = services.renew_convention(convention=current, number=f"CV-PLIE-{year}-{index + 1:02d}", by=by)
            conventions += 1
    _obligations_done(ctx.today, rng)
    next_year = ctx.today.year + 1
    upcoming = CallForProjects.objects.create(
        title=CALL_NEXT.format(year=next_year),
        year=next_year,
        description="Appel à projets annuel du PLIE : réponses sur la plateforme.",
        published_at=_at(ctx.today - timedelta(days=10), 9, 0),
        deadline=services.end_of_day_in_paris(ctx.today + timedelta(days=20)),
        committee_on=ctx.today + timedelta(days=27),
    )
    CallAction.objects.create(
        call=upcoming,
        title=btp.title,
        description=btp.description,
        people_target=90,
        positive_exit_target=Decimal("25"),
        plie_ceiling=Decimal("21201"),
    )
    for label, points in CRITERIA:
        ScoringCriterion.objects.create(call=upcoming, label=label, max_points=points)
    return [
        f"  appels à projets : « {CALL_2024} » ({answers} réponses notées, décisions du comité, {conventions} "
        f"conventions avec avenants et renouvellements) et « {upcoming.title} » ouvert jusqu'au "
        f"{services.paris_time(upcoming.deadline)}"
    ]


def _obligations_done(today, rng):
    """Most obligations already due were handed in, a few late, some not yet: the late list has rows."""
    demo = Obligation.objects.filter(convention__number__startswith="CV-PLIE-")
    for obligation in demo.filter(due_on__lt=today, done_on__isnull=True).order_by("pk"):
        draw = rng.random()
        if draw < 0.75:
            obligation.done_on = obligation.due_on - timedelta(days=rng.randint(0, 10))
        elif draw < 0.9:
            obligation.done_on = min(today, obligation.due_on + timedelta(days=rng.randint(1, 20)))
        else:
            continue
        obligation.save(update_fields=["done_on"])


def _fse(ctx, operators, projects, by):
    count = 0
    for key in ("irfa", "cesam"):
        if key not in operators:
            continue
        operation = FseOperation.objects.create(
            title=f"PLIE de Dijon Métropole 2023 – accompagnement {operators[key].name}",
            project=projects[[c for k, c, _, _ in OPERATOR_PROJECTS if k == key][0]],
            mdfse_number=f"2023-BFC-{key.upper()}-0001",
            organization=operators[key],
            programme=Programme.PLIE,
            starts_on=datetime.date(2023, 1, 1),
            ends_on=datetime.date(2023, 12, 31),
        )
        FseExpenseLine.objects.bulk_create(
            [
                FseExpenseLine(
                    operation=operation,
                    label="Frais de personnel",
                    eligible_amount=Decimal("61250.00"),
                    fse_rate=Decimal("60"),
                ),
                FseExpenseLine(
                    operation=operation,
                    label="Coûts indirects (forfait 15 %)",
                    eligible_amount=Decimal("9187.50"),
                    fse_rate=Decimal("60"),
                ),
                FseExpenseLine(
                    operation=operation,
                    label="Prestations externes",
                    eligible_amount=Decimal("4320.00"),
                    fse_rate=Decimal("40"),
                ),
            ]
        )
        count += 1
    return [f"  {count} opérations FSE+ (dépenses éligibles, participant·es suivi·es plus d'un jour)"]


def is_loaded(ctx) -> bool:
    """Whether the loaded demo has this module's data (a demo of an earlier version has none)."""
    return Project.objects.filter(code="211").exists() and CallForProjects.objects.filter(title=CALL_2024).exists()


def delete(ctx) -> None:
    """The module's demo rows and their history. The funders' structures created here carry the demo's
    e-mail domain: the demo deletes them with its own structures (here only when they are not among them)."""
    codes = [code for code, _, _ in PROJECTS] + [code for _, code, _, _ in OPERATOR_PROJECTS]
    projects = Project.objects.filter(code__in=codes)
    calls = CallForProjects.objects.filter(Q(title=CALL_2024) | Q(title__startswith="Appel à projets PLIE "))
    conventions = Convention.objects.filter(Q(answer__call__in=calls) | Q(number__startswith="CV-PLIE-"))
    answers = Answer.objects.filter(call__in=calls)
    operations = FseOperation.objects.filter(project__in=projects)
    staff_years = StaffYear.objects.filter(allocations__project__in=projects).distinct()
    funders = Funder.objects.filter(
        Q(organization__in=ctx.organization_ids) | Q(organization__name__in=CREATED_FUNDER_NAMES)
    )
    rows = {
        Project: projects,
        FundingLine: FundingLine.objects.filter(project__in=projects),
        StaffYear: staff_years,
        StaffAllocation: StaffAllocation.objects.filter(staff_year__in=staff_years),
        CallForProjects: calls,
        Answer: answers,
        Score: Score.objects.filter(answer__in=answers),
        CommitteeDecision: CommitteeDecision.objects.filter(answer__in=answers),
        Convention: conventions,
        Avenant: Avenant.objects.filter(convention__in=conventions),
        Obligation: Obligation.objects.filter(convention__in=conventions),
        FseOperation: operations,
        FseExpenseLine: FseExpenseLine.objects.filter(operation__in=operations),
        Funder: funders,
    }
    ids = {model: list(queryset.values_list("pk", flat=True)) for model, queryset in rows.items()}
    FseOperation.objects.filter(pk__in=ids[FseOperation]).delete()  # with its lines
    Obligation.objects.filter(pk__in=ids[Obligation]).delete()
    Avenant.objects.filter(pk__in=ids[Avenant]).delete()
    # Renewals protect the conventions they renew: the newest go first.
    for convention in Convention.objects.filter(pk__in=ids[Convention]).order_by("-starts_on"):
        convention.delete()
    Answer.objects.filter(pk__in=ids[Answer]).delete()  # scores and decisions cascade
    CallForProjects.objects.filter(pk__in=ids[CallForProjects]).delete()  # actions and criteria cascade
    FundingLine.objects.filter(pk__in=ids[FundingLine]).delete()
    StaffYear.objects.filter(pk__in=ids[StaffYear]).delete()  # allocations cascade
    Project.objects.filter(pk__in=ids[Project]).delete()
    Funder.objects.filter(pk__in=ids[Funder]).delete()
    for model, pks in ids.items():
        model.history.model.objects.filter(id__in=pks).delete()
    created = Organization.objects.filter(name__in=CREATED_FUNDER_NAMES, kind=OrganizationKind.FUNDER).exclude(
        pk__in=ctx.organization_ids
    )
    created_ids = list(created.values_list("pk", flat=True))
    Contact.objects.filter(organization__in=created_ids).delete()
    created.delete()
    Contact.history.model.objects.filter(organization_id__in=created_ids).delete()
    Organization.history.model.objects.filter(id__in=created_ids).delete()
