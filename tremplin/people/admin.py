from django.contrib import admin

from tremplin.people.models import PersonAccess

# People are managed through the application's own pages, where access is scoped and every
# read is logged; the technical admin only shows the access log, read-only.


@admin.register(PersonAccess)
class PersonAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "person_id"]
    list_filter = ["action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
