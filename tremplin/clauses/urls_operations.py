"""URLs of operations, markets, lots, conventions, globalisation and of candidates and placements
(included under the "clauses" namespace, at /clauses/)."""

from django.urls import path

from tremplin.clauses.views import candidates, operations

urlpatterns = [
    # With buyers.
    path("operations/", operations.operation_list, name="operation_list"),
    path("operations/nouvelle/", operations.operation_create, name="operation_create"),
    path("operations/<int:operation_id>/", operations.operation_detail, name="operation_detail"),
    path("operations/<int:operation_id>/modifier/", operations.operation_edit, name="operation_edit"),
    path("operations/<int:operation_id>/convention/", operations.convention_edit, name="convention_edit"),
    path("operations/<int:operation_id>/marches/nouveau/", operations.market_create, name="market_create"),
    path("marches/<int:market_id>/modifier/", operations.market_edit, name="market_edit"),
    path("marches/<int:market_id>/lots/nouveau/", operations.lot_create, name="lot_create"),
    path("lots/<int:lot_id>/", operations.lot_detail, name="lot_detail"),
    path("lots/<int:lot_id>/modifier/", operations.lot_edit, name="lot_edit"),
    path("lots/<int:lot_id>/dimensionnement/", operations.lot_sizing, name="lot_sizing"),
    path("globalisations/", operations.globalisation_list, name="globalisation_list"),
    path("globalisations/nouvel-accord/", operations.globalisation_create, name="globalisation_create"),
    path("globalisations/<int:agreement_id>/modifier/", operations.globalisation_edit, name="globalisation_edit"),
    path("suivi/", operations.progress, name="progress"),
    # With people.
    path("candidatures/", candidates.candidate_list, name="candidate_list"),
    path("candidatures/nouvelle/", candidates.referral_create, name="referral_create"),
    path("vivier/", candidates.pool, name="pool"),
    path("candidatures/<int:candidate_id>/", candidates.candidate_detail, name="candidate_detail"),
    path("candidatures/<int:candidate_id>/cv/", candidates.candidate_cv, name="candidate_cv"),
    path(
        "candidatures/<int:candidate_id>/eligibilite/", candidates.candidate_eligibility, name="candidate_eligibility"
    ),
    path("candidatures/<int:candidate_id>/entretien/", candidates.candidate_interview, name="candidate_interview"),
    path("candidatures/<int:candidate_id>/decision/", candidates.candidate_decision, name="candidate_decision"),
    path("candidatures/<int:candidate_id>/metiers/", candidates.candidate_jobs, name="candidate_jobs"),
    path(
        "candidatures/<int:candidate_id>/sortie-du-vivier/", candidates.candidate_withdraw, name="candidate_withdraw"
    ),
    path("candidatures/<int:candidate_id>/mise-en-emploi/", candidates.placement_create, name="placement_create"),
    path("recherche/lots/", candidates.search_lots, name="search_lots"),
    path("recherche/employeurs/", candidates.search_employers, name="search_employers"),
    path("mises-en-emploi/<int:placement_id>/", candidates.placement_detail, name="placement_detail"),
    path("mises-en-emploi/<int:placement_id>/fin/", candidates.placement_end, name="placement_end"),
    path("mises-en-emploi/<int:placement_id>/evaluation/", candidates.evaluation_record, name="evaluation_record"),
    path("evaluations/", candidates.evaluation_list, name="evaluation_list"),
]
