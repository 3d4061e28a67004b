"""Views shared by every app: the shape of every form page of the modules (show the form, call a service on a
valid POST, show its refusal), the page of a list, and the French CSRF refusal page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseForbidden
from django.shortcuts import redirect, render
from django.template import loader

DENIED = "Vous ne pouvez pas effectuer cette action."
PAGE_SIZE = 50


def paginate(request, queryset, *, per_page=None, filters=None) -> dict:
    """A list's `page` (its total is `page.paginator.count`) and the `querystring` of its filters (the request's,
    or `filters` when the view completed them with its defaults), which the page links keep from page to page."""
    query = (request.GET if filters is None else filters).copy()
    query.pop("page", None)
    return {
        "page": Paginator(queryset, per_page or PAGE_SIZE).get_page(request.GET.get("page")),
        "querystring": query.urlencode(),
    }


def apply_errors(form, error, aliases=None, *, denied=DENIED):
    """Show a service's refusal on the form: on the field it names (or its alias), or above the form.

    `denied`: the message of a PermissionDenied raised without one (each module says what is read-only)."""
    aliases = aliases or {}
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error) or denied)
    elif hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            name = aliases.get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def form_page(request, form, *, save, success, template, context, redirect_to=None, aliases=None, denied=DENIED):
    """GET shows the form; a valid POST calls `save(cleaned_data)` (a service) and redirects.

    `success` and `redirect_to` may be callables of what `save` returned; without `redirect_to`, to what
    `save` returned (a model with get_absolute_url). Invalid input, or a refusal by the service, shows the
    form again with its errors (422): nothing saved."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except (ValidationError, PermissionDenied) as e:
            apply_errors(form, e, aliases, denied=denied)
        else:
            messages.success(request, success(saved) if callable(success) else success)
            return redirect(redirect_to(saved) if callable(redirect_to) else redirect_to or saved)
    return render(request, template, {**context, "form": form}, status=422 if form.errors else 200)


def csrf_failure(request, reason=""):
    """The CSRF refusal in French, in the app's layout, with a way back (Django's page is bare English)."""
    template = loader.get_template("403_csrf.html")
    return HttpResponseForbidden(template.render({"reason": reason}, request))
