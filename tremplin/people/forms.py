from django import forms

from tremplin.core.validators import normalize_french_phone, validate_postcode
from tremplin.people.enums import REFUSED, REFUSED_LABEL, VALUED_FACTS, FactKind, Programme
from tremplin.people.models import Person
from tremplin.structures.enums import OrganizationKind
from tremplin.structures.models import Organization
from tremplin.territory.forms import CommuneField
from tremplin.territory.models import Qpv


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonForm(forms.ModelForm):
    commune = CommuneField(label="Commune de résidence")
    # Typed with spaces, dots or +33: normalised to 10 digits by clean_phone.
    phone = forms.CharField(label="Téléphone", required=False, max_length=25)
    confirm_not_duplicate = forms.BooleanField(
        label="J'ai vérifié : il s'agit d'une autre personne que celles listées ci-dessus.", required=False
    )

    class Meta:
        model = Person
        fields = [
            "last_name",
            "birth_name",
            "first_name",
            "sex",
            "birth_date",
            "email",
            "phone",
            "address",
            "postcode",
            "commune",
        ]
        widgets = {"birth_date": DateInput(), "sex": forms.RadioSelect}
        help_texts = {
            "birth_name": "Si différent du nom d'usage.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["confirm_not_duplicate"]
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["phone"].help_text = "Numéro français, par exemple 06 12 34 56 78."
        if self.instance.pk and not self.is_bound:
            self.initial["phone"] = self.instance.phone_display

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def clean_email(self):
        # Whether the e-mail is taken is the service's check (create_person, update_person): it depends on
        # who asks, since an e-mail held outside the user's scope must not confirm that person exists.
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self):
        return normalize_french_phone(self.cleaned_data["phone"])

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if postcode:
            validate_postcode(postcode)
        return postcode

    def person_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "confirm_not_duplicate"}


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Rechercher une personne",
        required=False,
        help_text="Nom, prénom, date de naissance (JJ/MM/AAAA), commune, téléphone ou e-mail.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class FactForm(forms.Form):
    kind = forms.ChoiceField(label="Situation", choices=FactKind.choices)
    value = forms.ChoiceField(label="Valeur", required=False)
    qpv = forms.ModelChoiceField(
        label="Quartier (QPV)", queryset=Qpv.objects.select_related("commune"), required=False
    )
    started_on = forms.DateField(label="Depuis le", widget=DateInput())
    ended_on = forms.DateField(label="Jusqu'au", required=False, widget=DateInput())
    source = forms.CharField(label="Justificatif ou source", required=False, max_length=200)

    def __init__(self, *args, allowed_kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed_kinds is not None:
            self.fields["kind"].choices = [c for c in FactKind.choices if c[0] in allowed_kinds]
        values = [("", "Oui")]
        for kind, enum in VALUED_FACTS.items():
            values += [(v, f"{FactKind(kind).label} : {label}") for v, label in enum.choices]
        values.append((REFUSED, REFUSED_LABEL))
        self.fields["value"].choices = values


class FollowUpForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="Structure de suivi",
        queryset=Organization.objects.filter(
            kind__in=[OrganizationKind.LEAD, OrganizationKind.OPERATOR, OrganizationKind.SIAE], is_active=True
        ),
    )
    programme = forms.ChoiceField(label="Dispositif", choices=Programme.choices)
    prescriber = forms.ModelChoiceField(
        label="Prescripteur",
        required=False,
        queryset=Organization.objects.filter(kind=OrganizationKind.PRESCRIBER, is_active=True),
    )
    started_on = forms.DateField(label="Début du suivi", widget=DateInput())


class AttachmentDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=[("accept", "Accepter : la structure demandeuse suit cette personne"), ("refuse", "Refuser")],
        widget=forms.RadioSelect,
    )
    decision_reason = forms.CharField(
        label="Motif", required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Obligatoire pour un refus."
    )


class RestrictionForm(forms.Form):
    restriction_reason = forms.CharField(
        label="Motif de la limitation",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Par exemple : demande d'effacement du 12/03/2026, conservée pour le contrôle FSE+.",
    )
