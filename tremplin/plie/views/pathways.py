"""The pathway page and the référent's records on it: étapes, entretiens, contracts, FSE+, exit."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.people.services import log_access
from tremplin.plie import fse, selectors, services
from tremplin.plie.enums import FseMoment, PathwayStatus, ReportCategory
from tremplin.plie.forms import (
    AciValidationForm,
    BusinessForm,
    ContractEndForm,
    ContractForm,
    ExitProposalForm,
    FseQuestionnaireForm,
    InterviewForm,
    ReferentForm,
    StepEndForm,
    StepForm,
)
from tremplin.plie.perms import can_work_on_pathway, get_pathway_for_user, is_cell_member
from tremplin.plie.views.common import apply_errors, error_message, form_page, get_pathway_for_cell

IN_PATHWAY = (PathwayStatus.ACTIVE, PathwayStatus.EXIT_PROPOSED)


@login_required
@require_GET
def pathway_detail(request, pathway_id):
    pathway = get_pathway_for_user(request, pathway_id)
    return _render_pathway(request, pathway)


def _render_pathway(request, pathway, *, bound_forms=None, status=200):
    user = request.user
    log_access(person=pathway.person, user=user, request=request)
    today = timezone.localdate()
    can_work = can_work_on_pathway(user, pathway)
    in_pathway = pathway.status in IN_PATHWAY
    # Prescribers follow their referrals' status; the pathway's content is for the PLIE team.
    sees_details = user.sees_sensitive_facts
    context = {
        "pathway": pathway,
        "person": pathway.person,
        "can_work": can_work,
        "can_record": can_work and in_pathway,
        "is_cell": is_cell_member(user),
        "sees_details": sees_details,
        "today": today,
        "age": pathway.person.age_on(today),
        "eligibility_at": date.fromisoformat(pathway.eligibility["at"]) if pathway.eligibility.get("at") else None,
    }
    context.update(selectors.pathway_overview(pathway=pathway, user=user, today=today))
    bound_forms = bound_forms or {}
    contract_rows = []
    for contract in context["contracts"]:
        row = {"contract": contract, "category": ReportCategory(contract.report_category).label}
        if context["can_record"] and not contract.ended_on:
            row["end_form"] = bound_forms.get(("end", contract.pk)) or ContractEndForm(
                contract=contract, prefix=f"end-{contract.pk}"
            )
        if context["is_cell"] and in_pathway and selectors.is_aci_senior_to_validate(contract, pathway.person):
            row["aci_form"] = bound_forms.get(("aci", contract.pk)) or AciValidationForm(prefix=f"aci-{contract.pk}")
        contract_rows.append(row)
    context["contract_rows"] = contract_rows
    context["step_rows"] = [
        {
            "step": step,
            "end_form": (bound_forms.get(("step", step.pk)) or StepEndForm(step=step, prefix=f"step-{step.pk}"))
            if context["can_record"] and not step.ended_on
            else None,
        }
        for step in context["steps"]
    ]
    context["bound_errors"] = [form for form in bound_forms.values() if form.errors]
    rows = []
    window = fse.six_month_window(pathway)
    may_record = fse.may_record_questionnaires(user, pathway)  # once for the three moments
    for moment, label, q in context["questionnaires"]:
        can_add, why_not = (
            (False, "") if q else fse.can_record_questionnaire(user, pathway, moment, today, may_record=may_record)
        )
        explanation = why_not
        if not q and moment == FseMoment.SIX_MONTHS and window:
            explanation = window.explain(today)
        rows.append({"moment": moment, "label": label, "questionnaire": q, "can_add": can_add, "status": explanation})
    context["questionnaire_rows"] = rows
    return render(request, "plie/pathway_detail.html", context, status=status)


def _write_page(request, pathway_id, *, in_pathway=True):
    pathway = get_pathway_for_user(request, pathway_id, write=True)
    if in_pathway and pathway.status not in IN_PATHWAY:
        messages.error(request, f"Le parcours n'est pas en cours ({pathway.get_status_display().lower()}).")
        return pathway, redirect(pathway)
    return pathway, None


def _record_page(request, pathway_id, *, form_class, service, title, submit, success, aliases=None, **form_kwargs):
    pathway, refused = _write_page(request, pathway_id)
    if refused:
        return refused
    form = form_class(request.POST or None, **form_kwargs)
    return form_page(
        request,
        form,
        save=lambda data: service(pathway=pathway, by=request.user, **data),
        success=success,
        redirect_to=pathway,
        context={"pathway": pathway, "person": pathway.person, "title": title, "submit": submit},
        template="plie/pathway_form.html",
        aliases=aliases,
    )


@login_required
@require_http_methods(["GET", "POST"])
def step_add(request, pathway_id):
    return _record_page(
        request,
        pathway_id,
        form_class=StepForm,
        service=services.add_step,
        title="Ajouter une étape de parcours",
        submit="Enregistrer l'étape",
        success="Étape de parcours enregistrée.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def interview_add(request, pathway_id):
    return _record_page(
        request,
        pathway_id,
        form_class=InterviewForm,
        service=services.add_interview,
        title="Ajouter un entretien",
        submit="Enregistrer l'entretien",
        success="Entretien enregistré.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_add(request, pathway_id):
    return _record_page(
        request,
        pathway_id,
        form_class=ContractForm,
        service=services.add_contract,
        title="Ajouter un contrat de travail",
        submit="Enregistrer le contrat",
        success="Contrat de travail enregistré.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def business_add(request, pathway_id):
    return _record_page(
        request,
        pathway_id,
        form_class=BusinessForm,
        service=services.add_business,
        title="Ajouter une création d'entreprise",
        submit="Enregistrer la création",
        success="Création d'entreprise enregistrée.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def fse_add(request, pathway_id, moment):
    if moment not in FseMoment.values:
        raise Http404
    pathway = get_pathway_for_user(request, pathway_id)
    if not fse.may_record_questionnaires(request.user, pathway):
        raise PermissionDenied(fse.RECORDERS)
    label = FseMoment(moment).label.lower()
    form = FseQuestionnaireForm(request.POST or None, moment=moment)
    return form_page(
        request,
        form,
        save=lambda data: services.record_fse_questionnaire(
            pathway=pathway, moment=moment, collected_on=data["collected_on"], by=request.user, **form.answers()
        ),
        success=f"Questionnaire FSE+ ({label}) enregistré.",
        redirect_to=pathway,
        context={
            "pathway": pathway,
            "person": pathway.person,
            "title": f"Questionnaire FSE+ : {label}",
            "submit": "Enregistrer le questionnaire",
            "intro": "Chaque réponse peut être « Ne souhaite pas répondre » : la réponse est alors enregistrée "
            "comme telle, distincte d'une donnée inconnue. Le questionnaire n'est plus modifiable ensuite.",
        },
        template="plie/pathway_form.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def referent_change(request, pathway_id):
    pathway, refused = _write_page(request, pathway_id)
    if refused:
        return refused
    follow_up = services.current_follow_up(pathway)
    form = ReferentForm(request.POST or None, user=request.user, pathway=pathway, follow_up=follow_up)
    return form_page(
        request,
        form,
        save=lambda data: services.assign_referent(pathway=pathway, by=request.user, **data),
        success="Référent·e de parcours mis·e à jour.",
        redirect_to=pathway,
        context={
            "pathway": pathway,
            "person": pathway.person,
            "title": "Changer de référent·e de parcours",
            "submit": "Enregistrer le changement",
            "intro": "Le suivi en cours est clos la veille si la structure change ; l'historique est conservé.",
        },
        template="plie/pathway_form.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def exit_propose(request, pathway_id):
    pathway = get_pathway_for_user(request, pathway_id, write=True)
    if pathway.status != PathwayStatus.ACTIVE:
        messages.error(request, "Seul un parcours en cours peut faire l'objet d'une proposition de sortie.")
        return redirect(pathway)
    form = ExitProposalForm(request.POST or None)
    today = timezone.localdate()
    assessment = selectors.exit_assessment(pathway=pathway, at=today)
    return form_page(
        request,
        form,
        save=lambda data: services.propose_exit(pathway=pathway, by=request.user, **data),
        success="Sortie proposée à la cellule de suivi.",
        redirect_to=pathway,
        context={
            "pathway": pathway,
            "person": pathway.person,
            "title": "Proposer la sortie du PLIE",
            "submit": "Proposer la sortie à la cellule",
            "assessment": assessment,
        },
        template="plie/exit_propose.html",
        aliases={"exit_explanation": "explanation"},
    )


@login_required
@require_POST
def contract_end(request, pathway_id, contract_id):
    pathway = get_pathway_for_user(request, pathway_id, write=True)
    contract = get_object_or_404(pathway.contracts, pk=contract_id)
    form = ContractEndForm(request.POST, contract=contract, prefix=f"end-{contract.pk}")
    if form.is_valid():
        try:
            services.end_contract(contract=contract, ended_on=form.cleaned_data["ended_on"], by=request.user)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, f"Fin du contrat chez {contract.employer_name} enregistrée.")
            return redirect(pathway)
    return _render_pathway(request, pathway, bound_forms={("end", contract.pk): form}, status=422)


@login_required
@require_POST
def step_end(request, pathway_id, step_id):
    pathway = get_pathway_for_user(request, pathway_id, write=True)
    step = get_object_or_404(pathway.steps, pk=step_id)
    form = StepEndForm(request.POST, step=step, prefix=f"step-{step.pk}")
    if form.is_valid():
        try:
            services.complete_step(
                step=step,
                ended_on=form.cleaned_data["ended_on"],
                certification_obtained=form.cleaned_data.get("certification_obtained"),
                by=request.user,
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, f"Fin de l'étape « {step.title} » enregistrée.")
            return redirect(pathway)
    return _render_pathway(request, pathway, bound_forms={("step", step.pk): form}, status=422)


@login_required
@require_POST
def contract_validate_aci(request, pathway_id, contract_id):
    pathway = get_pathway_for_cell(request, pathway_id)
    contract = get_object_or_404(pathway.contracts, pk=contract_id)
    form = AciValidationForm(request.POST, prefix=f"aci-{contract.pk}")
    if form.is_valid():
        try:
            services.validate_aci_senior(contract=contract, on=form.cleaned_data["on"], by=request.user)
        except (ValidationError, PermissionDenied) as e:
            messages.error(request, error_message(e))
        else:
            messages.success(request, "Validation de la cellule enregistrée pour ce contrat en ACI.")
        return redirect("plie:cell") if request.POST.get("next") == "cell" else redirect(pathway)
    return _render_pathway(request, pathway, bound_forms={("aci", contract.pk): form}, status=422)
