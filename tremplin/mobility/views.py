"""Thin views of the platform: a door from perms.py, a form, a service, a redirect."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tremplin.core.views import form_page, paginate
from tremplin.core.widgets import LIMIT, options_response, people_query
from tremplin.mobility import forms, perms, selectors, services
from tremplin.mobility.enums import RentalStatus, VehicleKind
from tremplin.mobility.models import (
    STAFF_ROLES,
    ActionStep,
    LicenceAid,
    Maintenance,
    Prescription,
    Rental,
    Vehicle,
    WorkshopSession,
)
from tremplin.people.services import log_access, log_shown
from tremplin.structures.models import Organization

MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()


def _render(request, template, context, **kwargs):
    """Every page of the platform knows whether to show the staff's menu (fleet, calendar, workshops)."""
    context["staff"] = perms.is_mobility_staff(request.user)
    # Every person the page names is logged as read (docs/permissions.md).
    log_shown(request, context)
    return render(request, template, context, **kwargs)


def _form_page(
    request, form, *, save, success, redirect_to=None, title, back, submit="Enregistrer", intro="", **context
):
    """The platform's form pages: tremplin.core.views.form_page with the platform's template, menu and read-only
    message. A person chosen in a form shown again is named on the page: her read is logged."""
    context.update(title=title, back=back, submit=submit, intro=intro, staff=perms.is_mobility_staff(request.user))
    response = form_page(
        request,
        form,
        save=save,
        success=success,
        redirect_to=redirect_to,
        template="mobility/form.html",
        context=context,
        denied=perms.READ_ONLY,
    )
    if response.status_code != 302:
        log_shown(request, context, getattr(form, "cleaned_data", {}))
    return response


# Home, prescriptions, diagnostic


@login_required
@require_GET
def home(request):
    perms.require_staff(request.user)
    today = timezone.localdate()
    context = {
        "late": selectors.late_rentals(user=request.user, today=today)[:10],
        "alerts": selectors.expiry_alerts(user=request.user, today=today),
        "free": [
            (VehicleKind(kind).label, n)
            for kind, n in selectors.free_vehicles(start=today, end=today + datetime.timedelta(days=6)).items()
        ],
        "prescriptions": Prescription.objects.visible_to(request.user)
        .open()
        .select_related("person", "prescriber")[:10],
        "can_manage": perms.can_manage(request.user),
    }
    return _render(request, "mobility/home.html", context)


@login_required
@require_GET
def prescription_list(request):
    perms.require_access(request.user)
    prescriptions = (
        Prescription.objects.visible_to(request.user)
        .select_related("person", "prescriber")
        .order_by("-prescribed_on", "-pk")
    )
    status = request.GET.get("statut", "")
    if status in ("open", "closed"):
        prescriptions = prescriptions.filter(status=status)
    return _render(
        request,
        "mobility/prescription_list.html",
        {**paginate(request, prescriptions), "status": status, "can_prescribe": perms.can_prescribe(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def prescription_create(request):
    perms.require_prescriber(request.user)
    platforms = Organization.objects.filter(memberships__role__in=STAFF_ROLES).distinct().order_by("name")
    form = forms.PrescriptionForm(request.POST or None, user=request.user, platforms=platforms)
    prescriber = request.user.organization_ids(*perms.PRESCRIBING_ROLES)[0]
    return _form_page(
        request,
        form,
        save=lambda data: services.prescribe(
            prescriber=Organization.objects.get(pk=prescriber), by=request.user, **data
        ),
        success="Prescription envoyée à la plateforme mobilité.",
        title="Prescrire un accompagnement mobilité",
        back=perms.home_url(request.user),
        submit="Envoyer la prescription",
        intro="Choisissez une personne que votre structure accompagne.",
    )


@login_required
@require_GET
def search_people(request):
    """The people a prescription or a workshop registration may name: what was typed, among the user's scope."""
    perms.require_access(request.user)
    if not (perms.can_prescribe(request.user) or perms.can_manage(request.user)):
        raise PermissionDenied(perms.READ_ONLY)
    query = people_query(request)
    people = list(forms.people_for(request.user).search(query)[:LIMIT]) if query else []
    # The answer names them: their reads are logged, as for any list.
    log_shown(request, people)
    return options_response(request, [(person.public_id, forms.person_label(person)) for person in people])


@login_required
@require_GET
def prescription_detail(request, prescription_id):
    prescription = perms.get_prescription_for_user(request, prescription_id)
    log_access(person=prescription.person, user=request.user)
    diagnostic = getattr(prescription, "diagnostic", None)
    today = timezone.localdate()
    context = {
        "prescription": prescription,
        "person": prescription.person,
        "age": prescription.person.age_on(today),
        "minor": services.needs_guardian_consent(prescription.person, today),
        "consents": prescription.person.mobility_consents.all(),
        "diagnostic": diagnostic,
        "steps": diagnostic.steps.all() if diagnostic else [],
        "rentals": prescription.rentals.select_related("vehicle"),
        "licence_aids": prescription.licence_aids.all(),
        "can_manage": perms.can_manage(request.user),
        "step_form": forms.ActionStepForm(),
        "today": today,
    }
    return _render(request, "mobility/prescription_detail.html", context)


@login_required
@require_POST
def prescription_close(request, prescription_id):
    prescription = perms.get_prescription_for_user(request, prescription_id, write=True)
    try:
        services.close_prescription(prescription=prescription, closed_on=timezone.localdate(), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Prescription close.")
    return redirect(prescription.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def diagnostic_edit(request, prescription_id):
    prescription = perms.get_prescription_for_user(request, prescription_id, write=True)
    diagnostic = getattr(prescription, "diagnostic", None)
    form = forms.DiagnosticForm(request.POST or None, instance=diagnostic)
    return _form_page(
        request,
        form,
        save=lambda data: services.record_diagnostic(prescription=prescription, by=request.user, **data),
        success="Diagnostic mobilité enregistré.",
        redirect_to=prescription.get_absolute_url(),
        title=f"Diagnostic mobilité de {prescription.person.full_name}",
        back=prescription.get_absolute_url(),
        prescription=prescription,
    )


@login_required
@require_POST
def step_add(request, prescription_id):
    prescription = perms.get_prescription_for_user(request, prescription_id, write=True)
    diagnostic = getattr(prescription, "diagnostic", None)
    form = forms.ActionStepForm(request.POST)
    if diagnostic is None:
        form.add_error(None, "Enregistrez d'abord le diagnostic.")
    return _form_page(
        request,
        form,
        save=lambda data: services.add_action_step(diagnostic=diagnostic, by=request.user, **data),
        success="Étape ajoutée au plan d'action.",
        redirect_to=prescription.get_absolute_url(),
        title="Ajouter une étape au plan d'action",
        back=prescription.get_absolute_url(),
        prescription=prescription,
    )


@login_required
@require_POST
def step_done(request, prescription_id, action_step_id):
    prescription = perms.get_prescription_for_user(request, prescription_id, write=True)
    step = ActionStep.objects.filter(diagnostic__prescription=prescription, pk=action_step_id).first()
    if step is not None and step.done_on is None:
        services.complete_action_step(step=step, done_on=timezone.localdate(), by=request.user)
        messages.success(request, "Étape réalisée.")
    return redirect(prescription.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def consent_add(request, prescription_id):
    prescription = perms.get_prescription_for_user(request, prescription_id, write=True)
    form = forms.ConsentForm(request.POST or None)
    return _form_page(
        request,
        form,
        save=lambda data: services.record_guardian_consent(person=prescription.person, by=request.user, **data),
        success="Consentement du ou de la responsable légal·e enregistré.",
        redirect_to=prescription.get_absolute_url(),
        title=f"Consentement du responsable légal de {prescription.person.full_name}",
        back=prescription.get_absolute_url(),
        prescription=prescription,
    )


# Rentals


@login_required
@require_http_methods(["GET", "POST"])
def rental_book(request, prescription_id):
    prescription = perms.get_prescription_for_user(request, prescription_id, write=True)
    today = timezone.localdate()
    form = forms.BookingForm(request.POST or None, today=today, initial={"vehicle": request.GET.get("vehicule")})
    return _form_page(
        request,
        form,
        save=lambda data: services.book_rental(prescription=prescription, by=request.user, **data),
        success=lambda rental: f"Véhicule réservé : location {rental.reference}, {rental.price} €.",
        title=f"Réserver un véhicule pour {prescription.person.full_name}",
        back=prescription.get_absolute_url(),
        submit="Réserver",
        prescription=prescription,
    )


@login_required
@require_GET
def rental_detail(request, rental_id):
    rental = perms.get_rental_for_user(request, rental_id)
    log_access(person=rental.prescription.person, user=request.user)
    today = timezone.localdate()
    context = {
        "rental": rental,
        "prescription": rental.prescription,
        "person": rental.prescription.person,
        "late_days": rental.late_days(today) if rental.status == RentalStatus.ONGOING else 0,
        "can_manage": perms.can_manage(request.user),
        "incidents": rental.incidents.all(),
    }
    return _render(request, "mobility/rental_detail.html", context)


def _rental_action(request, rental_id, *, form_class, title, submit, service, success):
    rental = perms.get_rental_for_user(request, rental_id, write=True)
    form = form_class(request.POST or None)
    return _form_page(
        request,
        form,
        save=lambda data: service(rental=rental, by=request.user, **data),
        success=success,
        redirect_to=rental.get_absolute_url(),
        title=f"{title} – location {rental.reference}",
        back=rental.get_absolute_url(),
        submit=submit,
        rental=rental,
        prescription=rental.prescription,
    )


@login_required
@require_http_methods(["GET", "POST"])
def rental_checkout(request, rental_id):
    return _rental_action(
        request,
        rental_id,
        form_class=forms.CheckOutForm,
        title="Départ du véhicule",
        submit="Enregistrer le départ",
        service=services.check_out,
        success="Départ du véhicule enregistré.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def rental_return(request, rental_id):
    return _rental_action(
        request,
        rental_id,
        form_class=forms.ReturnForm,
        title="Retour du véhicule",
        submit="Enregistrer le retour",
        service=services.return_vehicle,
        success="Retour du véhicule enregistré.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def rental_renew(request, rental_id):
    return _rental_action(
        request,
        rental_id,
        form_class=forms.RenewalForm,
        title="Renouveler la location",
        submit="Renouveler",
        service=services.renew_rental,
        success="Location renouvelée.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def rental_deposit(request, rental_id):
    return _rental_action(
        request,
        rental_id,
        form_class=forms.DepositForm,
        title="Caution",
        submit="Enregistrer",
        service=services.record_deposit,
        success="Caution mise à jour.",
    )


@login_required
@require_POST
def rental_cancel(request, rental_id):
    rental = perms.get_rental_for_user(request, rental_id, write=True)
    try:
        services.cancel_rental(rental=rental, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Réservation annulée.")
    return redirect(rental.get_absolute_url())


def render_pdf(html: str) -> bytes:
    """Printable HTML to PDF with WeasyPrint, as the clauses reports: imported here, styles inline."""
    import weasyprint

    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR / "tremplin" / "static")).write_pdf()


def _pdf(request, template, context, filename):
    html = render_to_string(template, {**context, "printable": True}, request=request)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
@require_GET
def rental_contract(request, rental_id):
    rental = perms.get_rental_for_user(request, rental_id)
    context = {"rental": rental, "person": rental.prescription.person, "rules": services.RentalRules.current()}
    return _pdf(request, "mobility/rental_contract.html", context, f"contrat-{rental.reference}.pdf")


@login_required
@require_GET
def rental_receipt(request, rental_id):
    rental = perms.get_rental_for_user(request, rental_id)
    context = {"rental": rental, "person": rental.prescription.person, "today": timezone.localdate()}
    return _pdf(request, "mobility/rental_receipt.html", context, f"recu-{rental.reference}.pdf")


@login_required
@require_GET
def late_list(request):
    perms.require_staff(request.user)
    today = timezone.localdate()
    rentals = [(rental, rental.late_days(today)) for rental in selectors.late_rentals(user=request.user, today=today)]
    return _render(request, "mobility/late_list.html", {"rentals": rentals, "today": today})


# The fleet


@login_required
@require_GET
def fleet(request):
    perms.require_staff(request.user)
    vehicles = Vehicle.objects.all()
    kind = request.GET.get("type", "")
    if kind in VehicleKind.values:
        vehicles = vehicles.filter(kind=kind)
    today = timezone.localdate()
    context = {
        **paginate(request, vehicles),
        "kind": kind,
        "kinds": VehicleKind.choices,
        "alerts": selectors.expiry_alerts(user=request.user, today=today),
        "out": set(Rental.objects.filter(status=RentalStatus.ONGOING).values_list("vehicle_id", flat=True)),
        "can_manage": perms.can_manage(request.user),
    }
    return _render(request, "mobility/fleet.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def vehicle_create(request):
    perms.require_manager(request.user)
    return _vehicle_form(request, Vehicle())


@login_required
@require_http_methods(["GET", "POST"])
def vehicle_edit(request, vehicle_id):
    return _vehicle_form(request, perms.get_vehicle_for_user(request, vehicle_id, write=True))


def _vehicle_form(request, vehicle):
    form = forms.VehicleForm(request.POST or None, instance=vehicle)

    def save(data):
        form.instance._history_user = request.user
        return form.save()

    return _form_page(
        request,
        form,
        save=save,
        success="Véhicule enregistré.",
        title=str(vehicle) if vehicle.pk else "Nouveau véhicule",
        back=perms.home_url(request.user),
    )


@login_required
@require_GET
def vehicle_detail(request, vehicle_id):
    vehicle = perms.get_vehicle_for_user(request, vehicle_id)
    listing = paginate(request, vehicle.rentals.select_related("prescription__person").order_by("-starts_on", "-pk"))
    visible = set(Rental.objects.visible_to(request.user).filter(vehicle=vehicle).values_list("pk", flat=True))
    context = {
        "vehicle": vehicle,
        **listing,
        "rentals": [(rental, rental.pk in visible) for rental in listing["page"]],
        "maintenances": vehicle.maintenances.all(),
        "can_manage": perms.can_manage(request.user),
        "maintenance_form": forms.MaintenanceForm(),
    }
    return _render(request, "mobility/vehicle_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def maintenance_add(request, vehicle_id):
    vehicle = perms.get_vehicle_for_user(request, vehicle_id, write=True)
    form = forms.MaintenanceForm(request.POST or None)
    return _form_page(
        request,
        form,
        save=lambda data: services.record_maintenance(vehicle=vehicle, by=request.user, **data),
        success="Entretien ou incident enregistré.",
        redirect_to=vehicle.get_absolute_url(),
        title=f"Entretien ou incident – {vehicle}",
        back=vehicle.get_absolute_url(),
    )


@login_required
@require_POST
def maintenance_resolve(request, vehicle_id, maintenance_id):
    vehicle = perms.get_vehicle_for_user(request, vehicle_id, write=True)
    maintenance = Maintenance.objects.filter(vehicle=vehicle, pk=maintenance_id, resolved_on__isnull=True).first()
    if maintenance is not None:
        services.resolve_maintenance(maintenance=maintenance, resolved_on=timezone.localdate(), by=request.user)
        messages.success(request, "Intervention close.")
    return redirect(vehicle.get_absolute_url())


@login_required
@require_GET
def fleet_calendar(request):
    perms.require_staff(request.user)
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in request.GET.get("mois", "").split("-"))
        datetime.date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    kind = request.GET.get("type", "")
    days, rows = selectors.fleet_calendar(
        user=request.user, year=year, month=month, kind=kind if kind in VehicleKind.values else ""
    )
    # The names the calendar shows: the bookings the user may open.
    log_shown(request, [rental for row in rows for cell in row.cells if cell and cell[1] for rental in cell[:1]])
    first = datetime.date(year, month, 1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    context = {
        "days": days,
        "rows": rows,
        "label": f"{MONTHS[month - 1]} {year}",
        "previous": f"{previous:%Y-%m}",
        "following": f"{following:%Y-%m}",
        "kind": kind,
        "kinds": VehicleKind.choices,
        "today": today,
    }
    return _render(request, "mobility/calendar.html", context)


# Licence aid


@login_required
@require_GET
def licence_aid_list(request):
    perms.require_access(request.user)
    aids = LicenceAid.objects.visible_to(request.user).select_related("prescription__person")
    return _render(request, "mobility/licence_aid_list.html", paginate(request, aids))


@login_required
@require_http_methods(["GET", "POST"])
def licence_aid_create(request, prescription_id):
    prescription = perms.get_prescription_for_user(request, prescription_id, write=True)
    return _licence_aid_form(request, LicenceAid(prescription=prescription))


@login_required
@require_http_methods(["GET", "POST"])
def licence_aid_edit(request, aid_id):
    return _licence_aid_form(request, perms.get_licence_aid_for_user(request, aid_id, write=True))


def _licence_aid_form(request, aid):
    form = forms.LicenceAidForm(request.POST or None, instance=aid)
    return _form_page(
        request,
        form,
        save=lambda data: services.save_licence_aid(aid=form.instance, by=request.user),
        success="Aide au permis enregistrée.",
        redirect_to=aid.prescription.get_absolute_url(),
        title=f"Aide au permis – {aid.prescription.person.full_name}",
        back=aid.prescription.get_absolute_url(),
        prescription=aid.prescription,
    )


# Workshops


@login_required
@require_GET
def workshop_list(request):
    perms.require_staff(request.user)
    return _render(
        request,
        "mobility/workshop_list.html",
        {**paginate(request, WorkshopSession.objects.all()), "can_manage": perms.can_manage(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def workshop_create(request):
    perms.require_manager(request.user)
    form = forms.WorkshopSessionForm(request.POST or None)

    def save(data):
        form.instance.facilitator = request.user
        form.instance._history_user = request.user
        return form.save()

    return _form_page(
        request,
        form,
        save=save,
        success="Séance créée.",
        title="Nouvelle séance d'atelier",
        back=perms.home_url(request.user),
    )


def _registrations(session, user):
    """The session's registrations of people the user sees, and how many others there are."""
    registrations = session.registrations.select_related("person")
    visible = list(registrations.visible_to(user))
    return visible, registrations.count() - len(visible)


@login_required
@require_GET
def workshop_detail(request, session_id):
    session = perms.get_session_for_user(request, session_id)
    registrations, others = _registrations(session, request.user)
    context = {
        "session": session,
        "registrations": registrations,
        "others": others,
        "can_manage": perms.can_manage(request.user),
        "form": forms.RegistrationForm(user=request.user),
    }
    return _render(request, "mobility/workshop_detail.html", context)


@login_required
@require_POST
def workshop_register(request, session_id):
    session = perms.get_session_for_user(request, session_id, write=True)
    form = forms.RegistrationForm(request.POST, user=request.user)
    return _form_page(
        request,
        form,
        save=lambda data: services.register_for_workshop(session=session, person=data["person"], by=request.user),
        success="Inscription enregistrée.",
        redirect_to=session.get_absolute_url(),
        title=f"Inscrire à la séance {session}",
        back=session.get_absolute_url(),
    )


@login_required
@require_POST
def workshop_attendance(request, session_id):
    session = perms.get_session_for_user(request, session_id, write=True)
    registrations, _ = _registrations(session, request.user)
    present = {int(pk) for pk in request.POST.getlist("present") if pk.isdigit()}
    services.record_attendance(registrations=registrations, present_ids=present, by=request.user)
    messages.success(request, "Présences enregistrées.")
    return redirect(session.get_absolute_url())


@login_required
@require_GET
def workshop_sheet(request, session_id):
    session = perms.get_session_for_user(request, session_id)
    registrations, others = _registrations(session, request.user)
    context = {"session": session, "registrations": registrations, "others": others}
    return _pdf(request, "mobility/attendance_sheet.html", context, f"emargement-{session.held_on:%Y-%m-%d}.pdf")
