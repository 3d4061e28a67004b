"""Orientation to the PLIE, first appointment, aller-vers, eligibility and proposal of the entry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.people.forms import PersonForm, SearchForm
from tremplin.people.models import Person
from tremplin.people.services import find_likely_duplicates, log_shown, visible_duplicates
from tremplin.plie import selectors, services
from tremplin.plie.eligibility import check_eligibility
from tremplin.plie.enums import OPEN_PATHWAY_STATUSES, AppointmentOutcome, OrientationStatus
from tremplin.plie.forms import (
    AppointmentForm,
    EntryProposalForm,
    OrientationForm,
    OrientationProposalForm,
    OutreachForm,
)
from tremplin.plie.models import Pathway
from tremplin.plie.perms import require_plie_access
from tremplin.plie.views.common import (
    apply_errors,
    can_work_on_person,
    error_message,
    get_orientation_for_user,
    get_person_for_plie,
)
from tremplin.territory.models import Commune


@login_required
@require_GET
def orientation_list(request):
    require_plie_access(request.user)
    page = Paginator(selectors.open_orientations(user=request.user), 50).get_page(request.GET.get("page"))
    log_shown(request, page)
    return render(request, "plie/orientation_list.html", {"page": page})


@login_required
@require_GET
def orientation_start(request):
    """Choose the person to orient, among those the user may work on."""
    require_plie_access(request.user)
    if request.user.refers_people:
        return redirect("plie:orientation_propose")
    if not request.user.can_edit_people:
        raise PermissionDenied("Votre rôle ne permet pas d'orienter une personne vers le PLIE.")
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    people = Person.objects.none()
    if query:
        people = Person.objects.visible_to(request.user).filter(erased_at__isnull=True).search(query)
        people = people.select_related("commune").order_by("last_name", "first_name", "pk")[:30]
        log_shown(request, people)
    context = {"form": form, "query": query, "people": people}
    template = "plie/_person_choices.html" if request.htmx else "plie/orientation_start.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def orientation_create(request, public_id):
    person = get_person_for_plie(request, public_id, write=True)
    form = OrientationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            orientation = services.orient_person(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, f"Orientation de {person.full_name} vers le PLIE enregistrée.")
            return redirect("plie:orientation_detail", orientation_id=orientation.pk)
    context = {"person": person, "form": form, "open_pathway": _open_pathway(request.user, person)}
    return render(request, "plie/orientation_form.html", context, status=422 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def orientation_propose(request):
    """A prescriber proposes an orientation for a person they enter; the cellule receives it."""
    user = request.user
    require_plie_access(user)
    if not user.refers_people:
        raise PermissionDenied("Cette page est celle des prescripteurs ; orientez depuis la fiche de la personne.")
    identity = PersonForm(request.POST or None, prefix="person")
    form = OrientationProposalForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and identity.is_valid() and form.is_valid():
        data = identity.person_data()
        found = find_likely_duplicates(
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_date=data["birth_date"],
            email=data.get("email", ""),
            phone=data.get("phone", ""),
        )
        duplicates = visible_duplicates(user=user, duplicates=found)
        chosen = next((d.person for d in duplicates if str(d.person.public_id) == request.POST.get("existing")), None)
        confirmed = identity.cleaned_data.get("confirm_not_duplicate")
        if chosen is not None or not duplicates or confirmed:
            try:
                orientation = services.propose_orientation(
                    by=user,
                    person_data=data,
                    reason=form.cleaned_data["reason"],
                    chosen=chosen,
                    confirmed_new=bool(confirmed),
                )
            except (ValidationError, PermissionDenied) as e:
                apply_errors(form, e)
            else:
                messages.success(request, "Orientation envoyée au PLIE : vous en suivez ici la réception et la suite.")
                return redirect("plie:orientation_detail", orientation_id=orientation.pk)
        log_shown(request, [d.person for d in duplicates])
    context = {
        "identity": identity,
        "form": form,
        "duplicates": duplicates,
        "communes": Commune.objects.only("name", "insee_code"),
    }
    status = 422 if identity.errors or form.errors else 200
    return render(request, "plie/orientation_propose.html", context, status=status)


def _open_pathway(user, person):
    return Pathway.objects.visible_to(user).filter(person=person, status__in=OPEN_PATHWAY_STATUSES).first()


@login_required
@require_GET
def orientation_detail(request, orientation_id):
    orientation = get_orientation_for_user(request, orientation_id)
    return _render_detail(request, orientation)


def _render_detail(request, orientation, *, appointment_form=None, outreach_form=None, status=200):
    can_work = can_work_on_person(request.user, orientation.person)
    is_open = orientation.status == OrientationStatus.OPEN
    pathways = Pathway.objects.visible_to(request.user).filter(orientation=orientation)
    open_pathway = _open_pathway(request.user, orientation.person)
    context = {
        "orientation": orientation,
        "person": orientation.person,
        "pathways": pathways,
        "open_pathway": open_pathway,
        "can_work": can_work,
        "is_open": is_open,
    }
    # A refused form is always shown with its errors, even when the orientation no longer takes it.
    bound = {"appointment_form": appointment_form, "outreach_form": outreach_form}
    context.update({name: form for name, form in bound.items() if form is not None})
    if can_work and is_open:
        context.setdefault("appointment_form", AppointmentForm(orientation=orientation, prefix="appointment"))
        if orientation.appointment_outcome == AppointmentOutcome.ABSENT:
            context.setdefault("outreach_form", OutreachForm(prefix="outreach"))
    return render(request, "plie/orientation_detail.html", context, status=status)


@login_required
@require_POST
def orientation_appointment(request, orientation_id):
    orientation = get_orientation_for_user(request, orientation_id, write=True)
    form = AppointmentForm(request.POST, orientation=orientation, prefix="appointment")
    if form.is_valid():
        try:
            services.record_first_appointment(
                orientation=orientation,
                outcome=form.cleaned_data["outcome"],
                on=form.cleaned_data["on"],
                by=request.user,
            )
        except ValidationError as e:
            apply_errors(form, e, {"first_appointment_on": "on", "appointment_outcome": "outcome"})
        else:
            present = form.cleaned_data["outcome"] == AppointmentOutcome.PRESENT
            messages.success(
                request,
                "Présence au premier rendez-vous enregistrée."
                if present
                else "Absence enregistrée : la personne est inscrite sur la liste d'aller-vers.",
            )
            return redirect("plie:orientation_detail", orientation_id=orientation.pk)
    orientation.refresh_from_db()
    return _render_detail(request, orientation, appointment_form=form, status=422)


@login_required
@require_POST
def orientation_outreach(request, orientation_id):
    orientation = get_orientation_for_user(request, orientation_id, write=True)
    from_list = request.POST.get("next") == "outreach_list"
    form = OutreachForm(request.POST, prefix=f"outreach-{orientation.pk}" if from_list else "outreach")
    if form.is_valid():
        try:
            services.record_outreach(
                orientation=orientation,
                on=form.cleaned_data["outreach_on"],
                notes=form.cleaned_data["notes"],
                by=request.user,
            )
        except ValidationError as e:
            apply_errors(form, e, {"outreach_notes": "notes"})
        else:
            messages.success(request, f"Aller-vers enregistré pour {orientation.person.full_name}.")
            if from_list:
                return redirect("plie:outreach_list")
            return redirect("plie:orientation_detail", orientation_id=orientation.pk)
    if from_list:
        return _render_outreach_list(request, forms={orientation.pk: form}, status=422)
    return _render_detail(request, orientation, outreach_form=form, status=422)


@login_required
@require_POST
def orientation_close(request, orientation_id):
    orientation = get_orientation_for_user(request, orientation_id, write=True)
    if orientation.status != OrientationStatus.OPEN:
        messages.error(request, "Cette orientation est déjà close.")
    else:
        try:
            services.close_orientation(orientation=orientation, by=request.user)
        except (ValidationError, PermissionDenied) as e:
            messages.error(request, error_message(e))
        else:
            messages.success(request, f"Orientation de {orientation.person.full_name} close sans entrée dans le PLIE.")
    if request.POST.get("next") == "outreach_list":
        return redirect("plie:outreach_list")
    return redirect("plie:orientation_detail", orientation_id=orientation.pk)


@login_required
@require_GET
def outreach_list(request):
    require_plie_access(request.user)
    return _render_outreach_list(request)


def _render_outreach_list(request, *, forms=None, status=200):
    forms = forms or {}
    orientations = list(selectors.missed_first_appointments(user=request.user))
    log_shown(request, orientations)
    rows = []
    for orientation in orientations:
        can_work = can_work_on_person(request.user, orientation.person)
        form = forms.get(orientation.pk) or (OutreachForm(prefix=f"outreach-{orientation.pk}") if can_work else None)
        rows.append({"orientation": orientation, "form": form, "can_work": can_work})
    context = {"rows": rows, "error_forms": [form for form in forms.values() if form.errors]}
    return render(request, "plie/outreach_list.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entry_propose(request, orientation_id):
    """The entry criteria with their reasons, and the proposal of the entry to the cellule."""
    orientation = get_orientation_for_user(request, orientation_id, write=True)
    person = orientation.person
    form = EntryProposalForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            pathway = services.propose_entry(
                person=person,
                organization=form.cleaned_data["organization"],
                referent=form.cleaned_data["referent"],
                proposed_on=form.cleaned_data["proposed_on"],
                wants_pathway=form.cleaned_data["wants_pathway"],
                orientation=orientation,
                by=request.user,
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, f"Entrée de {person.full_name} proposée à la cellule de suivi.")
            return redirect(pathway)
    # The criteria as they stand: on the date and with the wish typed, once the form is sent.
    at, wants = timezone.localdate(), None
    if form.is_bound:
        at = form.cleaned_data.get("proposed_on") or at
        wants = form.cleaned_data.get("wants_pathway", False)
    context = {
        "orientation": orientation,
        "person": person,
        "form": form,
        "eligibility": check_eligibility(person, at, wants_pathway=wants),
        "open_pathway": _open_pathway(request.user, person),
    }
    return render(request, "plie/entry_propose.html", context, status=422 if form.errors else 200)
