"""Companies, offers, matching, immersions, events and Points Relais screens.

Thin views over services (writes) and selectors / matching (reads); every view enters through perms.py."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.companies import matching, perms, roles, selectors, services
from tremplin.companies.enums import EventKind
from tremplin.companies.forms import (
    AgreementForm,
    AttendanceForm,
    CompanyProfileForm,
    DecisionForm,
    EventForm,
    ImmersionForm,
    ImmersionOutcomeForm,
    InteractionForm,
    JobSearchForm,
    OfferForm,
    OfferStatusForm,
    ProposalOutcomeForm,
    RegistrationForm,
    RelaisContactForm,
    SearchForm,
    company_choices,
    partner_choices,
)
from tremplin.companies.models import (
    CompanyProfile,
    Event,
    Immersion,
    Interest,
    JobSearchProfile,
    Offer,
    Registration,
    RelaisContact,
)
from tremplin.core.views import apply_errors, form_page, paginate
from tremplin.core.widgets import search_options_response
from tremplin.people.models import Person
from tremplin.people.services import log_access, log_shown

FORM = "companies/form.html"


def _render(request, template, context, **kwargs):
    """Every page of the module logs the people it names as read (docs/permissions.md), then renders."""
    log_shown(request, context)
    return render(request, template, context, **kwargs)


def _apply_errors(form, error):
    apply_errors(form, error, denied=perms.READ_ONLY)


def _form_page(request, form, *, save, success, context, redirect_to):
    """tremplin.core.views.form_page with the module's template and read-only message; the people the page
    names are logged as read."""
    response = form_page(
        request,
        form,
        save=save,
        success=success,
        redirect_to=redirect_to,
        template=FORM,
        context=context,
        denied=perms.READ_ONLY,
    )
    if response.status_code != 302:
        log_shown(request, context)
    return response


# --- Companies ---------------------------------------------------------------------------------


@login_required
@require_GET
def company_list(request):
    perms.require_reader(request.user)
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    return _render(
        request,
        "companies/company_list.html",
        {
            "form": form,
            **paginate(request, selectors.company_rows(user=request.user, query=query)),
            "can_manage": roles.is_manager(request.user),
        },
    )


@login_required
@require_GET
def search_companies(request):
    """The companies and SIAE an offer or an immersion may name, for what was typed (core.widgets.SearchSelect)."""
    perms.require_reader(request.user)
    return search_options_response(request, company_choices().values_list("pk", "name"))


@login_required
@require_GET
def search_partners(request):
    """The partners a Point Relais refers someone to, for what was typed (core.widgets.SearchSelect)."""
    perms.require_reader(request.user)
    return search_options_response(request, partner_choices().values_list("pk", "name"))


@login_required
@require_GET
def company_detail(request, company_id):
    company = perms.get_company_for_user(request, company_id)
    return _render(
        request,
        "companies/company_detail.html",
        {
            "company": company,
            "profile": CompanyProfile.objects.filter(organization=company).first(),
            "interactions": company.company_interactions.select_related("by", "contact")[:100],
            "agreements": company.partnership_agreements.all(),
            "offers": company.offers.select_related("rome", "commune"),
            "contacts": company.contacts.all(),
            "can_manage": roles.is_manager(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def company_profile(request, company_id):
    company = perms.get_company_for_user(request, company_id, write=True)
    profile = CompanyProfile.objects.filter(organization=company).first()
    form = CompanyProfileForm(request.POST or None, instance=profile)
    return _form_page(
        request,
        form,
        save=lambda data: services.save_company_profile(organization=company, by=request.user, **data),
        success="Profil de l'entreprise enregistré.",
        context={"title": f"Profil de {company.name}", "company": company},
        redirect_to=reverse("companies:company_detail", args=[company.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def interaction_create(request, company_id):
    company = perms.get_company_for_user(request, company_id, write=True)
    form = InteractionForm(request.POST or None, company=company, initial={"happened_on": timezone.localdate()})
    return _form_page(
        request,
        form,
        save=lambda data: services.record_interaction(company=company, by=request.user, **data),
        success="Échange enregistré.",
        context={"title": f"Nouvel échange avec {company.name}", "company": company},
        redirect_to=reverse("companies:company_detail", args=[company.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request, company_id):
    company = perms.get_company_for_user(request, company_id, write=True)
    form = AgreementForm(request.POST or None)
    return _form_page(
        request,
        form,
        save=lambda data: services.record_agreement(company=company, by=request.user, **data),
        success="Convention de partenariat enregistrée.",
        context={"title": f"Nouveau partenariat avec {company.name}", "company": company},
        redirect_to=reverse("companies:company_detail", args=[company.pk]),
    )


# --- Offers ------------------------------------------------------------------------------------


@login_required
@require_GET
def offer_list(request):
    if not perms.has_offer_access(request.user):
        raise perms.Http404
    form = SearchForm(request.GET or None)
    offers = selectors.offers_for(request.user)
    status = request.GET.get("statut", "")
    if status:
        offers = offers.filter(status=status)
    if form.is_valid() and form.cleaned_data["q"].strip():
        query = form.cleaned_data["q"].strip()
        offers = offers.filter(title__icontains=query) | offers.filter(company__name__icontains=query)
    return _render(
        request,
        "companies/offer_list.html",
        {
            "form": form,
            **paginate(request, offers),
            "can_manage": roles.is_manager(request.user),
            "is_reader": roles.is_reader(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_create(request):
    perms.require_manager(request.user)
    form = OfferForm(request.POST or None, initial={"received_on": timezone.localdate(), "posts": 1})
    return _form_page(
        request,
        form,
        save=lambda data: services.create_offer(by=request.user, **data),
        success="Offre enregistrée.",
        context={"title": "Nouvelle offre"},
        redirect_to=lambda offer: offer.get_absolute_url(),
    )


@login_required
@require_GET
def offer_detail(request, offer_id):
    offer = perms.get_offer_for_user(request, offer_id)
    return _render(
        request,
        "companies/offer_detail.html",
        {
            "offer": offer,
            "proposals": selectors.proposals_for_offer(user=request.user, offer=offer),
            "is_reader": roles.is_reader(request.user),
            "can_manage": roles.is_manager(request.user),
            "can_propose": roles.can_propose(request.user),
            "status_form": OfferStatusForm(initial={"status": offer.status}),
            "interest_count": offer.interests.count(),
        },
    )


@login_required
@require_POST
def offer_status(request, offer_id):
    offer = perms.get_offer_for_user(request, offer_id, write=True)
    form = OfferStatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_offer_status(offer=offer, status=form.cleaned_data["status"], by=request.user)
        except ValidationError as e:
            _apply_errors(form, e)
        else:
            messages.success(request, "Statut de l'offre mis à jour.")
            return redirect(offer.get_absolute_url())
    return _render(request, FORM, {"form": form, "title": f"Statut de l'offre {offer.title}"}, status=422)


@login_required
@require_GET
def offer_ranking(request, offer_id):
    offer = perms.get_offer_to_rank(request, offer_id)
    today = timezone.localdate()
    rows = matching.rank_people(offer, matching.scope_people(request.user), today=today, user=request.user)
    ranked = [{"row": row, "reasons": matching.explain(row, offer)} for row in rows]
    return _render(request, "companies/offer_ranking.html", {"offer": offer, "ranked": ranked})


@login_required
@require_POST
def propose(request, offer_id, public_id):
    person = perms.get_person_to_match(request, public_id, write=True)
    offer = perms.get_offer_to_rank(request, offer_id)
    profile = JobSearchProfile.objects.filter(person=person).first()
    score = None
    if profile is not None:
        row = matching.rank_people(
            offer, Person.objects.filter(pk=person.pk), today=timezone.localdate(), user=request.user, limit=1
        )
        score = row[0].score if row else None
    try:
        services.propose(offer=offer, person=person, by=request.user, score=score)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return _render(
            request,
            "companies/refused.html",
            {"messages_list": e.messages, "back": offer.get_absolute_url()},
            status=422,
        )
    messages.success(request, f"{person.full_name} est proposé·e à {offer.company.name}.")
    return redirect("companies:offer_ranking", offer_id=offer.pk)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_outcome(request, proposal_id):
    proposal = perms.get_proposal_for_user(request, proposal_id, write=True)
    form = ProposalOutcomeForm(request.POST or None, initial={"outcome_on": timezone.localdate()})

    def save(data):
        return services.record_proposal_outcome(
            proposal=proposal,
            outcome=data["outcome"],
            on=data["outcome_on"],
            started_on=data["started_on"],
            contract_type=data["contract_type"] or "",
            by=request.user,
        )

    return _form_page(
        request,
        form,
        save=save,
        success="Suite de la proposition enregistrée.",
        context={"title": f"Suite donnée : {proposal.person.full_name} pour {proposal.offer.title}"},
        redirect_to=proposal.offer.get_absolute_url(),
    )


# --- People: job search and matching offers ----------------------------------------------------


@login_required
@require_GET
def people(request):
    perms.require_proposer(request.user)
    form = SearchForm(request.GET or None)
    persons = (
        Person.objects.visible_to(request.user)
        .in_registry()
        .select_related("commune")
        .annotate(sought=F("job_search__rome_1"))
    )
    if form.is_valid() and form.cleaned_data["q"].strip():
        persons = persons.search(form.cleaned_data["q"])
    return _render(request, "companies/people.html", {"form": form, **paginate(request, persons)})


@login_required
@require_http_methods(["GET", "POST"])
def job_search(request, public_id):
    person = perms.get_person_to_match(request, public_id, write=True)
    profile = JobSearchProfile.objects.filter(person=person).first()
    form = JobSearchForm(request.POST or None, instance=profile)

    def save(data):
        contracts = data.pop("contracts")
        return services.save_job_search(person=person, by=request.user, contracts=contracts, **data)

    return _form_page(
        request,
        form,
        save=save,
        success="Recherche d'emploi enregistrée.",
        context={"title": f"Recherche d'emploi de {person.full_name}"},
        redirect_to=reverse("companies:person_offers", args=[person.public_id]),
    )


@login_required
@require_GET
def person_offers(request, public_id):
    person = perms.get_person_to_match(request, public_id)
    profile = JobSearchProfile.objects.filter(person=person).select_related("person__commune").first()
    ranked = []
    if profile is not None:
        rows = matching.offers_for_person(profile, Offer.objects.open(), today=timezone.localdate(), user=request.user)
        ranked = [{"row": row, "reasons": matching.explain(row, row, profile)} for row in rows]
    return _render(
        request,
        "companies/person_offers.html",
        {
            "person": person,
            "profile": profile,
            "ranked": ranked,
            "interests": set(Interest.objects.filter(person=person).values_list("offer_id", flat=True)),
            "immersions": Immersion.objects.filter(person=person).select_related("company"),
            "can_propose": roles.can_propose(request.user),
        },
    )


@login_required
@require_POST
def interest(request, public_id, offer_id):
    person = perms.get_person_to_match(request, public_id, write=True)
    offer = perms.get_offer_for_user(request, offer_id)
    try:
        services.record_interest(person=person, offer=offer, by=request.user)
    except ValidationError as e:
        return _render(
            request,
            "companies/refused.html",
            {"messages_list": e.messages, "back": offer.get_absolute_url()},
            status=422,
        )
    messages.success(request, f"Intérêt de {person.full_name} pour « {offer.title} » enregistré.")
    return redirect("companies:person_offers", public_id=person.public_id)


# --- Immersions --------------------------------------------------------------------------------


@login_required
@require_GET
def immersion_list(request):
    perms.require_reader(request.user)
    immersions = Immersion.objects.visible_to(request.user).select_related("person", "company", "rome")
    return _render(request, "companies/immersion_list.html", paginate(request, immersions))


@login_required
@require_http_methods(["GET", "POST"])
def immersion_create(request, public_id):
    person = perms.get_person_to_match(request, public_id, write=True)
    form = ImmersionForm(request.POST or None)
    return _form_page(
        request,
        form,
        save=lambda data: services.record_immersion(person=person, by=request.user, **data),
        success="Immersion enregistrée.",
        context={"title": f"Nouvelle immersion pour {person.full_name}"},
        redirect_to=reverse("companies:immersion_list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def immersion_outcome(request, immersion_id):
    immersion = perms.get_immersion_for_user(request, immersion_id, write=True)
    log_access(person=immersion.person, user=request.user, request=request)
    form = ImmersionOutcomeForm(request.POST or None, instance=immersion)
    return _form_page(
        request,
        form,
        save=lambda data: services.record_immersion_outcome(immersion=immersion, by=request.user, **data),
        success="Issue de l'immersion enregistrée.",
        context={"title": f"Issue de l'immersion de {immersion.person.full_name}"},
        redirect_to=reverse("companies:immersion_list"),
    )


# --- Events ------------------------------------------------------------------------------------


@login_required
@require_GET
def event_list(request):
    perms.require_reader(request.user)
    events = Event.objects.visible_to(request.user)
    return _render(
        request,
        "companies/event_list.html",
        {**paginate(request, events), "can_manage": roles.is_manager(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    perms.require_manager(request.user)
    form = EventForm(request.POST or None)

    def save(data):
        offers = data.pop("offers", [])
        return services.create_event(by=request.user, offers=offers, **data)

    return _form_page(
        request,
        form,
        save=save,
        success="Événement enregistré.",
        context={"title": "Nouvel événement"},
        redirect_to=lambda event: event.get_absolute_url(),
    )


def _event_context(request, event):
    registrations = selectors.registrations_for_event(user=request.user, event=event)
    form = SearchForm(request.GET or None)
    candidates = []
    if roles.is_manager(request.user) and form.is_valid() and form.cleaned_data["q"].strip():
        registered = event.registrations.values("person_id")
        candidates = (
            Person.objects.visible_to(request.user)
            .in_registry()
            .search(form.cleaned_data["q"])
            .exclude(pk__in=registered)
            .select_related("commune")[:20]
        )
    return {
        "event": event,
        "registrations": registrations,
        "total": event.registrations.count(),
        "search_form": form,
        "candidates": candidates,
        "registration_form": RegistrationForm(),
        "can_manage": roles.is_manager(request.user),
        "decisions": selectors.sas_decisions(event) if event.kind == EventKind.SAS else None,
        "attendance_form": AttendanceForm(),
        "decision_form": DecisionForm(initial={"decided_on": timezone.localdate()}),
        "offers": event.offers.select_related("company"),
    }


@login_required
@require_GET
def event_detail(request, event_id):
    event = perms.get_event_for_user(request, event_id)
    return _render(request, "companies/event_detail.html", _event_context(request, event))


@login_required
@require_POST
def event_register(request, event_id, public_id):
    person = perms.get_person_to_match(request, public_id)
    event = perms.get_event_for_user(request, event_id, write=True)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            services.register(event=event, person=person, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            _apply_errors(form, e)
        else:
            messages.success(request, f"{person.full_name} est inscrit·e.")
            return redirect(event.get_absolute_url())
    context = _event_context(request, event)
    context["refusal"] = [error for errors in form.errors.values() for error in errors]
    return _render(request, "companies/event_detail.html", context, status=422)


@login_required
@require_POST
def registration_attendance(request, registration_id):
    registration = perms.get_registration_for_user(request, registration_id, write=True)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            services.record_attendance(registration=registration, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            _apply_errors(form, e)
        else:
            return redirect(registration.event.get_absolute_url())
    return _render(request, FORM, {"form": form, "title": "Présence"}, status=422)


@login_required
@require_POST
def registration_decision(request, registration_id):
    registration = perms.get_registration_for_user(request, registration_id, write=True)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.record_committee_decision(
                registration=registration,
                decision=form.cleaned_data["decision"],
                on=form.cleaned_data["decided_on"],
                by=request.user,
            )
        except ValidationError as e:
            _apply_errors(form, e)
        else:
            messages.success(request, f"Décision du comité enregistrée pour {registration.person.full_name}.")
            return redirect(registration.event.get_absolute_url())
    return _render(request, FORM, {"form": form, "title": "Décision du comité"}, status=422)


@login_required
@require_GET
def attendance_sheet(request, event_id):
    """The printable attendance sheet (émargement), as a PDF: the registrations the user may see."""
    event = perms.get_event_for_user(request, event_id)
    registrations = selectors.registrations_for_event(user=request.user, event=event)
    html = render_to_string(
        "companies/attendance_sheet.html", {"event": event, "registrations": registrations}, request=request
    )
    import weasyprint

    pdf = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR / "tremplin" / "static")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="emargement-{slugify(event.title)[:60]}.pdf"'
    return response


@login_required
@require_GET
def funnel(request):
    perms.require_reader(request.user)
    events = Event.objects.visible_to(request.user)
    event_id = request.GET.get("evenement")
    registrations = Registration.objects.visible_to(request.user)
    selected = None
    if event_id and event_id.isdigit():
        selected = events.filter(pk=int(event_id)).first()
        if selected:
            registrations = registrations.filter(event=selected)
    return _render(
        request,
        "companies/funnel.html",
        {"events": events, "selected": selected, "stages": selectors.funnel(registrations)},
    )


# --- Points Relais -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def relais(request):
    perms.require_reader(request.user)
    form = RelaisContactForm(request.POST or None)
    status = 200
    if request.method == "POST":
        organization = request.user.primary_membership.organization if request.user.primary_membership else None
        if organization is None:
            raise PermissionDenied(perms.READ_ONLY)
        if form.is_valid():
            try:
                services.record_relais_contact(organization=organization, by=request.user, **form.cleaned_data)
            except ValidationError as e:
                _apply_errors(form, e)
            else:
                messages.success(request, "Contact enregistré.")
                return redirect("companies:relais")
        status = 422
    contacts = RelaisContact.objects.visible_to(request.user).select_related(
        "organization", "referred_to", "recorded_by"
    )
    return _render(request, "companies/relais.html", {"form": form, **paginate(request, contacts)}, status=status)
