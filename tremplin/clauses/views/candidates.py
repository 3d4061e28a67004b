"""Clauses screens with people: referral, eligibility, validation interview and decision, the pool,
placement on a lot and the tripartite evaluation.

Every view enters through tremplin.clauses.perms (`get_candidate_for_user`, `get_placement_for_user`,
which start from `Person.objects.visible_to`): a person outside the user's scope answers 404.
"""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.clauses import perms, selectors, services
from tremplin.clauses.enums import CandidateStatus, EvaluationStatus
from tremplin.clauses.forms import (
    CandidateFilterForm,
    DecisionForm,
    EligibilityForm,
    EvaluationForm,
    IdentityForm,
    InterviewForm,
    JobsForm,
    PlacementEndForm,
    PlacementForm,
    ReferralForm,
    WithdrawForm,
    companies,
    lot_label,
    placement_lots,
)
from tremplin.clauses.views.operations import apply_errors, form_page
from tremplin.core.views import paginate
from tremplin.core.widgets import search_options_response
from tremplin.people.models import Person
from tremplin.people.services import find_likely_duplicates, log_access, log_shown, visible_duplicates
from tremplin.territory.models import Commune

PAGE_SIZE = 50


def candidate_url(candidate) -> str:
    return reverse("clauses:candidate_detail", kwargs={"candidate_id": candidate.pk})


def placement_url(placement) -> str:
    return reverse("clauses:placement_detail", kwargs={"placement_id": placement.pk})


# --- Lists ---------------------------------------------------------------------------------------


def _list(request, *, pool: bool):
    user = request.user
    perms.require_candidates_access(user)
    data = request.GET.copy()
    if not pool and "status" not in data and perms.is_clauses_staff(user):
        # The team's worklist: referrals to receive. Référents and prescribers see all their people's.
        data["status"] = CandidateStatus.REFERRED
    form = CandidateFilterForm(data, pool=pool)
    filters = form.filters()
    queryset = selectors.pool(user=user, **filters) if pool else selectors.candidates(user=user, **filters)
    listing = paginate(request, queryset, per_page=PAGE_SIZE, filters=data)
    log_shown(request, listing["page"])
    context = {
        "form": form,
        **listing,
        "pool": pool,
        "can_refer": perms.can_refer(user),
    }
    if request.htmx and request.htmx.target == "candidates":
        return render(request, "clauses/_candidates.html", context)
    return render(request, "clauses/candidate_list.html", context)


@login_required
@require_GET
def candidate_list(request):
    return _list(request, pool=False)


@login_required
@require_GET
def pool(request):
    return _list(request, pool=True)


@login_required
@require_GET
def evaluation_list(request):
    perms.require_candidates_access(request.user)
    page = Paginator(selectors.evaluations_due(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    log_shown(request, page)
    return render(request, "clauses/evaluation_list.html", {"page": page})


# --- Referral ------------------------------------------------------------------------------------


def _duplicate_rows(duplicates):
    """The likely duplicates of the user's scope (visible_duplicates): never a match outside it."""
    return [{"person": d.person, "reasons": d.reasons, "named": True} for d in duplicates]


def _identity_of(user, public_id) -> dict:
    """The identity of a person of the user's scope, to refer them from their record."""
    if not public_id:
        return {}
    try:
        person = Person.objects.visible_to(user).filter(public_id=public_id).select_related("commune").first()
    except ValidationError:  # not a UUID
        return {}
    if person is None:
        return {}
    fields = ["last_name", "birth_name", "first_name", "sex", "birth_date", "email", "phone", "address", "postcode"]
    return {
        **{name: getattr(person, name) for name in fields},
        "commune": person.commune,
        "public_id": person.public_id,
    }


@login_required
@require_http_methods(["GET", "POST"])
def referral_create(request):
    """Record a referral: the person is found in the registry (never duplicated) or registered."""
    user = request.user
    perms.require_referrer(user)
    identity = IdentityForm(
        request.POST or None, prefix="person", initial=_identity_of(user, request.GET.get("personne"))
    )
    referral = ReferralForm(request.POST or None, request.FILES or None, user=user)
    duplicates = []
    if request.method == "POST" and identity.is_valid() and referral.is_valid():
        person_data = identity.person_data()
        found = find_likely_duplicates(
            first_name=person_data["first_name"],
            last_name=person_data["last_name"],
            birth_date=person_data["birth_date"],
            email=person_data.get("email", ""),
            phone=person_data.get("phone", ""),
        )
        # Only matches of the user's scope may be chosen: a posted id of anyone else is ignored, exactly as
        # an unknown one. Outside matches give an attachment request (refer_candidate), never a choice.
        shown = visible_duplicates(user=user, duplicates=found)
        chosen = next(
            (d.person for d in shown if str(d.person.public_id) == request.POST.get("existing_person")), None
        )
        confirmed = identity.cleaned_data["confirm_not_duplicate"]
        if chosen is not None or not shown or confirmed:
            try:
                candidate = services.refer_candidate(
                    by=user,
                    person=chosen,
                    new_person=None if chosen is not None else person_data,
                    confirmed_new=confirmed,
                    **referral.referral(),
                )
            except ValidationError as e:
                person_fields = set(identity.fields) - {"confirm_not_duplicate"}
                if hasattr(e, "error_dict") and set(e.error_dict) & person_fields:
                    apply_errors(identity, e)
                else:
                    apply_errors(referral, e)
            else:
                messages.success(request, f"Orientation de {candidate.person.full_name} enregistrée.")
                return redirect(candidate_url(candidate))
        duplicates = _duplicate_rows(shown)
        log_shown(request, [d.person for d in shown])
    errors = bool(identity.errors or referral.errors)
    context = {
        # A person chosen from their record (?personne=…) stays chosen while the form is corrected.
        "chosen": request.POST.get("existing_person") or identity.initial.get("public_id", ""),
        "identity": identity,
        "form": referral,
        "duplicates": duplicates,
        "communes": Commune.objects.only("name", "insee_code"),
    }
    return render(request, "clauses/referral_form.html", context, status=422 if errors else 200)


# --- A candidacy ---------------------------------------------------------------------------------


@login_required
@require_GET
def candidate_detail(request, candidate_id):
    user = request.user
    candidate = perms.get_candidate_for_user(request, candidate_id)
    log_access(person=candidate.person, user=user, request=request)
    can_work = perms.can_work_on_person(user, candidate.person)
    placements = candidate.placements.select_related("lot__market__operation", "employer").order_by("-started_on")
    context = {
        "candidate": candidate,
        "person": candidate.person,
        "can_work": can_work,
        "placements": placements,
        "eligibility_recorded": services.is_eligibility_recorded(candidate),
        "other_candidacies": perms.candidates_for(user).filter(person=candidate.person).exclude(pk=candidate.pk),
        "today": timezone.localdate(),
    }
    return render(request, "clauses/candidate_detail.html", context)


@login_required
@require_GET
def candidate_cv(request, candidate_id):
    candidate = perms.get_candidate_for_user(request, candidate_id)
    if not candidate.cv:
        raise Http404
    log_access(person=candidate.person, user=request.user, request=request)
    content_type = mimetypes.guess_type(candidate.cv.name)[0] or "application/pdf"
    return FileResponse(
        candidate.cv.open("rb"),
        as_attachment=True,
        filename=f"cv-{candidate.person.last_name}-{candidate.person.first_name}.pdf",
        content_type=content_type,
    )


def _candidate_form_page(request, candidate, form, *, save, success, title, submit, intro=""):
    return form_page(
        request,
        form,
        save=save,
        success=success,
        redirect_to=candidate_url(candidate),
        template="clauses/form.html",
        context={
            "title": title,
            "candidate": candidate,
            "back": candidate_url(candidate),
            "submit": submit,
            "intro": intro,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_eligibility(request, candidate_id):
    candidate = perms.get_candidate_for_user(request, candidate_id, write=True)
    form = EligibilityForm(request.POST or None, candidate=candidate)
    return _candidate_form_page(
        request,
        candidate,
        form,
        save=lambda data: services.record_eligibility(candidate=candidate, by=request.user, **data),
        success="Éligibilité enregistrée.",
        title=f"Éligibilité de {candidate.person.full_name}",
        submit="Enregistrer l'éligibilité",
        intro="Le public de la liste des publics éligibles, le justificatif vu et sa date.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_interview(request, candidate_id):
    candidate = perms.get_candidate_for_user(request, candidate_id, write=True)
    form = InterviewForm(request.POST or None, candidate=candidate)
    return _candidate_form_page(
        request,
        candidate,
        form,
        save=lambda data: services.schedule_interview(candidate=candidate, by=request.user, **data),
        success="Entretien de validation fixé : le prescripteur et le ou la référent·e PLIE en sont informés.",
        title=f"Entretien de validation de {candidate.person.full_name}",
        submit="Fixer l'entretien",
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_decision(request, candidate_id):
    candidate = perms.get_candidate_for_user(request, candidate_id, write=True)
    form = DecisionForm(request.POST or None)
    return _candidate_form_page(
        request,
        candidate,
        form,
        save=lambda data: services.decide_candidacy(
            candidate=candidate,
            status=data["status"],
            reason=data["decision_reason"],
            jobs_sought=data["jobs_sought"],
            by=request.user,
        ),
        success=lambda saved: (
            "Candidature validée : la personne entre dans le vivier."
            if saved.status == CandidateStatus.VALIDATED
            else "Candidature refusée ; l'avis motivé est transmis au prescripteur."
        ),
        title=f"Décision sur la candidature de {candidate.person.full_name}",
        submit="Enregistrer la décision",
        intro="Après l'entretien de validation : éligibilité et capacité à occuper dès maintenant un emploi dans le "
        "secteur marchand.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_jobs(request, candidate_id):
    candidate = perms.get_candidate_for_user(request, candidate_id, write=True)
    form = JobsForm(request.POST or None, candidate=candidate)
    return _candidate_form_page(
        request,
        candidate,
        form,
        save=lambda data: services.set_jobs_sought(candidate=candidate, jobs=data["jobs_sought"], by=request.user),
        success="Métiers recherchés mis à jour.",
        title=f"Métiers recherchés par {candidate.person.full_name}",
        submit="Enregistrer",
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_withdraw(request, candidate_id):
    candidate = perms.get_candidate_for_user(request, candidate_id, write=True)
    form = WithdrawForm(request.POST or None)
    return _candidate_form_page(
        request,
        candidate,
        form,
        save=lambda data: services.withdraw_candidate(candidate=candidate, by=request.user, **data),
        success="La personne est sortie du vivier.",
        title=f"Sortie du vivier de {candidate.person.full_name}",
        submit="Sortir du vivier",
    )


# --- Placement and evaluation --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def placement_create(request, candidate_id):
    candidate = perms.get_candidate_for_user(request, candidate_id, write=True)
    if candidate.status != CandidateStatus.VALIDATED:
        messages.error(request, "Seule une personne du vivier (candidature validée) peut être mise en emploi.")
        return redirect(candidate_url(candidate))
    form = PlacementForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        save=lambda data: services.place_candidate(candidate=candidate, by=request.user, **data),
        success="Mise en emploi enregistrée ; l'évaluation tripartite est à faire.",
        redirect_to=placement_url,
        template="clauses/placement_form.html",
        context={"candidate": candidate, "person": candidate.person},
    )


@login_required
@require_GET
def search_lots(request):
    """The placement form's lot search: the same lots as the form's list (`placement_lots`)."""
    perms.require_clauses_staff(request.user)
    return search_options_response(request, ((lot.pk, lot_label(lot)) for lot in placement_lots(request.user)))


@login_required
@require_GET
def search_employers(request):
    """The employer (placement) and attributaire (lot) search: the same companies and SIAE as the forms' list."""
    perms.require_clauses_staff(request.user)
    return search_options_response(request, companies().values_list("pk", "name"))


@login_required
@require_GET
def placement_detail(request, placement_id):
    user = request.user
    placement = perms.get_placement_for_user(request, placement_id)
    log_access(person=placement.person, user=user, request=request)
    can_work = perms.can_work_on_person(user, placement.person)
    context = {
        "placement": placement,
        "person": placement.person,
        "lot": placement.lot,
        "operation": placement.lot.market.operation,
        "can_work": can_work,
        "evaluation_form": EvaluationForm()
        if can_work and placement.evaluation_status == EvaluationStatus.TO_DO
        else None,
        "end_form": PlacementEndForm() if can_work and not placement.ended_on else None,
    }
    return render(request, "clauses/placement_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def placement_end(request, placement_id):
    placement = perms.get_placement_for_user(request, placement_id, write=True)
    form = PlacementEndForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.end_placement(placement=placement, by=request.user, **data),
        success="Fin de la mise en emploi enregistrée.",
        redirect_to=placement_url(placement),
        template="clauses/form.html",
        context={
            "title": f"Fin de la mise en emploi de {placement.person.full_name}",
            "back": placement_url(placement),
            "submit": "Enregistrer la fin",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_record(request, placement_id):
    placement = perms.get_placement_for_user(request, placement_id, write=True)
    form = EvaluationForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda data: services.record_evaluation(
            placement=placement, evaluated_on=data["evaluated_on"], notes=data["evaluation_notes"], by=request.user
        ),
        success="Évaluation tripartite enregistrée ; le prescripteur et le ou la référent·e PLIE en sont informés.",
        redirect_to=placement_url(placement),
        template="clauses/form.html",
        context={
            "title": f"Évaluation tripartite de {placement.person.full_name}",
            "back": placement_url(placement),
            "submit": "Enregistrer l'évaluation",
            "intro": f"{placement.person.full_name} chez {placement.employer} ({placement.lot}), depuis le "
            f"{placement.started_on:%d/%m/%Y} : la personne, son tuteur ou sa tutrice et le ou la facilitateur·rice.",
        },
    )
