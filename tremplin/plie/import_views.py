"""The PLIE import pages: the template to download, the upload and its report (cellule only)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from tremplin.core.exports import xlsx_file_response
from tremplin.plie.imports import MAX_FILE_SIZE, SHEETS, TEMPLATE_FILENAME, build_template, import_file
from tremplin.plie.perms import is_cell_member, require_plie_access


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Fichier à importer",
        help_text="Classeur Excel (.xlsx) du modèle, ou CSV de l'onglet « Participants » séparé par des "
        "points-virgules (UTF-8), au plus "
        f"{MAX_FILE_SIZE // 1024 // 1024} Mo.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
    dry_run = forms.BooleanField(label="Vérifier le fichier sans rien enregistrer", required=False)


def _require_cell(user):
    # Roles without PLIE data get the same 404 as an unknown page; other PLIE roles a 403.
    require_plie_access(user)
    if not is_cell_member(user):
        raise PermissionDenied("Seule la cellule de suivi des entrées et sorties importe des parcours.")


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    _require_cell(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_file(upload, by=request.user, filename=upload.name, dry_run=form.cleaned_data["dry_run"])
    context = {"form": form, "report": report, "sheets": SHEETS}
    return render(request, "plie/import/upload.html", context)


@login_required
@require_GET
def import_template(request):
    _require_cell(request.user)
    return xlsx_file_response(build_template(), filename=TEMPLATE_FILENAME)
