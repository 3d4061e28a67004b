from django import forms

from tremplin.core.validators import normalize_french_phone
from tremplin.structures.models import Contact, Organization
from tremplin.territory.forms import CommuneField


class OrganizationForm(forms.ModelForm):
    commune = CommuneField(label="Commune", required=False)
    website = forms.URLField(label="Site web", required=False, assume_scheme="https")
    # Typed with spaces ("123 456 789 01234"): clean_siret removes them before the model's 14-digit check.
    siret = forms.CharField(
        label="SIRET",
        required=False,
        max_length=20,
        help_text="14 chiffres, obligatoire pour une entreprise ou une SIAE.",
    )

    class Meta:
        model = Organization
        fields = [
            "name",
            "kind",
            "siae_type",
            "activity",
            "siret",
            "address",
            "commune",
            "email",
            "phone",
            "website",
            "is_active",
        ]
        help_texts = {"siret": "14 chiffres, obligatoire pour une entreprise ou une SIAE."}

    def clean_siret(self):
        return self.cleaned_data["siret"].replace(" ", "")

    def clean_phone(self):
        return normalize_french_phone(self.cleaned_data["phone"])


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["first_name", "last_name", "job_title", "email", "phone"]

    def clean_phone(self):
        return normalize_french_phone(self.cleaned_data["phone"])


class OrganizationSearchForm(forms.Form):
    q = forms.CharField(label="Nom ou SIRET", required=False, widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(label="Type", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Tous les types")] + list(Organization._meta.get_field("kind").choices)
