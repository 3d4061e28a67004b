"""What tests/test_access.py learns about the funding module (contract in tremplin/core/modules.py).

World: IRFA (the world's operator structure) answered a published call (answer submitted, accepted,
convention with an obligation); another operator answered the same call. Rules checked on every route:
- coordination, assistance and direction manage: they never get 404 on the world's records;
- an operator user sees only its structure's answers and conventions (the other one: 404, as an
  unknown id) and never reads another operator's amounts; management pages answer 403 or 404;
- a funder reads the aggregated summary only (its XLSX too): every other page answers 403 or 404;
- every other role gets 404 (or 405) on every funding page.
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import OrganizationFactory
from tests.funding.factories import (
    AnswerFactory,
    CallActionFactory,
    CallFactory,
    ConventionFactory,
    FseOperationFactory,
    FundingLineFactory,
    ObligationFactory,
    ProjectFactory,
)
from tremplin.funding.enums import CommitteeOutcome
from tremplin.funding.models import CommitteeDecision, FseExpenseLine, ScoringCriterion

NAMESPACES = {"funding"}
# Answers and conventions are structures' records, not a person's: the person-scope walk does not apply.
PERSON_PARAMETERS = ()

MANAGERS = {"coordinator", "assistant", "manager"}
OWN_READS = {
    "funding:answer_detail",
    "funding:answer_receipt",
    "funding:answer_document",
    "funding:convention_detail",
}
OWN_OPERATOR = "referent_same_structure"
OTHER_OPERATOR = "referent_other_structure"
OPERATORS = {OWN_OPERATOR, OTHER_OPERATOR}
FUNDER = "funder"
SUMMARY_ROUTES = {"funding:home", "funding:summary", "funding:funders_xlsx"}
# Routes about the world operator's records (IRFA): hidden from other operators.
OPERATOR_RECORD_PARAMETERS = ("answer_id", "convention_id", "obligation_id")
# Amounts of IRFA's answer and convention, and of the other operator's answer, as pages print them.
IRFA_AMOUNTS = ("987,65", "765,43")
OTHER_AMOUNT = "876,54"


def build(world) -> dict[str, str]:
    irfa = world["organization"]
    users = world["users"]
    coordinator = users["coordinator"]
    now = timezone.now()
    call = CallFactory(published_at=now - datetime.timedelta(days=5), deadline=now + datetime.timedelta(days=20))
    action = CallActionFactory(call=call, plie_ceiling=Decimal("30000"))
    ScoringCriterion.objects.create(call=call, label="Méthode", max_points=10)
    answer = AnswerFactory(
        action=action,
        operator=irfa,
        amount_plie=Decimal("20987.65"),
        total_budget=Decimal("60000"),
        submitted_at=now - datetime.timedelta(days=1),
        submitted_by=users[OWN_OPERATOR],
        receipt_number="AAP-TEST-00001",
        document=SimpleUploadedFile("dossier.pdf", b"%PDF-1.4 dossier"),
    )
    AnswerFactory(
        action=action,
        operator=OrganizationFactory(name="Opérateur concurrent"),
        amount_plie=Decimal("19876.54"),
        total_budget=Decimal("60000"),
        submitted_at=now - datetime.timedelta(days=2),
        receipt_number="AAP-TEST-00002",
    )
    CommitteeDecision.objects.create(
        answer=answer,
        held_on=timezone.localdate(),
        outcome=CommitteeOutcome.ACCEPTED,
        amount_granted=Decimal("18765.43"),
        recorded_by=coordinator,
    )
    convention = ConventionFactory(operator=irfa, answer=answer, amount_plie=Decimal("18765.43"))
    obligation = ObligationFactory(convention=convention, due_on=timezone.localdate() - datetime.timedelta(days=3))
    project = ProjectFactory(code="211", title="Animation du PLIE")
    line = FundingLineFactory(project=project, year=timezone.localdate().year)
    fse = FseOperationFactory(project=project, organization=irfa)
    FseExpenseLine.objects.create(operation=fse, label="Salaires", eligible_amount=Decimal("1000"), fse_rate=50)
    # The world's person, followed by IRFA in the PLIE since 2023 (tests/test_access.py), is a participant.
    return {
        "call_id": call.pk,
        "answer_id": answer.pk,
        "convention_id": convention.pk,
        "obligation_id": obligation.pk,
        "project_id": project.pk,
        "line_id": line.pk,
        "fse_operation_id": fse.pk,
    }


def _body(response) -> str:
    if response.streaming:
        return ""  # no streamed page in this module
    return response.content.decode(errors="replace")


def check(persona, name, method, response, where, world) -> None:
    status = response.status_code
    pattern_takes_record = any(f"<int:{p}>" in _pattern(name) for p in OPERATOR_RECORD_PARAMETERS)
    body = _body(response) if "pdf" not in response.get("Content-Type", "") else ""
    if persona in MANAGERS:
        assert status != 404, f"The coordination and the direction manage the programmation: {where}"
        if method == "get":
            # Answering (and editing an answer) is the operators' own act.
            operators_only = name in ("funding:answer_create", "funding:answer_edit") and status == 403
            assert status in (200, 302, 405) or operators_only, f"The coordination reads every page: {where}"
        return
    if persona in OPERATORS:
        if persona == OTHER_OPERATOR and pattern_takes_record:
            assert status in (404, 405), f"Another operator's answer or convention: {where}"
        if persona == OWN_OPERATOR and pattern_takes_record and method == "get":
            if name in OWN_READS:
                assert status == 200, f"An operator reads its own answer and convention: {where}"
            else:
                assert status in (200, 403, 405), where
        if name in MANAGEMENT_ROUTES:
            assert status in (403, 404, 405), f"Operators do not manage: {where}"
        assert OTHER_AMOUNT not in body, f"Another operator's amount: {where}"
        if persona == OTHER_OPERATOR:
            for amount in IRFA_AMOUNTS:
                assert amount not in body, f"Another operator's amount: {where}"
        return
    if persona == FUNDER:
        if name in SUMMARY_ROUTES:
            if method == "get":
                assert status in (200, 302), f"Funders read the aggregates: {where}"
        else:
            assert status in (403, 404, 405), f"Funders see aggregates only: {where}"
        for amount in (*IRFA_AMOUNTS, OTHER_AMOUNT):
            assert amount not in body, f"An operator's amount shown to a funder: {where}"
        return
    assert status in (404, 405), f"No programmation for this role: {where}"


def _pattern(name) -> str:
    from tremplin.funding import urls

    short = name.split(":", 1)[1]
    return next((str(route.pattern) for route in urls.urlpatterns if route.name == short), "")


# Pages only the coordination and the direction reach (operators: 403 or 404).
MANAGEMENT_ROUTES = {
    "funding:summary",
    "funding:funders_xlsx",
    "funding:project_list",
    "funding:project_create",
    "funding:project_detail",
    "funding:project_edit",
    "funding:line_list",
    "funding:line_create",
    "funding:line_edit",
    "funding:funder_create",
    "funding:lines_xlsx",
    "funding:programmation_xlsx",
    "funding:split",
    "funding:split_xlsx",
    "funding:staff_year_create",
    "funding:allocation_create",
    "funding:call_create",
    "funding:call_publish",
    "funding:action_create",
    "funding:criterion_create",
    "funding:answer_score",
    "funding:answer_decide",
    "funding:convention_create",
    "funding:avenant_create",
    "funding:convention_renew",
    "funding:fse_list",
    "funding:fse_create",
    "funding:fse_detail",
    "funding:fse_line_create",
    # The forms' searches of projects and structures (tremplin.core.widgets.SearchSelect).
    "funding:search_projects",
    "funding:search_organizations",
}
KNOWN_ROUTES = {"funding:search_projects", "funding:search_organizations"}
