import copy
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from tremplin.people import selectors, services
from tremplin.people.enums import SENSITIVE_FACTS, FactKind
from tremplin.people.forms import (
    AttachmentDecisionForm,
    FactForm,
    FollowUpForm,
    PersonForm,
    RestrictionForm,
    SearchForm,
)
from tremplin.people.gdpr import personal_data
from tremplin.people.models import Person, PersonAccess
from tremplin.people.perms import (
    attachments_to_decide,
    can_edit_person,
    can_export_personal_data,
    can_manage_follow_ups,
    can_restrict,
    can_see_history,
    get_attachment_for_user,
    get_person_for_user,
    get_restricted_person_for_user,
)
from tremplin.territory.models import Commune


def _require_records(user):
    # External users have no people registry at all: same 404 as an unknown page.
    if not user.sees_records:
        raise Http404


@login_required
def person_list(request):
    _require_records(request.user)
    form = SearchForm(request.GET or None)
    people = selectors.registry(request.user).select_related("commune")
    # "Mes suivis en cours" of the home page, in full: the same selector as the home's count.
    mine = request.GET.get("suivis") == "mes"
    if mine:
        people = people.filter(pk__in=selectors.people_of(selectors.my_open_follow_ups(request.user)))
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            people = people.search(query)
    page = Paginator(people.order_by("last_name", "first_name", "pk"), 50).get_page(request.GET.get("page"))
    services.log_access(people=page.object_list, user=request.user, action=PersonAccess.Action.LIST, request=request)
    can_create = request.user.can_edit_people or request.user.refers_people
    context = {
        "form": form,
        "page": page,
        "query": query,
        "mine": mine,
        "querystring": urlencode(
            {key: value for key, value in (("suivis", "mes" if mine else ""), ("q", query)) if value}
        ),
        "can_create": can_create,
        "can_restrict": can_restrict(request.user),
        # Requests to decide (demandes de rattachement): a count only, the page lists them.
        "pending_attachments": attachments_to_decide(request.user).count() if not request.htmx else 0,
    }
    template = "people/_results.html" if request.htmx else "people/list.html"
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    _require_records(request.user)
    if request.user.refers_people:
        # A prescriber registers a person by orienting them (PLIE or clauses): the choice of the two forms.
        return render(request, "people/prescriber_choice.html")
    if not request.user.can_edit_people:
        raise PermissionDenied("Votre rôle ne permet pas d'inscrire une personne au registre.")
    form = PersonForm(request.POST or None)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        data = form.person_data()
        found = services.find_likely_duplicates(
            first_name=data["first_name"],
            last_name=data["last_name"],
            birth_date=data["birth_date"],
            email=data.get("email", ""),
            phone=data.get("phone", ""),
        )
        # Only matches of the user's scope are shown; the others leave no trace on this page (not even
        # their number): the person is registered as new and an attachment request goes to the coordination
        # and the structures that follow the match. Same screens whether or not such a match exists.
        duplicates = services.visible_duplicates(user=request.user, duplicates=found)
        if not duplicates or form.cleaned_data.get("confirm_not_duplicate"):
            try:
                with transaction.atomic():
                    person = services.create_person(by=request.user, **data)
                    follow_up = person.follow_ups.first()
                    services.request_attachments(
                        by=request.user,
                        person=person,
                        duplicates=found,
                        programme=follow_up.programme if follow_up else "",
                    )
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, f"{person.full_name} est inscrit·e au registre.")
                return redirect(person)
        services.log_shown(request, [d.person for d in duplicates])
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "duplicates": duplicates,
            "visible_duplicates": duplicates,
            "communes": Commune.objects.only("name", "insee_code"),
            "title": "Inscrire une personne au registre",
        },
    )


@login_required
def person_detail(request, public_id):
    person = get_person_for_user(request, public_id)  # logs the read
    facts = person.facts.select_related("qpv", "recorded_by")
    if not request.user.sees_sensitive_facts:
        facts = facts.exclude(kind__in=SENSITIVE_FACTS)
    can_edit = can_edit_person(request.user, person)
    allowed_kinds = None if request.user.sees_sensitive_facts else set(FactKind.values) - SENSITIVE_FACTS
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "facts": facts,
            "follow_ups": person.follow_ups.select_related("organization", "referent", "prescriber"),
            "can_edit": can_edit,
            "can_see_history": can_see_history(request.user, person),
            "can_manage_follow_ups": can_manage_follow_ups(request.user),
            "can_export": can_export_personal_data(request.user),
            "restriction_form": RestrictionForm() if can_restrict(request.user) else None,
            "fact_form": FactForm(allowed_kinds=allowed_kinds) if can_edit else None,
            "follow_up_form": FollowUpForm() if can_manage_follow_ups(request.user) else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, public_id):
    person = get_person_for_user(request, public_id, write=True)
    form = PersonForm(request.POST or None, instance=copy.copy(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(person=person, by=request.user, **form.person_data())
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, "Fiche mise à jour.")
            return redirect(person)
    return render(
        request,
        "people/form.html",
        {
            "form": form,
            "person": person,
            "communes": Commune.objects.only("name", "insee_code"),
            "title": f"Modifier la fiche de {person.full_name}",
        },
    )


@login_required
@require_POST
def fact_add(request, public_id):
    person = get_person_for_user(request, public_id, write=True)
    allowed_kinds = None if request.user.sees_sensitive_facts else set(FactKind.values) - SENSITIVE_FACTS
    form = FactForm(request.POST, allowed_kinds=allowed_kinds)
    if form.is_valid():
        try:
            services.record_fact(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Situation enregistrée.")
            return redirect(person)
    return render(request, "people/fact_form.html", {"person": person, "form": form}, status=422)


@login_required
@require_POST
def fact_end(request, public_id, fact_id):
    person = get_person_for_user(request, public_id, write=True)
    fact = get_object_or_404(person.facts, pk=fact_id)
    if fact.kind in SENSITIVE_FACTS and not request.user.sees_sensitive_facts:
        raise Http404
    form = FactForm()
    ended_on = form.fields["ended_on"].clean(request.POST.get("ended_on"))
    try:
        if ended_on is None:
            raise ValidationError("Indiquez la date de fin.")
        services.end_fact(fact=fact, ended_on=ended_on, by=request.user)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, "Situation close.")
    return redirect(person)


@login_required
@require_POST
def follow_up_add(request, public_id):
    person = get_person_for_user(request, public_id)
    if not can_manage_follow_ups(request.user):
        raise PermissionDenied("Seule la coordination confie un suivi à une structure.")
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            services.start_follow_up(person=person, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, "Suivi confié à la structure.")
    else:
        messages.error(request, "Suivi non enregistré : " + " ".join(m for ms in form.errors.values() for m in ms))
    return redirect(person)


@login_required
def person_export(request, public_id):
    """Right of access: the person's data as a JSON file, for the coordination team."""
    person = get_person_for_user(request, public_id)
    if not can_export_personal_data(request.user):
        raise PermissionDenied("Seule la coordination exporte les données d'une personne (droit d'accès RGPD).")
    services.log_access(person=person, user=request.user, action=PersonAccess.Action.EXPORT, request=request)
    return _json_export(request, person)


@login_required
def person_export_pdf(request, public_id):
    """Right of access: the same data as the JSON export, as a readable PDF (WeasyPrint)."""
    person = get_person_for_user(request, public_id)
    if not can_export_personal_data(request.user):
        raise PermissionDenied("Seule la coordination exporte les données d'une personne (droit d'accès RGPD).")
    services.log_access(person=person, user=request.user, action=PersonAccess.Action.EXPORT, request=request)
    return _pdf_export(request, person)


@login_required
def restricted_export(request, public_id):
    """A restricted person keeps their rights of access and portability: the coordination exports the whole
    record from the restricted archive (the door logs it; 404 for everyone else)."""
    return _json_export(request, get_restricted_person_for_user(request, public_id))


@login_required
def restricted_export_pdf(request, public_id):
    return _pdf_export(request, get_restricted_person_for_user(request, public_id))


def _json_export(request, person):
    content = json.dumps(personal_data(person, user=request.user), ensure_ascii=False, indent=2, default=str)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="donnees-personnelles-{person.public_id}.json"'
    return response


def _pdf_export(request, person):
    html = render_to_string(
        "people/export_pdf.html",
        {"person": person, "data": personal_data(person, user=request.user), "today": timezone.localdate()},
    )
    import weasyprint  # only these views need it (and Pango)

    response = HttpResponse(weasyprint.HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="donnees-personnelles-{person.public_id}.pdf"'
    return response


@login_required
def person_history(request, public_id):
    person = get_person_for_user(request, public_id)
    if not can_see_history(request.user, person):
        raise PermissionDenied("Votre rôle ne permet pas de consulter l'historique de cette fiche.")
    services.log_access(person=person, user=request.user, action=PersonAccess.Action.HISTORY, request=request)
    return render(
        request,
        "people/history.html",
        {
            "person": person,
            "changes": selectors.person_history(person=person, user=request.user),
            "accesses": person.accesses.select_related("user")[:200],
        },
    )


@login_required
def attachment_list(request):
    """Pending « demandes de rattachement » for the coordination and the structures following the person."""
    _require_records(request.user)
    if not request.user.can_edit_people:
        raise PermissionDenied("Votre rôle ne permet pas de traiter les demandes de rattachement.")
    attachments = list(attachments_to_decide(request.user)[:200])
    services.log_shown(request, [a.target for a in attachments])
    return render(request, "people/attachments.html", {"attachments": attachments})


@login_required
@require_http_methods(["GET", "POST"])
def attachment_decide(request, attachment_id):
    attachment = get_attachment_for_user(request, attachment_id)
    form = AttachmentDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_attachment(
                attachment=attachment,
                accept=form.cleaned_data["decision"] == "accept",
                reason=form.cleaned_data["decision_reason"],
                by=request.user,
            )
        except ValidationError as e:
            for field, errors in getattr(e, "message_dict", {None: e.messages}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Demande de rattachement traitée.")
            return redirect("people:attachments")
    status = 422 if form.errors else 200
    return render(request, "people/attachment_decide.html", {"attachment": attachment, "form": form}, status=status)


@login_required
@require_POST
def person_restrict(request, public_id):
    """Erasure or restriction within the FSE+ archive duty: the record moves to the restricted archive."""
    person = get_person_for_user(request, public_id)
    if not can_restrict(request.user):
        raise PermissionDenied("Seule la coordination archive une fiche en accès restreint.")
    form = RestrictionForm(request.POST)
    if form.is_valid():
        try:
            services.restrict_person(person=person, reason=form.cleaned_data["restriction_reason"], by=request.user)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, "La fiche est archivée en accès restreint : elle n'apparaît plus nulle part.")
            return redirect("people:archive")
    else:
        messages.error(request, "Indiquez le motif de la limitation.")
    return redirect(person)


@login_required
def restricted_archive(request):
    """The restricted archive: people whose processing is limited, with the reason and date (coordination)."""
    _require_records(request.user)
    if not can_restrict(request.user):
        raise PermissionDenied("Seule la coordination consulte l'archive restreinte.")
    people = Person.objects.restricted().select_related("commune").order_by("-restricted_at")
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    services.log_shown(request, page)
    return render(request, "people/archive.html", {"page": page})
