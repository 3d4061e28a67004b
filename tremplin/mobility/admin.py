from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tremplin.mobility.models import RentalRules, Tariff

# The platform's settings (tariffs, rental rules) are configured in the technical admin. Records about
# people are managed through the application's own pages, where access is scoped and reads are logged.


@admin.register(Tariff)
class TariffAdmin(SimpleHistoryAdmin):
    list_display = ["name", "vehicle_kind", "daily_price", "deposit", "valid_from", "valid_until"]
    list_filter = ["vehicle_kind", "name"]


@admin.register(RentalRules)
class RentalRulesAdmin(SimpleHistoryAdmin):
    list_display = ["max_months", "max_renewals", "alert_days"]

    def has_add_permission(self, request):
        return not RentalRules.objects.exists()
