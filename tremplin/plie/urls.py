from django.urls import path

from tremplin.plie.import_urls import urlpatterns as import_urlpatterns
from tremplin.plie.views import cell, orientations, pathways, workspace

app_name = "plie"

urlpatterns = [
    path("", workspace.workspace, name="workspace"),
    # Orientation, first appointment, aller-vers, entry proposal.
    path("orientations/", orientations.orientation_list, name="orientation_list"),
    path("orientations/nouvelle/", orientations.orientation_start, name="orientation_start"),
    path("orientations/proposer/", orientations.orientation_propose, name="orientation_propose"),
    path("personnes/<uuid:public_id>/orienter/", orientations.orientation_create, name="orientation_create"),
    path("orientations/<int:orientation_id>/", orientations.orientation_detail, name="orientation_detail"),
    path(
        "orientations/<int:orientation_id>/premier-rendez-vous/",
        orientations.orientation_appointment,
        name="orientation_appointment",
    ),
    path(
        "orientations/<int:orientation_id>/aller-vers/", orientations.orientation_outreach, name="orientation_outreach"
    ),
    path("orientations/<int:orientation_id>/cloture/", orientations.orientation_close, name="orientation_close"),
    path("orientations/<int:orientation_id>/entree/", orientations.entry_propose, name="entry_propose"),
    path("aller-vers/", orientations.outreach_list, name="outreach_list"),
    # The cellule de suivi des entrées et sorties.
    path("cellule/", cell.cell, name="cell"),
    path("parcours/<int:pathway_id>/entree/validation/", cell.entry_validate, name="entry_validate"),
    path("parcours/<int:pathway_id>/entree/refus/", cell.entry_refuse, name="entry_refuse"),
    path("parcours/<int:pathway_id>/sortie/validation/", cell.exit_validate, name="exit_validate"),
    path("parcours/<int:pathway_id>/sortie/refus/", cell.exit_reject, name="exit_reject"),
    # The pathway.
    path("parcours/<int:pathway_id>/", pathways.pathway_detail, name="pathway_detail"),
    path("parcours/<int:pathway_id>/referent/", pathways.referent_change, name="referent_change"),
    path("parcours/<int:pathway_id>/etapes/nouvelle/", pathways.step_add, name="step_add"),
    path("parcours/<int:pathway_id>/etapes/<int:step_id>/fin/", pathways.step_end, name="step_end"),
    path("parcours/<int:pathway_id>/entretiens/nouveau/", pathways.interview_add, name="interview_add"),
    path("parcours/<int:pathway_id>/contrats/nouveau/", pathways.contract_add, name="contract_add"),
    path("parcours/<int:pathway_id>/contrats/<int:contract_id>/fin/", pathways.contract_end, name="contract_end"),
    path(
        "parcours/<int:pathway_id>/contrats/<int:contract_id>/validation-cellule/",
        pathways.contract_validate_aci,
        name="contract_validate_aci",
    ),
    path("parcours/<int:pathway_id>/creations/nouvelle/", pathways.business_add, name="business_add"),
    path("parcours/<int:pathway_id>/fse/<str:moment>/", pathways.fse_add, name="fse_add"),
    path("parcours/<int:pathway_id>/sortie/", pathways.exit_propose, name="exit_propose"),
] + import_urlpatterns
