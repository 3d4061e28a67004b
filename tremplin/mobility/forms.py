"""Forms validate input only; the rules live in services.py."""

from django import forms
from django.utils import timezone

from tremplin.core.widgets import SearchChoiceField, SearchSelect
from tremplin.mobility.enums import (
    ActionKind,
    DepositStatus,
    MaintenanceKind,
    MeansOfTransport,
    Obstacle,
    Skill,
)
from tremplin.mobility.models import Diagnostic, LicenceAid, Tariff, Vehicle, WorkshopSession
from tremplin.people.models import Person
from tremplin.structures.models import Organization

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def people_for(user):
    """The people a form of the platform may name: the user's scope, in the registry (the forms and their search)."""
    return Person.objects.visible_to(user).in_registry().order_by("last_name", "first_name", "pk")


def person_label(person) -> str:
    return f"{person.full_name} ({person.birth_date:%d/%m/%Y})" if person.birth_date else person.full_name


class PersonField(SearchChoiceField):
    """A person of the user's scope, typed and chosen (mobility:search_people): the page lists nobody."""

    def __init__(self, **kwargs):
        super().__init__(
            label="Personne",
            queryset=Person.objects.none(),
            to_field_name="public_id",
            widget=SearchSelect("mobility:search_people", preload=False),
            error_messages={
                "required": "Choisissez une personne.",
                "invalid_choice": "Choisissez une personne dans la liste proposée.",
            },
            help_text="Tapez au moins deux lettres de son nom (ou sa date de naissance), puis choisissez-la dans la "
            "liste.",
            **kwargs,
        )

    def label_from_instance(self, obj):
        return person_label(obj)


class PrescriptionForm(forms.Form):
    person = PersonField()
    platform = forms.ModelChoiceField(label="Plateforme mobilité", queryset=Organization.objects.none())
    reason = forms.CharField(label="Besoin exprimé", widget=forms.Textarea(attrs={"rows": 3}))
    integration_policy = forms.BooleanField(
        label="Public de la politique d'intégration (primo-arrivant·e, contrat d'intégration républicaine)",
        required=False,
    )

    def __init__(self, *args, user, platforms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_for(user)
        self.fields["platform"].queryset = platforms
        if platforms.count() == 1:
            self.fields["platform"].initial = platforms.first()


class DiagnosticForm(forms.ModelForm):
    means = forms.MultipleChoiceField(
        label="Moyens de déplacement",
        choices=MeansOfTransport.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    obstacles = forms.MultipleChoiceField(
        label="Freins", choices=Obstacle.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    skills = forms.MultipleChoiceField(
        label="Compétences acquises", choices=Skill.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = Diagnostic
        fields = ["held_on", "means", "licence", "obstacles", "skills", "notes"]
        widgets = {"held_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}


class ActionStepForm(forms.Form):
    kind = forms.ChoiceField(label="Action", choices=ActionKind.choices)
    description = forms.CharField(label="Précisions", max_length=255, required=False)
    planned_on = forms.DateField(label="Prévue le", widget=DATE)


class ConsentForm(forms.Form):
    guardian_name = forms.CharField(label="Nom du ou de la responsable légal·e", max_length=200)
    relationship = forms.CharField(label="Lien avec la personne", max_length=100)
    given_on = forms.DateField(label="Consentement donné le", widget=DATE, initial=timezone.localdate)
    document = forms.CharField(label="Pièce conservée", max_length=200, required=False)


class BookingForm(forms.Form):
    vehicle = forms.ModelChoiceField(label="Véhicule", queryset=Vehicle.objects.none())
    tariff = forms.ModelChoiceField(label="Tarif", queryset=Tariff.objects.none())
    starts_on = forms.DateField(label="Début", widget=DATE)
    ends_on = forms.DateField(label="Retour prévu", widget=DATE)
    deposit_status = forms.ChoiceField(
        label="Caution",
        choices=[(s.value, s.label) for s in (DepositStatus.AWAITING, DepositStatus.RECEIVED, DepositStatus.FUND)],
        initial=DepositStatus.AWAITING,
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vehicle"].queryset = Vehicle.objects.in_fleet_on(today).order_by("kind", "identifier")
        self.fields["tariff"].queryset = Tariff.objects.current(today)


class RenewalForm(forms.Form):
    ends_on = forms.DateField(label="Nouveau retour prévu", widget=DATE)


class CheckOutForm(forms.Form):
    on = forms.DateField(label="Départ le", widget=DATE, initial=timezone.localdate)
    mileage = forms.IntegerField(label="Kilométrage au départ", min_value=0)
    energy = forms.IntegerField(label="Carburant ou charge (%)", min_value=0, max_value=100)
    condition = forms.CharField(label="État au départ", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReturnForm(forms.Form):
    on = forms.DateField(label="Rendu le", widget=DATE, initial=timezone.localdate)
    mileage = forms.IntegerField(label="Kilométrage au retour", min_value=0)
    energy = forms.IntegerField(label="Carburant ou charge (%)", min_value=0, max_value=100)
    damage = forms.CharField(label="Dommages constatés", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DepositForm(forms.Form):
    status = forms.ChoiceField(label="La caution devient", choices=DepositStatus.choices)
    on = forms.DateField(label="Le", widget=DATE, initial=timezone.localdate)


class VehicleForm(forms.ModelForm):
    class Meta:
        model = Vehicle
        fields = [
            "kind",
            "identifier",
            "model_name",
            "state",
            "insurance_expires_on",
            "inspection_expires_on",
            "mileage",
            "commissioned_on",
            "retired_on",
        ]
        widgets = {f: DATE for f in ("insurance_expires_on", "inspection_expires_on", "commissioned_on", "retired_on")}


class MaintenanceForm(forms.Form):
    kind = forms.ChoiceField(label="Nature", choices=MaintenanceKind.choices)
    occurred_on = forms.DateField(label="Date", widget=DATE, initial=timezone.localdate)
    description = forms.CharField(label="Description", widget=forms.Textarea(attrs={"rows": 2}))
    cost = forms.DecimalField(label="Coût (€)", max_digits=8, decimal_places=2, required=False)
    puts_in_repair = forms.BooleanField(label="Le véhicule part en réparation", required=False)


class LicenceAidForm(forms.ModelForm):
    class Meta:
        model = LicenceAid
        fields = [
            "licence",
            "started_on",
            "driving_school",
            "cpf_amount",
            "fastt_amount",
            "other_aid_amount",
            "other_aid_label",
            "personal_share",
            "code_hours",
            "driving_hours",
            "code_exam_on",
            "code_result",
            "driving_exam_on",
            "driving_result",
            "obtained_on",
        ]
        widgets = {f: DATE for f in ("started_on", "code_exam_on", "driving_exam_on", "obtained_on")}


class WorkshopSessionForm(forms.ModelForm):
    class Meta:
        model = WorkshopSession
        fields = ["kind", "held_on", "place", "partner", "public", "capacity"]
        widgets = {"held_on": DATE}


class RegistrationForm(forms.Form):
    person = PersonField()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people_for(user)
