"""Pages of the programmation and funding module: calls for projects, answers, conventions and their
obligations. Thin: access through `perms`, reads through `selectors`, writes through `services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.core.models import save_audited
from tremplin.core.views import paginate
from tremplin.funding import documents, forms, perms, selectors, services
from tremplin.funding.models import Convention, Obligation
from tremplin.funding.views.common import OPERATORS_ONLY, module_form_page
from tremplin.structures.models import Organization

# Calls for projects --------------------------------------------------------------------------------------


@login_required
@require_GET
def call_list(request):
    perms.require_operator_or_manager(request.user)
    return render(
        request,
        "funding/call_list.html",
        {
            **paginate(request, perms.calls_visible_to(request.user)),
            "user_manages": perms.manages_funding(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request):
    perms.require_manager(request.user)
    form = forms.CallForm(request.POST or None)

    def save(data):
        form.save(commit=False)  # the deadline: the end of the day typed, in Paris
        return save_audited(form.instance, request.user)

    return module_form_page(
        request,
        form,
        save=save,
        success="Appel à projets créé : ajoutez ses actions et sa grille, puis publiez-le.",
        title="Nouvel appel à projets",
        back=reverse("funding:call_list"),
    )


@login_required
@require_GET
def call_detail(request, call_id):
    call = perms.get_call_for_user(request, call_id)
    answers = perms.answers_visible_to(request.user).filter(call=call).select_related("operator", "action")
    answers = answers.prefetch_related("scores", "decisions")
    rows = []
    for answer in answers:
        points = sum((s.points for s in answer.scores.all()), start=0)
        rows.append({"answer": answer, "points": points, "decision": services.latest_decision(answer)})
    return render(
        request,
        "funding/call_detail.html",
        {
            "call": call,
            "rows": rows,
            "max_points": sum(c.max_points for c in call.criteria.all()),
            "manager": perms.manages_funding(request.user),
            "operator": perms.is_operator(request.user),
            "open": call.is_published and timezone.now() <= call.deadline,
            "deadline": services.paris_time(call.deadline),
        },
    )


@login_required
@require_POST
def call_publish(request, call_id):
    call = perms.get_call_for_user(request, call_id, write=True)
    try:
        services.publish_call(call=call, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Appel à projets publié : les opérateurs peuvent y répondre.")
    return redirect(call)


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request, call_id):
    call = perms.get_call_for_user(request, call_id, write=True)
    form = forms.CallActionForm(request.POST or None)
    form.instance.call = call
    return module_form_page(
        request,
        form,
        save=lambda data: form.save(),
        success="Action ajoutée.",
        redirect_to=call.get_absolute_url(),
        title=f"Action de « {call} »",
        back=call.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_create(request, call_id):
    call = perms.get_call_for_user(request, call_id, write=True)
    form = forms.CriterionForm(request.POST or None)
    form.instance.call = call
    return module_form_page(
        request,
        form,
        save=lambda data: form.save(),
        success="Critère ajouté à la grille.",
        redirect_to=call.get_absolute_url(),
        title=f"Critère de la grille de « {call} »",
        back=call.get_absolute_url(),
    )


# Answers --------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def answer_create(request, call_id):
    call = perms.get_call_for_user(request, call_id)
    if not perms.is_operator(request.user):
        raise PermissionDenied(OPERATORS_ONLY)
    operators = Organization.objects.filter(pk__in=perms.operator_ids(request.user))
    form = forms.AnswerForm(request.POST or None, request.FILES or None, call=call, operators=operators)

    def save(data):
        answer = form.instance
        answer.call = call
        answer.operator = data["operator"]
        return services.save_answer(answer=answer, by=request.user)

    return module_form_page(
        request,
        form,
        save=save,
        success="Réponse enregistrée : relisez-la puis déposez-la avant la date limite.",
        title=f"Répondre à « {call} »",
        back=call.get_absolute_url(),
        intro=f"Date limite de dépôt : {services.paris_time(call.deadline)} (heure de Paris).",
    )


@login_required
@require_GET
def answer_detail(request, answer_id):
    answer = perms.get_answer_for_user(request, answer_id)
    return render(
        request,
        "funding/answer_detail.html",
        {
            "answer": answer,
            "manager": perms.manages_funding(request.user),
            "owner": answer.operator_id in perms.operator_ids(request.user),
            "decisions": answer.decisions.all(),
            "scores": answer.scores.select_related("criterion"),
            "convention": Convention.objects.filter(answer=answer).first(),
            "decision": services.latest_decision(answer),
            "submitted_at": services.paris_time(answer.submitted_at) if answer.submitted_at else None,
            "deadline": services.paris_time(answer.call.deadline),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer_edit(request, answer_id):
    answer = perms.get_answer_for_user(request, answer_id, write=True)
    if answer.operator_id not in perms.operator_ids(request.user):
        raise PermissionDenied(OPERATORS_ONLY)
    form = forms.AnswerForm(
        request.POST or None, request.FILES or None, instance=answer, call=answer.call, operators=None
    )
    return module_form_page(
        request,
        form,
        save=lambda data: services.save_answer(answer=form.instance, by=request.user),
        success="Réponse enregistrée.",
        title="Modifier la réponse",
        back=answer.get_absolute_url(),
    )


@login_required
@require_POST
def answer_submit(request, answer_id):
    answer = perms.get_answer_for_user(request, answer_id, write=True)
    if answer.operator_id not in perms.operator_ids(request.user):
        raise PermissionDenied(OPERATORS_ONLY)
    try:
        answer = services.submit_answer(answer=answer, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Réponse déposée le {services.paris_time(answer.submitted_at)} (heure de Paris). "
            "Téléchargez votre attestation de dépôt.",
        )
    return redirect(answer)


@login_required
@require_GET
def answer_receipt(request, answer_id):
    answer = perms.get_answer_for_user(request, answer_id)
    if not answer.submitted_at:
        raise Http404
    response = HttpResponse(documents.receipt_pdf(answer, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{documents.receipt_filename(answer)}"'
    return response


@login_required
@require_GET
def answer_document(request, answer_id):
    answer = perms.get_answer_for_user(request, answer_id)
    if not answer.document:
        raise Http404
    filename = f"dossier-reponse-{answer.receipt_number.lower() or answer.pk}.pdf"
    return FileResponse(answer.document.open("rb"), as_attachment=True, filename=filename)


@login_required
@require_http_methods(["GET", "POST"])
def answer_score(request, answer_id):
    answer = perms.get_answer_for_user(request, answer_id, manage=True)
    form = forms.ScoreForm(request.POST or None, answer=answer)

    def score_all(data):
        for criterion in form.criteria:
            services.score_answer(
                answer=answer,
                criterion=criterion,
                points=data[f"points_{criterion.pk}"],
                comment=data[f"comment_{criterion.pk}"],
                by=request.user,
            )

    return module_form_page(
        request,
        form,
        save=score_all,
        success="Notes enregistrées.",
        redirect_to=answer.get_absolute_url(),
        title=f"Noter la réponse de {answer.operator}",
        back=answer.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def answer_decide(request, answer_id):
    answer = perms.get_answer_for_user(request, answer_id, manage=True)
    form = forms.DecisionForm(request.POST or None, initial={"held_on": answer.call.committee_on})
    return module_form_page(
        request,
        form,
        save=lambda data: services.record_decision(answer=answer, by=request.user, **data),
        success="Décision du comité de pilotage enregistrée.",
        redirect_to=answer.get_absolute_url(),
        title=f"Décision du comité – {answer.operator}",
        back=answer.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def convention_create(request, answer_id):
    answer = perms.get_answer_for_user(request, answer_id, manage=True)
    form = forms.ConventionForm(request.POST or None)
    return module_form_page(
        request,
        form,
        save=lambda data: services.create_convention_from_answer(answer=answer, by=request.user, **data),
        success="Convention créée, avec les obligations de l'opérateur.",
        title=f"Convention avec {answer.operator}",
        back=answer.get_absolute_url(),
    )


# Conventions ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def convention_list(request):
    perms.require_operator_or_manager(request.user)
    conventions = perms.conventions_visible_to(request.user).select_related("operator").prefetch_related("avenants")
    return render(
        request,
        "funding/convention_list.html",
        {**paginate(request, conventions), "manager": perms.manages_funding(request.user)},
    )


@login_required
@require_GET
def convention_detail(request, convention_id):
    convention = perms.get_convention_for_user(request, convention_id)
    today = timezone.localdate()
    results = None
    if convention.starts_on <= today:
        results = selectors.convention_results(convention, until=today)
    return render(
        request,
        "funding/convention_detail.html",
        {
            "convention": convention,
            "chain": services.renewal_chain(convention),
            "avenants": convention.avenants.all(),
            "obligations": convention.obligations.all(),
            "today": today,
            "results": results,
            "manager": perms.manages_funding(request.user),
            "renewal_refusal": services.refusal_of_renewal(convention),
            "renewals_used": services.renewals_used(convention),
            "max_renewals": services.MAX_RENEWALS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def avenant_create(request, convention_id):
    convention = perms.get_convention_for_user(request, convention_id, write=True)
    form = forms.AvenantForm(request.POST or None)

    def save(data):
        typed = {key: value for key, value in data.items() if value not in (None, "")}
        return services.add_avenant(convention=convention, by=request.user, **typed)

    return module_form_page(
        request,
        form,
        save=save,
        success="Avenant enregistré.",
        redirect_to=convention.get_absolute_url(),
        title=f"Avenant à la convention {convention.number}",
        back=convention.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def convention_renew(request, convention_id):
    convention = perms.get_convention_for_user(request, convention_id, write=True)
    form = forms.RenewalForm(request.POST or None)
    refusal = services.refusal_of_renewal(convention)
    return module_form_page(
        request,
        form,
        save=lambda data: services.renew_convention(convention=convention, number=data["number"], by=request.user),
        success="Convention renouvelée pour un an.",
        title=f"Renouveler la convention {convention.number}",
        back=convention.get_absolute_url(),
        intro=refusal or "Le renouvellement crée une nouvelle convention d'un an, à la suite de celle-ci.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def attendance_create(request, convention_id):
    convention = perms.get_convention_for_user(request, convention_id)
    form = forms.AttendanceForm(request.POST or None)
    return module_form_page(
        request,
        form,
        save=lambda data: services.add_attendance_obligation(convention=convention, by=request.user, **data),
        success="Rencontre enregistrée : sa feuille d'émargement est due sous 7 jours.",
        redirect_to=convention.get_absolute_url(),
        title="Rencontre (émargement)",
        back=convention.get_absolute_url(),
    )


@login_required
@require_POST
def obligation_done(request, obligation_id):
    obligation = perms.get_obligation_for_user(request, obligation_id)
    form = forms.ObligationDoneForm(request.POST or {"done_on": timezone.localdate()})
    if form.is_valid():
        try:
            services.mark_obligation_done(obligation=obligation, done_on=form.cleaned_data["done_on"], by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"« {obligation} » remise.")
    else:
        messages.error(request, "Indiquez la date de remise.")
    return redirect(obligation.convention)


@login_required
@require_GET
def obligation_list(request):
    perms.require_operator_or_manager(request.user)
    today = timezone.localdate()
    obligations = Obligation.objects.filter(convention__in=perms.conventions_visible_to(request.user))
    return render(
        request,
        "funding/obligation_list.html",
        {
            "late": obligations.late(today=today).select_related("convention__operator"),
            "soon": obligations.due_soon(today=today, days=30).select_related("convention__operator"),
            "today": today,
        },
    )
