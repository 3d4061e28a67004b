from django.urls import path

from tremplin.structures import views

app_name = "structures"

urlpatterns = [
    path("", views.organization_list, name="list"),
    path("nouvelle/", views.organization_create, name="create"),
    path("<int:pk>/", views.organization_detail, name="detail"),
    path("<int:pk>/modifier/", views.organization_edit, name="edit"),
    path("<int:pk>/membres/", views.member_add, name="member_add"),
    path("<int:pk>/contacts/", views.contact_add, name="contact_add"),
]
