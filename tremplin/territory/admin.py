from django.contrib import admin

from tremplin.territory.models import Commune, Qpv, RomeCode


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "insee_code", "postcode", "is_metropole"]
    list_filter = ["is_metropole"]
    search_fields = ["name", "insee_code"]


@admin.register(Qpv)
class QpvAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "commune", "valid_from", "valid_until"]
    list_filter = ["commune"]


@admin.register(RomeCode)
class RomeCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "label"]
    search_fields = ["code", "label"]
