from django.urls import path

from tremplin.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="list"),
    path("nouvelle/", views.person_create, name="create"),
    path("rattachements/", views.attachment_list, name="attachments"),
    path("archive-restreinte/", views.restricted_archive, name="archive"),
    path("archive-restreinte/<uuid:public_id>/export-rgpd/", views.restricted_export, name="archive_export"),
    path(
        "archive-restreinte/<uuid:public_id>/export-rgpd.pdf", views.restricted_export_pdf, name="archive_export_pdf"
    ),
    path("<uuid:public_id>/archiver/", views.person_restrict, name="restrict"),
    path("rattachements/<int:attachment_id>/", views.attachment_decide, name="attachment_decide"),
    path("<uuid:public_id>/", views.person_detail, name="detail"),
    path("<uuid:public_id>/modifier/", views.person_edit, name="edit"),
    path("<uuid:public_id>/historique/", views.person_history, name="history"),
    path("<uuid:public_id>/export-rgpd/", views.person_export, name="export"),
    path("<uuid:public_id>/export-rgpd.pdf", views.person_export_pdf, name="export_pdf"),
    path("<uuid:public_id>/situations/", views.fact_add, name="fact_add"),
    path("<uuid:public_id>/situations/<int:fact_id>/cloture/", views.fact_end, name="fact_end"),
    path("<uuid:public_id>/suivis/", views.follow_up_add, name="follow_up_add"),
]
