"""Pages of the programmation and funding module: home, summary, projects, funding lines, analytic split and
FSE+ operations. Thin: access through `perms`, reads through `selectors`, writes through `services`."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.core.exports import xlsx_response
from tremplin.core.views import paginate
from tremplin.core.widgets import search_options_response
from tremplin.funding import exports, forms, perms, selectors, services
from tremplin.funding.models import FseOperation, Project, StaffYear
from tremplin.funding.views.common import audited_save, line_list_of, module_form_page, year_asked
from tremplin.people.services import log_shown

# Home -------------------------------------------------------------------------------------------------


@login_required
@require_GET
def home(request):
    user = request.user
    today = timezone.localdate()
    if perms.manages_funding(user):
        return render(
            request,
            "funding/home.html",
            {
                "obligations": selectors.obligations_for(user, today=today),
                "calls": perms.calls_visible_to(user)[:5],
                "years": selectors.years_with_lines(),
                "year": year_asked(request),
            },
        )
    if perms.is_operator(user):
        return render(
            request,
            "funding/operator_home.html",
            {
                "calls": perms.calls_visible_to(user).filter(deadline__gte=timezone.now()),
                "answers": perms.answers_visible_to(user).select_related("call", "action", "operator"),
                "conventions": perms.conventions_visible_to(user).select_related("operator"),
                "obligations": selectors.obligations_for(user, today=today),
            },
        )
    if perms.is_funder(user):
        return redirect("funding:summary")
    raise Http404


@login_required
@require_GET
def summary(request):
    """Aggregates for funders and management: funders table and totals by dispositif."""
    perms.require_summary_access(request.user)
    year = year_asked(request)
    return render(
        request,
        "funding/summary.html",
        {
            "year": year,
            "years": selectors.years_with_lines(),
            "funders": selectors.funders_table(year),
            "dispositifs": selectors.dispositif_table(year),
            "manager": perms.manages_funding(request.user),
        },
    )


# Searches of the forms' growing lists (tremplin.core.widgets.SearchSelect) -----------------------------


@login_required
@require_GET
def search_projects(request):
    perms.require_manager(request.user)
    return search_options_response(request, ((p.pk, str(p)) for p in forms.project_choices()))


@login_required
@require_GET
def search_organizations(request):
    perms.require_manager(request.user)
    return search_options_response(request, forms.organization_choices().values_list("pk", "name"))


# Projects ---------------------------------------------------------------------------------------------


@login_required
@require_GET
def project_list(request):
    perms.require_manager(request.user)
    projects = Project.objects.select_related("operator")
    return render(request, "funding/project_list.html", paginate(request, projects))


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request):
    perms.require_manager(request.user)
    form = forms.ProjectForm(request.POST or None)
    return module_form_page(
        request,
        form,
        save=audited_save(form, request.user),
        success="Projet créé.",
        title="Nouveau projet",
        back=reverse("funding:project_list"),
    )


@login_required
@require_GET
def project_detail(request, project_id):
    project = perms.get_project_for_user(request, project_id)
    lines = project.lines.select_related("funder__organization").order_by("-year")
    total = selectors.Row("Total")
    for line in lines:
        total.add(line)
    return render(request, "funding/project_detail.html", {"project": project, "lines": lines, "total": total})


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, project_id):
    project = perms.get_project_for_user(request, project_id, write=True)
    form = forms.ProjectForm(request.POST or None, instance=project)
    return module_form_page(
        request,
        form,
        save=audited_save(form, request.user),
        success="Fiche-action enregistrée.",
        title=f"Modifier {project}",
        back=project.get_absolute_url(),
    )


# Funding lines ----------------------------------------------------------------------------------------


@login_required
@require_GET
def line_list(request):
    perms.require_manager(request.user)
    year = year_asked(request)
    return render(
        request,
        "funding/line_list.html",
        {
            "year": year,
            "years": selectors.years_with_lines(),
            "lines": selectors.lines_of_year(year).order_by("project__code", "funder__organization__name"),
            "funders": selectors.funders_table(year),
            "funders_detail": selectors.funders_detail(year),
            "programmation": selectors.programmation_table(year),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def line_create(request):
    perms.require_manager(request.user)
    form = forms.FundingLineForm(request.POST or None, initial={"year": year_asked(request)})
    return module_form_page(
        request,
        form,
        save=audited_save(form, request.user),
        success="Ligne de financement enregistrée.",
        redirect_to=line_list_of,
        title="Nouvelle ligne de financement",
        back=reverse("funding:line_list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def line_edit(request, line_id):
    line = perms.get_line_for_user(request, line_id)
    form = forms.FundingLineForm(request.POST or None, instance=line)
    return module_form_page(
        request,
        form,
        save=audited_save(form, request.user),
        success="Ligne de financement enregistrée.",
        redirect_to=line_list_of,
        title=f"Modifier la ligne {line}",
        back=reverse("funding:line_list"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def funder_create(request):
    perms.require_manager(request.user)
    form = forms.FunderForm(request.POST or None)
    return module_form_page(
        request,
        form,
        save=audited_save(form, request.user),
        success="Financeur enregistré.",
        redirect_to=reverse("funding:line_list"),
        title="Nouveau financeur",
        back=reverse("funding:line_list"),
        intro="Choisissez une structure de type « financeur » de l'annuaire et sa rubrique du tableau des financeurs.",
    )


@login_required
@require_GET
def lines_xlsx(request):
    perms.require_manager(request.user)
    year = year_asked(request)
    lines = selectors.lines_of_year(year).order_by("project__code")
    return xlsx_response(lines, exports.LINE_COLUMNS, filename=f"lignes-financement-{year}", title=f"Lignes {year}")


@login_required
@require_GET
def funders_xlsx(request):
    perms.require_summary_access(request.user)
    year = year_asked(request)
    table = selectors.funders_table(year)
    return xlsx_response(
        [*table.rows, table.total],
        exports.TABLE_COLUMNS,
        filename=f"financeurs-{year}",
        title=f"Financeurs {year}",
        preamble=[f"Nos financeurs {year} : projets portés par l'association, montants accordés ; total calculé."],
    )


@login_required
@require_GET
def programmation_xlsx(request):
    perms.require_manager(request.user)
    year = year_asked(request)
    table = selectors.programmation_table(year)
    return xlsx_response(
        [*table.rows, table.total],
        exports.TABLE_COLUMNS,
        filename=f"programmation-plie-{year}",
        title=f"Programmation {year}",
        preamble=[f"Programmation PLIE {year} : projets PLIE de l'association et des opérateurs ; total calculé."],
    )


# Analytic split ----------------------------------------------------------------------------------------


@login_required
@require_GET
def split(request):
    perms.require_manager(request.user)
    year = year_asked(request)
    staff = StaffYear.objects.filter(year=year).select_related("user").prefetch_related("allocations__project")
    return render(
        request, "funding/split.html", {"year": year, "split": selectors.analytic_split(year), "staff": staff}
    )


@login_required
@require_GET
def split_xlsx(request):
    perms.require_manager(request.user)
    year = year_asked(request)
    result = selectors.analytic_split(year)
    total = selectors.SplitRow("Total", fte=result.total_fte, cost=result.total_cost)
    return xlsx_response(
        [*result.by_dispositif, total, *result.by_project],
        exports.SPLIT_COLUMNS,
        filename=f"repartition-analytique-{year}",
        title=f"Répartition {year}",
        preamble=[f"Répartition analytique {year} : par dispositif, total, puis par projet."],
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_year_create(request):
    perms.require_manager(request.user)
    form = forms.StaffYearForm(request.POST or None, initial={"year": year_asked(request)})
    return module_form_page(
        request,
        form,
        save=audited_save(form, request.user),
        success="Salarié·e de l'année enregistré·e.",
        redirect_to=lambda staff_year: f"{reverse('funding:split')}?annee={staff_year.year}",
        title="Salarié·e de l'année",
        back=reverse("funding:split"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def allocation_create(request):
    perms.require_manager(request.user)
    form = forms.AllocationForm(request.POST or None)
    return module_form_page(
        request,
        form,
        save=lambda data: services.allocate_staff_time(by=request.user, **data),
        success="Temps affecté.",
        redirect_to=lambda allocation: f"{reverse('funding:split')}?annee={allocation.staff_year.year}",
        title="Affecter du temps à un projet",
        back=reverse("funding:split"),
    )


# FSE+ ----------------------------------------------------------------------------------------------------


@login_required
@require_GET
def fse_list(request):
    perms.require_manager(request.user)
    operations = FseOperation.objects.select_related("project", "organization")
    return render(request, "funding/fse_list.html", paginate(request, operations))


@login_required
@require_http_methods(["GET", "POST"])
def fse_create(request):
    perms.require_manager(request.user)
    form = forms.FseOperationForm(request.POST or None)
    return module_form_page(
        request,
        form,
        save=audited_save(form, request.user),
        success="Opération FSE+ créée.",
        title="Nouvelle opération FSE+",
        back=reverse("funding:fse_list"),
    )


@login_required
@require_GET
def fse_detail(request, fse_operation_id):
    operation = perms.get_fse_operation_for_user(request, fse_operation_id)
    summary = selectors.fse_summary(operation, user=request.user)
    # The participants' names are shown: their reads are logged.
    log_shown(request, [person for person, _, _ in summary.people if person is not None])
    return render(request, "funding/fse_detail.html", {"summary": summary})


@login_required
@require_http_methods(["GET", "POST"])
def fse_line_create(request, fse_operation_id):
    operation = perms.get_fse_operation_for_user(request, fse_operation_id)
    form = forms.FseLineForm(request.POST or None)
    form.instance.operation = operation
    return module_form_page(
        request,
        form,
        save=audited_save(form, request.user),
        success="Dépense enregistrée.",
        redirect_to=operation.get_absolute_url(),
        title=f"Dépense de « {operation} »",
        back=operation.get_absolute_url(),
    )
