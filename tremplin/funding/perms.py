"""Doors to the programmation and funding records: every funding view enters through one of these.

Qui voit quoi (docs/permissions.md, « Programmation et financements ») :
- la coordination (coordination, assistance) et la direction/finances gèrent tout : projets, lignes de
  financement, répartition analytique, appels à projets, notation, comité de pilotage, conventions, FSE+ ;
- un opérateur (structure de type opérateur : ses membres, et les référent·es de parcours) lit les
  appels publiés, dépose ses réponses et ne voit que ses réponses et ses conventions, jamais les
  montants des autres opérateurs ;
- un financeur ne voit que la synthèse agrégée de l'année (tableau des financeurs, totaux par dispositif) ;
- les autres rôles reçoivent 404. Hors périmètre : 404, comme un identifiant inconnu.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from tremplin.accounts.enums import Role
from tremplin.funding.models import (
    Answer,
    CallForProjects,
    Convention,
    FseOperation,
    FundingLine,
    Obligation,
    Project,
)
from tremplin.structures.enums import OrganizationKind

MANAGERS = {Role.COORDINATOR, Role.ASSISTANT, Role.MANAGER}


def manages_funding(user) -> bool:
    return user.is_authenticated and (user.is_superuser or bool(user.roles & MANAGERS))


def operator_ids(user) -> list[int]:
    """The operator structures the user answers for: memberships of operator structures, and
    the structures where they are référent·e."""
    if not user.is_authenticated:
        return []
    return sorted(
        {
            m.organization_id
            for m in user.active_memberships
            if m.organization.kind == OrganizationKind.OPERATOR or m.role == Role.REFERENT
        }
    )


def is_operator(user) -> bool:
    return bool(operator_ids(user)) and not manages_funding(user)


def is_funder(user) -> bool:
    return user.is_authenticated and Role.FUNDER in user.roles and not manages_funding(user)


def has_funding_access(user) -> bool:
    return manages_funding(user) or is_operator(user) or is_funder(user)


def require_manager(user) -> None:
    """Management pages: 404 for those who have nothing here, 403 for operators and funders."""
    if not has_funding_access(user):
        raise Http404
    if not manages_funding(user):
        raise PermissionDenied("Seules la coordination et la direction gèrent la programmation.")


def require_manager_or_404(user) -> None:
    """Pages listing other operators' amounts or records: not even their existence is shown."""
    if not manages_funding(user):
        raise Http404


def require_summary_access(user) -> None:
    if not (manages_funding(user) or is_funder(user)):
        raise Http404


def require_operator_or_manager(user) -> None:
    if not (manages_funding(user) or is_operator(user)):
        raise Http404


def shows_amounts_of(user, operator_id) -> bool:
    return manages_funding(user) or operator_id in operator_ids(user)


# Querysets ------------------------------------------------------------------------------------------


def calls_visible_to(user):
    if manages_funding(user):
        return CallForProjects.objects.all()
    if is_operator(user):
        return CallForProjects.objects.published()
    return CallForProjects.objects.none()


def answers_visible_to(user):
    # A draft is the operator's own until it is submitted: the coordination reads submitted answers.
    if manages_funding(user):
        return Answer.objects.submitted()
    ids = operator_ids(user)
    if ids:
        return Answer.objects.filter(operator_id__in=ids)
    return Answer.objects.none()


def conventions_visible_to(user):
    if manages_funding(user):
        return Convention.objects.all()
    ids = operator_ids(user)
    if ids:
        return Convention.objects.filter(operator_id__in=ids)
    return Convention.objects.none()


# Objects --------------------------------------------------------------------------------------------


def get_project_for_user(request, project_id, *, write=False) -> Project:
    require_manager_or_404(request.user)
    return get_object_or_404(Project.objects.select_related("operator"), pk=project_id)


def get_line_for_user(request, line_id) -> FundingLine:
    require_manager_or_404(request.user)
    return get_object_or_404(FundingLine.objects.select_related("funder", "project"), pk=line_id)


def get_call_for_user(request, call_id, *, write=False) -> CallForProjects:
    call = get_object_or_404(calls_visible_to(request.user), pk=call_id)
    if write and not manages_funding(request.user):
        raise PermissionDenied("Seule la coordination gère les appels à projets.")
    return call


def get_answer_for_user(request, answer_id, *, write=False, manage=False) -> Answer:
    """`write`: the operator edits or submits its own answer; `manage`: scoring and decisions."""
    answer = get_object_or_404(
        answers_visible_to(request.user).select_related("call", "action", "operator"), pk=answer_id
    )
    if manage and not manages_funding(request.user):
        raise PermissionDenied("Seule la coordination note les réponses et saisit les décisions.")
    if write and answer.operator_id not in operator_ids(request.user) and not manages_funding(request.user):
        raise PermissionDenied
    return answer


def get_convention_for_user(request, convention_id, *, write=False) -> Convention:
    convention = get_object_or_404(conventions_visible_to(request.user).select_related("operator"), pk=convention_id)
    if write and not manages_funding(request.user):
        raise PermissionDenied("Seules la coordination et la direction modifient les conventions.")
    return convention


def get_obligation_for_user(request, obligation_id) -> Obligation:
    """The operator marks its own obligations as handed in; the coordination any of them."""
    return get_object_or_404(
        Obligation.objects.filter(convention__in=conventions_visible_to(request.user)).select_related("convention"),
        pk=obligation_id,
    )


def get_fse_operation_for_user(request, fse_operation_id) -> FseOperation:
    require_manager_or_404(request.user)
    return get_object_or_404(FseOperation.objects.select_related("project", "organization"), pk=fse_operation_id)


def operator_q(user, field="operator_id") -> Q:
    """Restriction of figures to the user's operator structures (Q() for those who see everything)."""
    if user is None or manages_funding(user) or is_funder(user):
        return Q()
    return Q(**{f"{field}__in": operator_ids(user)})
