from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tremplin.clauses.counting import recount
from tremplin.clauses.models import CountingConvention, GlobalisationAgreement, Lot, Market, Operation

# Operations, lots and their conventions carry no personal data: the technical admin shows them.
# Candidacies, placements and hours are personal data, managed only through the application's
# pages, where access is scoped to the person (Person.objects.visible_to) and every read is logged.
# A convention, an agreement, a lot's legal basis or its operation decide how many hours count: saving or
# deleting them here recounts the records they affect (HoursRecord.counted_hours), as the services do.
# The history's "revert" view saves through save_model and form.save_m2m() too.


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

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        recount(lots=obj.lots.all())  # the market may have moved to another operation (convention)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Lot:
            recount(lots=formset.instance.lots.all())  # legal bases edited inline


@admin.register(Lot)
class LotAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "market", "legal_basis", "amount", "planned_hours", "attributaire", "ended_on"]
    list_filter = ["legal_basis"]
    search_fields = ["name", "market__name", "market__operation__name", "attributaire__name"]
    raw_id_fields = ["market", "attributaire"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        recount(lots=[obj])  # its legal basis, or its market (and so its operation), may have changed

    # A lot with placements cannot be deleted (Placement.lot is PROTECT): a deletion leaves no record to count.


@admin.register(CountingConvention)
class CountingConventionAdmin(SimpleHistoryAdmin):
    list_display = ["operation", "count_direct_hire", "count_staff_provision", "count_subcontracting"]
    raw_id_fields = ["operation"]

    def save_model(self, request, obj, form, change):
        before = CountingConvention.objects.filter(pk=obj.pk).values_list("operation_id", flat=True).first()
        super().save_model(request, obj, form, change)
        recount(operations={obj.operation_id, before} - {None})  # moved to another operation: both

    def delete_model(self, request, obj):
        operation_id = obj.operation_id
        super().delete_model(request, obj)
        recount(operations=[operation_id])  # the default convention applies again

    def delete_queryset(self, request, queryset):
        operation_ids = list(queryset.values_list("operation_id", flat=True))
        super().delete_queryset(request, queryset)
        recount(operations=operation_ids)


@admin.register(GlobalisationAgreement)
class GlobalisationAgreementAdmin(SimpleHistoryAdmin):
    list_display = ["name", "started_on", "ended_on"]
    filter_horizontal = ["operations"]

    @staticmethod
    def _operation_ids(agreements):
        return set(Operation.objects.filter(globalisations__in=agreements).values_list("pk", flat=True))

    def save_model(self, request, obj, form, change):
        before = self._operation_ids([obj.pk]) if obj.pk else set()
        super().save_model(request, obj, form, change)
        save_m2m = form.save_m2m

        # The operations are saved after the agreement (by save_related, or by the history's revert view):
        # the records of the operations it covered and covers are counted once they are.
        def save_m2m_and_recount():
            save_m2m()
            recount(operations=before | self._operation_ids([obj.pk]))

        form.save_m2m = save_m2m_and_recount

    def delete_model(self, request, obj):
        operation_ids = self._operation_ids([obj.pk])
        super().delete_model(request, obj)
        recount(operations=operation_ids)

    def delete_queryset(self, request, queryset):
        operation_ids = self._operation_ids(queryset)
        super().delete_queryset(request, queryset)
        recount(operations=operation_ids)
