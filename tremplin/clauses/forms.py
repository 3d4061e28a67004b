"""Clauses forms: they check what was typed, in French, and nothing more; services decide."""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tremplin.accounts.enums import Role
from tremplin.clauses import perms, selectors
from tremplin.clauses.enums import (
    PLACEMENT_CONTRACT_CHOICES,
    CandidateStatus,
    EligiblePublic,
    FulfilmentMode,
    LegalBasis,
    Sector,
)
from tremplin.clauses.services import validate_cv
from tremplin.core.dates import future_date_message
from tremplin.core.validators import normalize_french_phone, validate_postcode
from tremplin.core.widgets import SearchSelect
from tremplin.people.enums import Sex
from tremplin.people.forms import DateInput
from tremplin.structures.enums import OrganizationKind
from tremplin.structures.models import Organization
from tremplin.territory.forms import CommuneField
from tremplin.territory.models import RomeCode

HUNDRED = Decimal("100")


def _not_in_future(form, name, what):
    """The services' rule and wording (core.dates): `what` names the date, « La date d'entrée »."""
    day, today = form.cleaned_data.get(name), timezone.localdate()
    if day and day > today:
        form.add_error(name, future_date_message(what, today))


def _not_before(form, name, other, message):
    day, start = form.cleaned_data.get(name), form.cleaned_data.get(other)
    if day and start and day < start:
        form.add_error(name, message)


class FrenchDecimalField(forms.DecimalField):
    """A number typed the French way: "1 000 000", "5,5" or "5.5"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s\u00a0\u202f]", "", value)
        return super().to_python(value)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name()


def buyers():
    return Organization.objects.filter(kind=OrganizationKind.BUYER, is_active=True)


def companies():
    """Attributaires and employers: companies (including EA/ESAT) and SIAE."""
    return Organization.objects.filter(
        kind__in=[OrganizationKind.COMPANY, OrganizationKind.SIAE], is_active=True
    ).order_by("name")


def prescribers():
    return Organization.objects.filter(kind=OrganizationKind.PRESCRIBER, is_active=True)


# --- With buyers ---------------------------------------------------------------------------------


class OperationForm(forms.Form):
    name = forms.CharField(label="Nom de l'opération", max_length=200)
    buyer = forms.ModelChoiceField(label="Donneur d'ordre", queryset=buyers())
    owner = forms.ModelChoiceField(
        label="Maître d'ouvrage",
        queryset=buyers(),
        required=False,
        help_text="S'il n'est pas le donneur d'ordre (opération de travaux).",
    )
    commune = CommuneField(label="Commune")
    in_qpv = forms.BooleanField(label="En quartier prioritaire (QPV)", required=False)
    urban_renewal = forms.BooleanField(label="Renouvellement urbain (NPNRU)", required=False)
    sector = forms.ChoiceField(label="Secteur", choices=[("", "—")] + Sector.choices)
    started_on = forms.DateField(label="Début", widget=DateInput())
    ended_on = forms.DateField(label="Fin prévue", required=False, widget=DateInput())
    facilitator = UserChoiceField(label="Facilitateur·rice", queryset=selectors.facilitators(), required=False)
    notes = forms.CharField(label="Observations", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, operation=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if operation is not None and not self.is_bound:
            self.initial.update(
                {
                    "name": operation.name,
                    "buyer": operation.buyer_id,
                    "owner": operation.owner_id,
                    "commune": operation.commune,
                    "in_qpv": operation.in_qpv,
                    "urban_renewal": operation.urban_renewal,
                    "sector": operation.sector,
                    "started_on": operation.started_on,
                    "ended_on": operation.ended_on,
                    "facilitator": operation.facilitator_id,
                    "notes": operation.notes,
                }
            )
        elif user is not None and Role.FACILITATOR in user.roles:
            self.initial.setdefault("facilitator", user.pk)

    def clean(self):
        cleaned = super().clean()
        _not_before(self, "ended_on", "started_on", "La fin prévue de l'opération ne peut pas précéder son début.")
        return cleaned


class MarketForm(forms.Form):
    reference = forms.CharField(label="Référence", max_length=100, required=False)
    name = forms.CharField(label="Intitulé du marché", max_length=200)


class LotForm(forms.Form):
    number = forms.CharField(label="Numéro de lot", max_length=20, required=False)
    name = forms.CharField(label="Intitulé du lot", max_length=200)
    legal_basis = forms.ChoiceField(
        label="Fondement juridique",
        choices=[("", "—")] + LegalBasis.choices,
        help_text="Un marché d'insertion ne porte pas d'heures : il fait l'objet d'un suivi qualitatif.",
    )
    amount = FrenchDecimalField(label="Montant (€ HT)", min_value=0, max_digits=14, decimal_places=2)
    attributaire = forms.ModelChoiceField(
        label="Attributaire",
        queryset=companies(),
        required=False,
        help_text="Entreprise ou SIAE titulaire du lot : tapez une partie de son nom, puis choisissez dans la liste.",
        widget=SearchSelect("clauses:search_employers"),
        error_messages={"invalid_choice": "Choisissez une entreprise ou une SIAE dans la liste proposée."},
    )
    started_on = forms.DateField(label="Début d'exécution", widget=DateInput())
    ended_on = forms.DateField(label="Fin d'exécution prévue", widget=DateInput())

    def __init__(self, *args, lot=None, **kwargs):
        super().__init__(*args, **kwargs)
        if lot is not None and not self.is_bound:
            self.initial.update({name: getattr(lot, name) for name in self.fields if name != "attributaire"})
            self.initial["attributaire"] = lot.attributaire_id

    def clean(self):
        cleaned = super().clean()
        _not_before(self, "ended_on", "started_on", "La fin d'exécution ne peut pas précéder son début.")
        return cleaned


class PercentField(FrenchDecimalField):
    """A share typed in percent (50 for 50 %), cleaned to a ratio (0.5)."""

    def __init__(self, **kwargs):
        super().__init__(min_value=Decimal("0.01"), max_value=HUNDRED, max_digits=5, decimal_places=2, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal) and value <= 1:
            percent = value * HUNDRED
            return int(percent) if percent == percent.to_integral_value() else percent.normalize()
        return value

    def clean(self, value):
        value = super().clean(value)
        return None if value is None else (value / HUNDRED).quantize(Decimal("0.0001"))


class SizingForm(forms.Form):
    labour_share = PercentField(label="Part de main-d'œuvre (%)", required=False, help_text="Par exemple 50.")
    insertion_rate = PercentField(label="Taux d'insertion (%)", required=False, help_text="Par exemple 5.")
    hourly_cost = FrenchDecimalField(
        label="Coût horaire chargé (€/h)", required=False, min_value=Decimal("0.01"), max_digits=8, decimal_places=2
    )
    planned_hours = FrenchDecimalField(
        label="Heures d'insertion prévues",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text="Laissez vide pour retenir le calcul ; un autre chiffre doit être motivé.",
    )
    planned_hours_reason = forms.CharField(
        label="Motif de l'ajustement", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, lot, **kwargs):
        super().__init__(*args, **kwargs)
        self.lot = lot
        if not self.is_bound:
            self.initial.update(
                {
                    "labour_share": lot.labour_share,
                    "insertion_rate": lot.insertion_rate,
                    "hourly_cost": lot.hourly_cost,
                    "planned_hours": lot.planned_hours if lot.planned_hours_reason else None,
                    "planned_hours_reason": lot.planned_hours_reason,
                }
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("planned_hours_reason"):
            cleaned["planned_hours_reason"] = cleaned["planned_hours_reason"].strip()
        return cleaned

    def sizing(self) -> dict:
        data = self.cleaned_data
        return {
            "labour_share": data.get("labour_share"),
            "insertion_rate": data.get("insertion_rate"),
            "hourly_cost": data.get("hourly_cost"),
            "planned_hours": data.get("planned_hours"),
            "reason": data.get("planned_hours_reason", ""),
        }


class ConventionForm(forms.Form):
    provenance = forms.CharField(
        label="Origine de la convention",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Charte locale, guide AVE, cahier des charges du marché… avec sa date ou sa version.",
    )
    count_direct_hire = forms.BooleanField(label="Les embauches directes comptent", required=False)
    count_staff_provision = forms.BooleanField(
        label="Les mises à disposition (ETTI, AI, GEIQ) comptent", required=False
    )
    count_subcontracting = forms.BooleanField(label="La sous-traitance (EI, ACI, EA, ESAT) compte", required=False)
    count_alternance_training = forms.BooleanField(
        label="Les heures de formation des contrats en alternance comptent", required=False
    )
    subcontracting_hourly_rate = FrenchDecimalField(
        label="Conversion de la sous-traitance (€ facturés pour une heure)",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        help_text="Pour convertir en heures un montant sous-traité déclaré sans heures.",
    )
    cdi_equivalence_hours = FrenchDecimalField(
        label="Équivalence d'une embauche en CDI (heures)",
        required=False,
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        help_text="Heures créditées, le mois de l'embauche, pour chaque CDI ; laissez vide sinon.",
    )

    def __init__(self, *args, convention, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update({name: getattr(convention, name) for name in self.fields})


class GlobalisationForm(forms.Form):
    name = forms.CharField(label="Nom de l'accord", max_length=200)
    operations = forms.ModelMultipleChoiceField(
        label="Opérations",
        queryset=None,
        help_text="Au moins deux opérations (Ctrl ou Cmd pour en choisir plusieurs).",
    )
    started_on = forms.DateField(label="En vigueur depuis", widget=DateInput())
    ended_on = forms.DateField(label="Jusqu'au", required=False, widget=DateInput())
    provenance = forms.CharField(
        label="Origine de l'accord",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Convention signée, délibération, avenant… avec sa date.",
    )

    def __init__(self, *args, user, agreement=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operations"].queryset = perms.operations_for(user).order_by("name")
        self.fields["operations"].widget.attrs["size"] = 8
        if agreement is not None and not self.is_bound:
            self.initial.update(
                {
                    "name": agreement.name,
                    "operations": list(agreement.operations.values_list("pk", flat=True)),
                    "started_on": agreement.started_on,
                    "ended_on": agreement.ended_on,
                    "provenance": agreement.provenance,
                }
            )

    def clean(self):
        cleaned = super().clean()
        _not_before(self, "ended_on", "started_on", "La fin de l'accord ne peut pas précéder son entrée en vigueur.")
        operations = cleaned.get("operations")
        if operations is not None and len(operations) < 2:
            self.add_error("operations", "Un accord de globalisation réunit au moins deux opérations.")
        return cleaned


# --- With people ---------------------------------------------------------------------------------


class IdentityForm(forms.Form):
    """Who is referred: used to find the person in the registry, or to register them."""

    last_name = forms.CharField(label="Nom d'usage", max_length=150)
    birth_name = forms.CharField(label="Nom de naissance", max_length=150, required=False)
    first_name = forms.CharField(label="Prénom", max_length=150)
    sex = forms.ChoiceField(label="Sexe", choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = forms.DateField(label="Date de naissance", widget=DateInput())
    email = forms.EmailField(label="Adresse e-mail", required=False)
    phone = forms.CharField(label="Téléphone", max_length=25, required=False, help_text="Par exemple 06 12 34 56 78.")
    address = forms.CharField(label="Adresse", max_length=255, required=False)
    postcode = forms.CharField(label="Code postal", max_length=5, required=False)
    commune = CommuneField(label="Commune de résidence")
    confirm_not_duplicate = forms.BooleanField(
        label="J'ai vérifié : il s'agit d'une autre personne que celles listées ci-dessus.", required=False
    )

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def clean_email(self):
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


class ReferralForm(forms.Form):
    prescriber = forms.ModelChoiceField(
        label="Prescripteur",
        queryset=prescribers(),
        help_text="La structure qui oriente la personne (France Travail, Mission locale, PLIE…).",
    )
    prescriber_contact = forms.CharField(label="Conseiller·ère prescripteur·rice", max_length=150, required=False)
    prescriber_email = forms.EmailField(
        label="E-mail du prescripteur",
        required=False,
        help_text="Il ou elle est informé·e par e-mail de chaque étape.",
    )
    referred_on = forms.DateField(label="Orienté·e le", widget=DateInput())
    reason = forms.CharField(label="Motif de l'orientation", widget=forms.Textarea(attrs={"rows": 3}))
    cv = forms.FileField(label="CV (PDF, 5 Mo au plus)", required=False)
    facilitator = UserChoiceField(
        label="Facilitateur·rice qui suit la candidature",
        queryset=selectors.facilitators(),
        help_text="Sa structure suit la personne au titre des clauses d'insertion.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("referred_on", timezone.localdate())
        if Role.FACILITATOR in user.roles:
            self.initial.setdefault("facilitator", user.pk)
        self.fields["cv"].widget.attrs["accept"] = "application/pdf,.pdf"
        own = user.organization_ids(Role.PRESCRIBER)
        if own and not (user.roles & {Role.FACILITATOR, Role.COORDINATOR, Role.ASSISTANT, Role.MANAGER}):
            # A prescriber refers on behalf of their own structure only, and is its contact.
            self.fields["prescriber"].queryset = self.fields["prescriber"].queryset.filter(pk__in=own)
            self.initial.setdefault("prescriber", own[0])
            self.initial.setdefault("prescriber_contact", user.get_full_name())
            self.initial.setdefault("prescriber_email", user.email)

    def clean_cv(self):
        cv = self.cleaned_data.get("cv")
        if cv:
            try:
                validate_cv(cv)
            except ValidationError as e:
                raise forms.ValidationError(e.message_dict["cv"]) from e
        return cv or None

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "referred_on", "La date d'orientation")
        return cleaned

    def referral(self) -> dict:
        return dict(self.cleaned_data)


class EligibilityForm(forms.Form):
    eligible_public = forms.ChoiceField(label="Public éligible", choices=[("", "—")] + EligiblePublic.choices)
    proof_seen = forms.CharField(
        label="Justificatif vu",
        max_length=200,
        help_text="Attestation France Travail, notification CAF, RQTH… Pour une décision du facilitateur, ce qui la "
        "motive.",
    )
    proof_date = forms.DateField(label="Date du justificatif", widget=DateInput())

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(
                {
                    "eligible_public": candidate.eligible_public,
                    "proof_seen": candidate.proof_seen,
                    "proof_date": candidate.proof_date,
                }
            )

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "proof_date", "La date du justificatif")
        return cleaned


class InterviewForm(forms.Form):
    interview_on = forms.DateField(label="Entretien de validation le", widget=DateInput())

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        if not self.is_bound and candidate.interview_on:
            self.initial["interview_on"] = candidate.interview_on

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("interview_on")
        if day and day < self.candidate.referred_on:
            self.add_error("interview_on", "L'entretien ne peut pas précéder l'orientation.")
        return cleaned


ROME_SEPARATORS = re.compile(r"[\s,;]+")
ROME_PATTERN = re.compile(r"^[A-N]\d{4}$")


class RomeCodesField(forms.CharField):
    """ROME codes typed as "F1703, K2204", cleaned to RomeCode objects."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Codes ROME séparés par des virgules, par exemple F1703 (maçonnerie), K2204.")
        super().__init__(max_length=500, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(code.code if isinstance(code, RomeCode) else str(code) for code in value)
        return value

    def clean(self, value):
        value = super().clean(value)
        codes = [code.upper() for code in ROME_SEPARATORS.split(value or "") if code]
        malformed = [code for code in codes if not ROME_PATTERN.match(code)]
        if malformed:
            raise forms.ValidationError(
                f"Code ROME mal formé : {', '.join(malformed)} (une lettre et quatre chiffres, par exemple F1703)."
            )
        found = {rome.code: rome for rome in RomeCode.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(f"Code ROME inconnu : {', '.join(unknown)}.")
        return list(dict.fromkeys(found[code] for code in codes))


class DecisionForm(forms.Form):
    status = forms.ChoiceField(
        label="Décision",
        choices=[
            (CandidateStatus.VALIDATED, "Validée : la personne entre dans le vivier"),
            (CandidateStatus.REFUSED, "Refusée"),
        ],
        widget=forms.RadioSelect,
    )
    decision_reason = forms.CharField(
        label="Avis motivé",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Éligibilité, capacité à occuper dès maintenant un emploi, projet : l'avis est transmis au "
        "prescripteur.",
        error_messages={"required": "Motivez la décision : l'avis est transmis au prescripteur."},
    )
    jobs_sought = RomeCodesField(label="Métiers recherchés", required=False)


class JobsForm(forms.Form):
    jobs_sought = RomeCodesField(label="Métiers recherchés", required=False)

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["jobs_sought"] = list(candidate.jobs_sought.all())


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Motif de la sortie du vivier",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Indiquez pourquoi la personne sort du vivier."},
    )


def placement_lots(user):
    """The lots a placement may be recorded on: the user's lots still running (the form and its search)."""
    return (
        perms.lots_for(user)
        .filter(ended_on__gte=timezone.localdate())
        .select_related("market__operation")
        .order_by("market__operation__name", "market__name", "number")
    )


def lot_label(lot) -> str:
    return f"{lot.market.operation.name} – {lot}"


class PlacementForm(forms.Form):
    lot = forms.ModelChoiceField(
        label="Lot",
        queryset=None,
        widget=SearchSelect("clauses:search_lots"),
        error_messages={"invalid_choice": "Choisissez un lot dans la liste proposée."},
        help_text="Tapez une partie du nom de l'opération ou du lot, puis choisissez dans la liste.",
    )
    mode = forms.ChoiceField(label="Modalité", choices=[("", "—")] + FulfilmentMode.choices)
    employer = forms.ModelChoiceField(
        label="Employeur",
        queryset=companies(),
        widget=SearchSelect("clauses:search_employers"),
        error_messages={"invalid_choice": "Choisissez un employeur dans la liste proposée."},
        help_text="L'entreprise qui embauche, l'ETTI, l'AI ou le GEIQ qui met à disposition, l'EI, l'ACI, l'EA ou "
        "l'ESAT sous-traitant.",
    )
    contract = forms.ChoiceField(label="Contrat", choices=[("", "—"), *PLACEMENT_CONTRACT_CHOICES])
    job_title = forms.CharField(label="Poste", max_length=200, required=False)
    started_on = forms.DateField(label="Début", widget=DateInput())
    ended_on = forms.DateField(label="Fin prévue", required=False, widget=DateInput(), help_text="Vide pour un CDI.")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lot"].queryset = placement_lots(user)
        self.fields["lot"].label_from_instance = lot_label

    def clean(self):
        cleaned = super().clean()
        _not_before(self, "ended_on", "started_on", "La fin ne peut pas précéder le début.")
        return cleaned


class PlacementEndForm(forms.Form):
    ended_on = forms.DateField(label="Fin effective", widget=DateInput())


class EvaluationForm(forms.Form):
    evaluated_on = forms.DateField(label="Évaluation faite le", widget=DateInput())
    evaluation_notes = forms.CharField(
        label="Compte rendu",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Avec la personne, son tuteur ou sa tutrice et le ou la facilitateur·rice : ce qui va, ce qui est "
        "à travailler, les suites.",
        error_messages={"required": "Résumez l'évaluation : ce qui va, ce qui est à travailler, les suites."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("evaluated_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "evaluated_on", "La date de l'évaluation")
        return cleaned


# --- Filters ---------------------------------------------------------------------------------------


class CandidateFilterForm(forms.Form):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        help_text="Nom, prénom, date de naissance (JJ/MM/AAAA), commune, téléphone ou e-mail.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(label="Statut", choices=[("", "Tous")] + CandidateStatus.choices, required=False)
    job = forms.CharField(label="Métier (code ROME)", max_length=5, required=False)
    eligible_public = forms.ChoiceField(
        label="Public éligible", choices=[("", "Tous")] + EligiblePublic.choices, required=False
    )
    placed = forms.ChoiceField(
        label="Mise en emploi",
        choices=[("", "Toutes"), ("yes", "Déjà mis·e en emploi"), ("no", "Jamais mis·e en emploi")],
        required=False,
    )

    def __init__(self, *args, pool=False, **kwargs):
        super().__init__(*args, **kwargs)
        if pool:
            del self.fields["status"]

    def clean_job(self):
        code = self.cleaned_data["job"].strip().upper()
        if not code:
            return None
        rome = RomeCode.objects.filter(code=code).first()
        if rome is None:
            raise forms.ValidationError(f"Code ROME inconnu : {code}.")
        return rome

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "status": data.get("status") or None,
            "query": data["q"],
            "job": data["job"],
            "eligible_public": data["eligible_public"] or None,
            "placed": {"yes": True, "no": False}.get(data["placed"]),
        }


class OperationFilterForm(forms.Form):
    q = forms.CharField(
        label="Rechercher", required=False, widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"})
    )
    sector = forms.ChoiceField(label="Secteur", choices=[("", "Tous")] + Sector.choices, required=False)
