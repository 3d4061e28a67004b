"""What the module's pages share: the year asked, the form page with the module's template, audited saves."""

from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tremplin.core.models import save_audited
from tremplin.core.views import form_page
from tremplin.funding import selectors

FORM_TEMPLATE = "funding/form.html"
OPERATORS_ONLY = "Seuls les opérateurs répondent aux appels à projets."


def year_asked(request) -> int:
    try:
        year = int(request.GET.get("annee", ""))
    except ValueError:
        years = [y for y in selectors.years_with_lines() if y <= timezone.localdate().year]
        return years[0] if years else timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Http404
    return year


def module_form_page(request, form, *, save, success, redirect_to=None, title, back, submit="Enregistrer", intro=""):
    """The module's form pages: tremplin.core.views.form_page (a valid POST calls `save`, a service or an audited
    save; its refusal goes back to the form) with the module's template."""
    return form_page(
        request,
        form,
        save=save,
        success=success,
        redirect_to=redirect_to,
        template=FORM_TEMPLATE,
        context={"title": title, "back": back, "submit": submit, "intro": intro},
    )


def audited_save(form, user):
    """The `save` of a model form without a service: validate and save the instance with its history author."""
    return lambda data: save_audited(form.instance, user)


def line_list_of(line) -> str:
    return f"{reverse('funding:line_list')}?annee={line.year}"
