from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tremplin.structures.models import Contact, Organization


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "siae_type", "siret", "commune", "is_active"]
    list_filter = ["kind", "siae_type", "is_active"]
    search_fields = ["name", "siret"]
    inlines = [ContactInline]
