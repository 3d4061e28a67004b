from django.urls import path

from tremplin.companies import views

app_name = "companies"
urlpatterns = [
    path("", views.company_list, name="home"),
    path("recherche/", views.search_companies, name="search_companies"),
    path("recherche/partenaires/", views.search_partners, name="search_partners"),
    path("<int:company_id>/", views.company_detail, name="company_detail"),
    path("<int:company_id>/profil/", views.company_profile, name="company_profile"),
    path("<int:company_id>/echange/", views.interaction_create, name="interaction_create"),
    path("<int:company_id>/partenariat/", views.agreement_create, name="agreement_create"),
    path("offres/", views.offer_list, name="offer_list"),
    path("offres/nouvelle/", views.offer_create, name="offer_create"),
    path("offres/<int:offer_id>/", views.offer_detail, name="offer_detail"),
    path("offres/<int:offer_id>/statut/", views.offer_status, name="offer_status"),
    path("offres/<int:offer_id>/classement/", views.offer_ranking, name="offer_ranking"),
    path("offres/<int:offer_id>/proposer/<uuid:public_id>/", views.propose, name="propose"),
    path("propositions/<int:proposal_id>/suite/", views.proposal_outcome, name="proposal_outcome"),
    path("personnes/", views.people, name="people"),
    path("personnes/<uuid:public_id>/recherche/", views.job_search, name="job_search"),
    path("personnes/<uuid:public_id>/offres/", views.person_offers, name="person_offers"),
    path("personnes/<uuid:public_id>/interet/<int:offer_id>/", views.interest, name="interest"),
    path("personnes/<uuid:public_id>/immersion/", views.immersion_create, name="immersion_create"),
    path("immersions/", views.immersion_list, name="immersion_list"),
    path("immersions/<int:immersion_id>/issue/", views.immersion_outcome, name="immersion_outcome"),
    path("evenements/", views.event_list, name="event_list"),
    path("evenements/nouveau/", views.event_create, name="event_create"),
    path("evenements/<int:event_id>/", views.event_detail, name="event_detail"),
    path("evenements/<int:event_id>/inscrire/<uuid:public_id>/", views.event_register, name="event_register"),
    path("evenements/<int:event_id>/emargement.pdf", views.attendance_sheet, name="attendance_sheet"),
    path(
        "inscriptions/<int:registration_id>/presence/", views.registration_attendance, name="registration_attendance"
    ),
    path("inscriptions/<int:registration_id>/decision/", views.registration_decision, name="registration_decision"),
    path("entonnoir/", views.funnel, name="funnel"),
    path("relais/", views.relais, name="relais"),
]
