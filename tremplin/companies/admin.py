from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from tremplin.companies.models import (
    CompanyProfile,
    Event,
    Hire,
    Immersion,
    Interaction,
    Interest,
    JobSearchProfile,
    Offer,
    PartnershipAgreement,
    Proposal,
    Registration,
    RelaisContact,
)


@admin.register(Offer)
class OfferAdmin(SimpleHistoryAdmin):
    list_display = ["title", "company", "rome", "status", "posts", "received_on"]
    list_filter = ["status", "qualification", "contract_type"]
    search_fields = ["title", "company__name"]
    raw_id_fields = ["company", "created_by"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "starts_on", "ends_on", "capacity"]
    list_filter = ["kind"]
    filter_horizontal = ["offers"]


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ["company", "kind", "programme", "happened_on", "by"]
    list_filter = ["kind", "programme"]
    raw_id_fields = ["company", "contact", "by"]


for model in (CompanyProfile, JobSearchProfile, Interest, Proposal, Hire, Immersion, Registration, RelaisContact):
    admin.site.register(
        model, SimpleHistoryAdmin, raw_id_fields=[f.name for f in model._meta.fields if f.many_to_one or f.one_to_one]
    )
admin.site.register(PartnershipAgreement)
