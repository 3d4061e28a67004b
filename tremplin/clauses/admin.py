from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tremplin.clauses.models import CountingConvention, GlobalisationAgreement, Lot, Market, Operation

# Operations, lots and their conventions carry no personal data: the technical admin shows them.
# Candidacies, placements and hours are personal data, managed only through the application's
# pages, where access is scoped to the person (Person.objects.visible_to) and every read is logged.


class MarketInline(admin.TabularInline):
    model = Market
    extra = 0
    fields = ["reference", "name"]
    show_change_link = True


@admin.register(Operation)
class OperationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "buyer", "commune", "sector", "started_on", "ended_on", "facilitator"]
    list_filter = ["sector", "in_qpv", "urban_renewal"]
    search_fields = ["name", "buyer__name"]
    autocomplete_fields = ["buyer", "owner"]
    raw_id_fields = ["commune", "facilitator"]
    inlines = [MarketInline]


class LotInline(admin.TabularInline):
    model = Lot
    extra = 0
    fields = ["number", "name", "legal_basis", "amount", "planned_hours", "started_on", "ended_on"]
    show_change_link = True


@admin.register(Market)
class MarketAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "operation"]
    search_fields = ["name", "reference", "operation__name"]
    raw_id_fields = ["operation"]
    inlines = [LotInline]


@admin.register(Lot)
class LotAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "market", "legal_basis", "amount", "planned_hours", "attributaire", "ended_on"]
    list_filter = ["legal_basis"]
    search_fields = ["name", "market__name", "market__operation__name", "attributaire__name"]
    raw_id_fields = ["market", "attributaire"]


@admin.register(CountingConvention)
class CountingConventionAdmin(SimpleHistoryAdmin):
    list_display = ["operation", "count_direct_hire", "count_staff_provision", "count_subcontracting"]
    raw_id_fields = ["operation"]


@admin.register(GlobalisationAgreement)
class GlobalisationAgreementAdmin(SimpleHistoryAdmin):
    list_display = ["name", "started_on", "ended_on"]
    filter_horizontal = ["operations"]
