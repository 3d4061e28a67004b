import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from tremplin.accounts.forms import MemberForm
from tremplin.accounts.services import add_member
from tremplin.core.views import paginate
from tremplin.structures.forms import ContactForm, OrganizationForm, OrganizationSearchForm
from tremplin.structures.models import Organization
from tremplin.structures.perms import get_organization_for_user
from tremplin.structures.services import add_contact, save_organization
from tremplin.territory.models import Commune


def _require_directory(user):
    # External users have no directory of structures: same 404 as an unknown page.
    if not user.sees_records:
        raise Http404


@login_required
def organization_list(request):
    _require_directory(request.user)
    organizations = Organization.objects.visible_to(request.user)
    form = OrganizationSearchForm(request.GET or None)
    if form.is_valid():
        organizations = organizations.search(form.cleaned_data["q"].strip())
        if form.cleaned_data["kind"]:
            organizations = organizations.filter(kind=form.cleaned_data["kind"])
    template = "structures/_results.html" if request.htmx else "structures/list.html"
    context = {
        "form": form,
        **paginate(request, organizations.select_related("commune")),
        "can_manage": request.user.can_manage_structures,
    }
    return render(request, template, context)


@login_required
def organization_detail(request, pk):
    organization = get_organization_for_user(request, pk)
    return render(
        request,
        "structures/detail.html",
        {
            "organization": organization,
            "memberships": organization.memberships.active().select_related("user"),
            "contacts": organization.contacts.all(),
            "can_manage": request.user.can_manage_structures,
            "member_form": MemberForm() if request.user.can_manage_structures else None,
            "contact_form": ContactForm() if request.user.can_manage_structures else None,
        },
    )


def _organization_form(request, organization, *, title):
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_organization(organization=form.instance, by=request.user)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, f"Structure « {saved.name} » enregistrée.")
            return redirect("structures:detail", pk=saved.pk)
    return render(
        request,
        "structures/form.html",
        {"form": form, "title": title, "communes": Commune.objects.only("name", "insee_code")},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_create(request):
    _require_directory(request.user)
    if not request.user.can_manage_structures:
        raise PermissionDenied("Seules la coordination et la direction gèrent les structures.")
    return _organization_form(request, Organization(), title="Nouvelle structure")


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit(request, pk):
    organization = get_organization_for_user(request, pk, write=True)
    return _organization_form(request, copy.copy(organization), title=f"Modifier « {organization.name} »")


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request, pk):
    organization = get_organization_for_user(request, pk, write=True)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = add_member(organization=organization, by=request.user, **form.cleaned_data)
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"{membership.user} ajouté·e à la structure.")
            return redirect("structures:detail", pk=organization.pk)
    return render(request, "structures/member_form.html", {"form": form, "organization": organization})


@login_required
@require_http_methods(["GET", "POST"])
def contact_add(request, pk):
    organization = get_organization_for_user(request, pk, write=True)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.organization = organization
        try:
            add_contact(contact=form.instance, by=request.user)
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, "Contact ajouté.")
            return redirect("structures:detail", pk=organization.pk)
    return render(request, "structures/contact_form.html", {"form": form, "organization": organization})
