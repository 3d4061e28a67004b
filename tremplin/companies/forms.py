from django import forms

from tremplin.companies.enums import (
    OFFER_CONTRACT_CHOICES,
    Attendance,
    CommitteeDecision,
    CompanyProgramme,
    OfferStatus,
    ProposalOutcome,
    Public,
)
from tremplin.companies.models import (
    CompanyProfile,
    Event,
    Immersion,
    Interaction,
    JobSearchProfile,
    Offer,
    PartnershipAgreement,
    RelaisContact,
)
from tremplin.companies.services import COMPANY_KINDS
from tremplin.core.widgets import SearchChoiceField, SearchSelect
from tremplin.structures.enums import OrganizationKind
from tremplin.structures.models import Organization

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def company_choices():
    """The companies and SIAE an offer or an immersion may name (the forms and companies:search_companies)."""
    return Organization.objects.filter(kind__in=COMPANY_KINDS).order_by("name", "pk")


def company_field(**kwargs):
    """A company typed and chosen among the directory's (185 employers and growing), not a select of them all."""
    return SearchChoiceField(
        label="Entreprise",
        queryset=company_choices(),
        widget=SearchSelect("companies:search_companies"),
        error_messages={"invalid_choice": "Choisissez une entreprise ou une SIAE dans la liste proposée."},
        help_text="Tapez une partie de son nom, puis choisissez-la dans la liste.",
        **kwargs,
    )


class SearchForm(forms.Form):
    q = forms.CharField(label="Rechercher", required=False)


class CompanyProfileForm(forms.ModelForm):
    class Meta:
        model = CompanyProfile
        fields = ["naf_code", "sector", "size", "notes"]


class InteractionForm(forms.ModelForm):
    class Meta:
        model = Interaction
        fields = ["kind", "programme", "happened_on", "contact", "subject", "notes"]
        widgets = {"happened_on": DATE}

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = company.contacts.all()


class AgreementForm(forms.ModelForm):
    class Meta:
        model = PartnershipAgreement
        fields = ["kind", "title", "commitments", "signed_on", "starts_on", "ends_on"]
        widgets = {"signed_on": DATE, "starts_on": DATE, "ends_on": DATE}


class OfferForm(forms.ModelForm):
    company = company_field()
    programmes = forms.MultipleChoiceField(
        label="Partagée avec", choices=CompanyProgramme.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Offer
        fields = [
            "company",
            "title",
            "rome",
            "contract_type",
            "duration_months",
            "weekly_hours",
            "skills",
            "qualification",
            "commune",
            "requires_licence",
            "requires_vehicle",
            "starts_on",
            "posts",
            "received_on",
            "programmes",
        ]
        widgets = {"starts_on": DATE, "received_on": DATE}


class OfferStatusForm(forms.Form):
    status = forms.ChoiceField(label="Nouveau statut", choices=OfferStatus.choices)


class JobSearchForm(forms.ModelForm):
    contracts = forms.MultipleChoiceField(
        label="Contrats acceptés (aucun coché : tous)",
        choices=OFFER_CONTRACT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = JobSearchProfile
        fields = [
            "rome_1",
            "rome_2",
            "rome_3",
            "has_licence",
            "has_vehicle",
            "min_weekly_hours",
            "max_weekly_hours",
            "available_from",
            "is_active",
        ]
        widgets = {"available_from": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["contracts"].initial = self.instance.accepted_contracts

    def clean(self):
        data = super().clean()
        low, high = data.get("min_weekly_hours"), data.get("max_weekly_hours")
        if low is not None and high is not None and high < low:
            self.add_error("max_weekly_hours", "Le maximum d'heures doit être au moins égal au minimum.")
        return data


class ProposalOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="Suite donnée", choices=ProposalOutcome.choices)
    outcome_on = forms.DateField(label="Connue le", widget=DATE)
    started_on = forms.DateField(label="Date d'embauche", required=False, widget=DATE)
    contract_type = forms.ChoiceField(
        label="Contrat signé", choices=[("", "—")] + OFFER_CONTRACT_CHOICES, required=False
    )


class ImmersionForm(forms.ModelForm):
    company = company_field()

    class Meta:
        model = Immersion
        fields = ["company", "rome", "starts_on", "ends_on", "objective", "tutor"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class ImmersionOutcomeForm(forms.ModelForm):
    class Meta:
        model = Immersion
        fields = ["outcome"]


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = ["kind", "title", "programme", "starts_on", "ends_on", "place", "commune", "capacity", "offers"]
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offers"].queryset = Offer.objects.open().select_related("company")
        self.fields["offers"].required = False


class RegistrationForm(forms.Form):
    public = forms.ChoiceField(label="Public", choices=Public.choices)
    prescriber = forms.ModelChoiceField(
        label="Prescripteur", queryset=Organization.objects.filter(kind=OrganizationKind.PRESCRIBER), required=False
    )


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(label="Présence", choices=Attendance.choices)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Décision du comité", choices=CommitteeDecision.choices)
    decided_on = forms.DateField(label="Date du comité", widget=DATE)


def partner_choices():
    """The structures a Point Relais refers someone to (the form and companies:search_partners)."""
    return Organization.objects.exclude(
        kind__in=[OrganizationKind.COMPANY, OrganizationKind.BUYER, OrganizationKind.FUNDER]
    ).order_by("name", "pk")


class RelaisContactForm(forms.ModelForm):
    """The Points Relais quick entry: three choices and, for a referral, the partner."""

    referred_to = SearchChoiceField(
        label="Partenaire vers lequel la personne est orientée",
        queryset=partner_choices(),
        required=False,
        widget=SearchSelect("companies:search_partners"),
        error_messages={"invalid_choice": "Choisissez une structure partenaire dans la liste proposée."},
        help_text="Pour une orientation : tapez une partie du nom du partenaire, puis choisissez-le dans la liste.",
    )

    class Meta:
        model = RelaisContact
        fields = ["channel", "subject", "outcome", "referred_to", "note"]
        widgets = {"channel": forms.RadioSelect, "outcome": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channel"].choices = self.fields["channel"].choices[1:]
        self.fields["outcome"].choices = self.fields["outcome"].choices[1:]
