"""PLIE forms: they check what was typed, in French, and nothing more; services decide."""

from django import forms
from django.utils import timezone

from tremplin.accounts.enums import Role
from tremplin.accounts.models import User
from tremplin.core.dates import future_date_message
from tremplin.people.forms import DateInput
from tremplin.plie.enums import (
    ALTERNANCE,
    PLIE_CONTRACT_CHOICES,
    POSITIVE_EXIT_KINDS,
    Answer,
    AppointmentOutcome,
    Barrier,
    EmployerKind,
    ExitKind,
    FseMoment,
    Household,
    InterviewKind,
    IscedLevel,
    LabourMarketStatus,
    PathwayStatus,
    StepKind,
)
from tremplin.plie.perms import is_cell_member
from tremplin.plie.selectors import OPEN
from tremplin.structures.enums import OrganizationKind
from tremplin.structures.models import Organization


def _not_in_future(form, name, what):
    """The services' rule and wording (core.dates): `what` names the date, « La date d'entrée »."""
    day, today = form.cleaned_data.get(name), timezone.localdate()
    if day and day > today:
        form.add_error(name, future_date_message(what, today))


def _not_before(form, name, other, message):
    day, start = form.cleaned_data.get(name), form.cleaned_data.get(other)
    if day and start and day < start:
        form.add_error(name, message)


class ReferentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        structures = ", ".join(
            m.organization.name for m in user.memberships.all() if m.role == Role.REFERENT and m.ended_on is None
        )
        return f"{user.get_full_name()} ({structures})" if structures else user.get_full_name()


def referents_queryset(organizations):
    return (
        User.objects.filter(
            is_active=True,
            memberships__role=Role.REFERENT,
            memberships__ended_on__isnull=True,
            memberships__organization__in=organizations,
        )
        .distinct()
        .prefetch_related("memberships__organization")
        .order_by("last_name", "first_name")
    )


def following_structures(user):
    """Structures a user may entrust a pathway to: any operator for the cellule, their own for référents."""
    operators = Organization.objects.filter(kind=OrganizationKind.OPERATOR, is_active=True)
    if is_cell_member(user):
        return operators
    return Organization.objects.filter(pk__in=user.organization_ids(Role.REFERENT), is_active=True)


class _StructureAndReferentMixin:
    def _set_up_structure_and_referent(self, user):
        structures = following_structures(user)
        self.fields["organization"].queryset = structures
        self.fields["referent"].queryset = referents_queryset(structures)
        own = [pk for pk in user.organization_ids(Role.REFERENT) if structures.filter(pk=pk).exists()]
        if own and not self.is_bound:
            self.initial.setdefault("organization", own[0])
            if Role.REFERENT in user.roles:
                self.initial.setdefault("referent", user.pk)

    def _check_referent_belongs(self):
        organization, referent = self.cleaned_data.get("organization"), self.cleaned_data.get("referent")
        if organization and referent:
            belongs = referent.memberships.active().filter(organization=organization, role=Role.REFERENT).exists()
            if not belongs:
                self.add_error("referent", f"{referent.get_full_name()} n'est pas référent·e de {organization}.")


class OrientationForm(forms.Form):
    prescriber = forms.ModelChoiceField(
        label="Prescripteur",
        queryset=Organization.objects.filter(kind=OrganizationKind.PRESCRIBER, is_active=True),
        help_text="La structure qui oriente la personne (France Travail, Mission locale…).",
    )
    adviser_name = forms.CharField(label="Conseiller·ère prescripteur·rice", max_length=150, required=False)
    oriented_on = forms.DateField(label="Orienté·e le", widget=DateInput())
    reason = forms.CharField(label="Motif de l'orientation", widget=forms.Textarea(attrs={"rows": 3}))
    first_appointment_on = forms.DateField(label="Premier rendez-vous le", required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("oriented_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "oriented_on", "La date d'orientation")
        _not_before(
            self, "first_appointment_on", "oriented_on", "Le premier rendez-vous ne peut pas précéder l'orientation."
        )
        return cleaned


class AppointmentForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Présence au premier rendez-vous",
        choices=[(AppointmentOutcome.PRESENT, "Présent·e"), (AppointmentOutcome.ABSENT, "Absent·e")],
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label="Date du rendez-vous", widget=DateInput())

    def __init__(self, *args, orientation, **kwargs):
        super().__init__(*args, **kwargs)
        self.orientation = orientation
        self.initial.setdefault("on", orientation.first_appointment_on or timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "on", "La date du rendez-vous")
        day = cleaned.get("on")
        if day and day < self.orientation.oriented_on:
            self.add_error("on", "Le rendez-vous ne peut pas précéder l'orientation.")
        return cleaned


class OutreachForm(forms.Form):
    outreach_on = forms.DateField(label="Aller-vers effectué le", widget=DateInput())
    notes = forms.CharField(
        label="Démarches et résultat",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Décrivez les démarches faites pour joindre la personne."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("outreach_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "outreach_on", "La date de l'aller-vers")
        return cleaned


class EntryProposalForm(_StructureAndReferentMixin, forms.Form):
    proposed_on = forms.DateField(label="Date de la proposition", widget=DateInput())
    organization = forms.ModelChoiceField(label="Structure de suivi", queryset=Organization.objects.none())
    referent = ReferentChoiceField(label="Référent·e de parcours", queryset=User.objects.none())
    wants_pathway = forms.BooleanField(
        label="La personne souhaite s'inscrire dans un parcours intégré d'accès à l'emploi", required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("proposed_on", timezone.localdate())
        self._set_up_structure_and_referent(user)

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "proposed_on", "La date de la proposition")
        self._check_referent_belongs()
        return cleaned


class ReferentForm(_StructureAndReferentMixin, forms.Form):
    organization = forms.ModelChoiceField(label="Structure de suivi", queryset=Organization.objects.none())
    referent = ReferentChoiceField(label="Référent·e de parcours", queryset=User.objects.none())
    on = forms.DateField(label="À compter du", widget=DateInput())

    def __init__(self, *args, user, pathway, follow_up=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pathway = pathway
        self.follow_up = follow_up
        self.initial.setdefault("on", timezone.localdate())
        self._set_up_structure_and_referent(user)
        if follow_up and not self.is_bound:
            self.initial["organization"] = follow_up.organization_id
            self.initial["referent"] = follow_up.referent_id

    def clean(self):
        cleaned = super().clean()
        self._check_referent_belongs()
        day = cleaned.get("on")
        if day and self.pathway.entry_date and day < self.pathway.entry_date:
            self.add_error("on", "Le changement ne peut pas précéder l'entrée dans le PLIE.")
        elif day and self.follow_up and day < self.follow_up.started_on:
            self.add_error("on", "Le changement ne peut pas précéder le début du suivi en cours.")
        return cleaned


class EntryDecisionForm(forms.Form):
    entry_date = forms.DateField(label="Date d'entrée", widget=DateInput())
    notes = forms.CharField(label="Avis de la cellule", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("entry_date", timezone.localdate())


class RefusalForm(forms.Form):
    notes = forms.CharField(
        label="Motif du refus",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Motivez le refus : l'avis de la cellule est transmis au référent·e."},
    )


class StepForm(forms.Form):
    kind = forms.ChoiceField(label="Type d'étape", choices=StepKind.choices)
    barrier = forms.ChoiceField(
        label="Frein travaillé",
        choices=[("", "—")] + Barrier.choices,
        required=False,
        help_text="Pour un accompagnement spécifique seulement.",
    )
    title = forms.CharField(label="Intitulé", max_length=200)
    provider = forms.CharField(label="Organisme, entreprise ou partenaire", max_length=200, required=False)
    started_on = forms.DateField(label="Début", widget=DateInput())
    ended_on = forms.DateField(label="Fin", required=False, widget=DateInput())
    certification = forms.CharField(label="Diplôme, titre ou certificat visé", max_length=200, required=False)
    certification_obtained = forms.TypedChoiceField(
        label="Certification obtenue",
        choices=[("", "Non renseigné"), ("yes", "Oui"), ("no", "Non")],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
        required=False,
    )
    notes = forms.CharField(label="Observations", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        cleaned = super().clean()
        kind, barrier = cleaned.get("kind"), cleaned.get("barrier")
        if kind == StepKind.SPECIFIC_SUPPORT and not barrier:
            self.add_error("barrier", "Indiquez le frein travaillé dans cet accompagnement spécifique.")
        elif kind and kind != StepKind.SPECIFIC_SUPPORT and barrier:
            self.add_error("barrier", "Le frein travaillé ne concerne que les accompagnements spécifiques.")
        _not_before(self, "ended_on", "started_on", "La fin de l'étape ne peut pas précéder son début.")
        if cleaned.get("certification_obtained") and not cleaned.get("ended_on"):
            self.add_error("ended_on", "Indiquez la date de fin de l'étape dont la certification est obtenue.")
        return cleaned


class InterviewForm(forms.Form):
    held_on = forms.DateField(label="Date", widget=DateInput())
    kind = forms.ChoiceField(label="Type", choices=InterviewKind.choices)
    notes = forms.CharField(
        label="Notes",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Lisibles par les seuls membres de votre structure.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("held_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "held_on", "La date de l'entretien")
        return cleaned


class ContractForm(forms.Form):
    contract_type = forms.ChoiceField(label="Type de contrat", choices=PLIE_CONTRACT_CHOICES)
    open_ended = forms.BooleanField(
        label="Alternance conclue en CDI", required=False, help_text="Pour un contrat en alternance seulement."
    )
    employer_name = forms.CharField(label="Employeur", max_length=200)
    employer_kind = forms.ChoiceField(
        label="Type d'employeur", choices=EmployerKind.choices, initial=EmployerKind.ORDINARY
    )
    job_title = forms.CharField(label="Poste", max_length=200, required=False)
    started_on = forms.DateField(label="Début", widget=DateInput())
    planned_end_on = forms.DateField(
        label="Fin prévue", required=False, widget=DateInput(), help_text="Laisser vide pour un CDI."
    )
    weekly_hours = forms.DecimalField(
        label="Heures hebdomadaires", max_digits=4, decimal_places=2, min_value=0.01, max_value=60
    )
    part_time_agreed_on = forms.DateField(
        label="Accord du participant pour moins d'un mi-temps le",
        required=False,
        widget=DateInput(),
        help_text="Sous 17,5 h par semaine, le contrat ne compte pour une sortie positive qu'avec cet accord.",
    )
    part_time_agreement_evidence = forms.CharField(label="Justificatif de l'accord", max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        _not_before(self, "planned_end_on", "started_on", "La fin prévue ne peut pas précéder le début du contrat.")
        if cleaned.get("open_ended") and cleaned.get("contract_type") not in ALTERNANCE:
            self.add_error("open_ended", "Seul un contrat en alternance peut être conclu en CDI.")
        agreed, evidence = cleaned.get("part_time_agreed_on"), cleaned.get("part_time_agreement_evidence")
        if agreed and not evidence:
            self.add_error("part_time_agreement_evidence", "Indiquez le justificatif de l'accord du participant.")
        if evidence and not agreed:
            self.add_error("part_time_agreed_on", "Indiquez la date de l'accord du participant.")
        _not_in_future(self, "part_time_agreed_on", "La date de l'accord du participant")
        return cleaned


class ContractEndForm(forms.Form):
    ended_on = forms.DateField(label="Fin effective", widget=DateInput())

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("ended_on")
        if day and day < self.contract.started_on:
            self.add_error("ended_on", "La fin du contrat ne peut pas précéder son début.")
        return cleaned


class StepEndForm(forms.Form):
    ended_on = forms.DateField(label="Fin de l'étape", widget=DateInput())
    certification_obtained = forms.TypedChoiceField(
        label="Certification obtenue",
        required=False,
        choices=[("", "Sans objet ou non connu"), ("yes", "Oui"), ("no", "Non")],
        coerce=lambda value: {"yes": True, "no": False}.get(value),
        empty_value=None,
    )

    def __init__(self, *args, step, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        if not step.certification:
            del self.fields["certification_obtained"]


class AciValidationForm(forms.Form):
    on = forms.DateField(label="Validé par la cellule le", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "on", "La date de validation par la cellule")
        return cleaned


class BusinessForm(forms.Form):
    name = forms.CharField(label="Nom de l'entreprise", max_length=200)
    registered_on = forms.DateField(label="Immatriculée le", widget=DateInput())
    siret = forms.CharField(label="SIRET", max_length=17, required=False, help_text="14 chiffres.")
    ceased_on = forms.DateField(label="Cessation d'activité le", required=False, widget=DateInput())

    def clean_siret(self):
        siret = self.cleaned_data["siret"].replace(" ", "")
        if siret and (len(siret) != 14 or not siret.isdigit()):
            raise forms.ValidationError("Le SIRET compte 14 chiffres.")
        return siret

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "registered_on", "La date d'immatriculation")
        _not_before(
            self, "ceased_on", "registered_on", "La cessation d'activité ne peut pas précéder l'immatriculation."
        )
        return cleaned


# FSE+ questions asked at each moment (Annex I of Regulation (EU) 2021/1057; domain spec §3.7).
FSE_QUESTIONS = {
    FseMoment.ENTRY: [
        "labour_market_status",
        "isced_level",
        "household",
        "disability",
        "third_country_national",
        "foreign_background",
        "minority",
        "homeless",
    ],
    FseMoment.EXIT: ["job_searching", "in_education", "qualification_gained", "employed"],
    FseMoment.SIX_MONTHS: ["employed", "improved_situation"],
}
FSE_LABELS = {
    "labour_market_status": ("Situation sur le marché du travail", LabourMarketStatus),
    "isced_level": ("Niveau d'études (CITE)", IscedLevel),
    "household": ("Situation du ménage", Household),
    "disability": ("Handicap", Answer),
    "third_country_national": ("Ressortissant·e de pays tiers", Answer),
    "foreign_background": ("Origine étrangère", Answer),
    "minority": ("Minorité (y compris communautés marginalisées)", Answer),
    "homeless": ("Sans domicile ou exclu·e du logement", Answer),
    "job_searching": ("En recherche d'emploi", Answer),
    "in_education": ("En études ou en formation", Answer),
    "qualification_gained": ("A obtenu une qualification", Answer),
    "employed": ("En emploi, y compris indépendant·e", Answer),
    "improved_situation": ("Situation sur le marché du travail améliorée", Answer),
}
# Questions without a "ne souhaite pas répondre" choice that may stay unanswered.
FSE_OPTIONAL = {"isced_level"}


class FseQuestionnaireForm(forms.Form):
    collected_on = forms.DateField(label="Recueilli le", widget=DateInput())

    def __init__(self, *args, moment, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("collected_on", timezone.localdate())
        for name in FSE_QUESTIONS[moment]:
            label, choices = FSE_LABELS[name]
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=choices.choices,
                required=name not in FSE_OPTIONAL,
                widget=forms.RadioSelect,
                error_messages={"required": "Choisissez une réponse (« Ne souhaite pas répondre » est possible)."}
                if choices is Answer or choices is Household
                else {"required": "Choisissez une réponse."},
            )

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "collected_on", "La date de recueil")
        return cleaned

    def answers(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "collected_on"}


def _exit_kind_choices():
    positive = [(k, label) for k, label in ExitKind.choices if k in POSITIVE_EXIT_KINDS]
    others = [(k, label) for k, label in ExitKind.choices if k not in POSITIVE_EXIT_KINDS]
    return [("", "—"), ("Sorties positives", positive), ("Autres sorties", others)]


class ExitProposalForm(forms.Form):
    exit_date = forms.DateField(label="Date de sortie", widget=DateInput())
    exit_kind = forms.ChoiceField(
        label="Motif de sortie",
        choices=_exit_kind_choices,
        help_text="Une sortie positive est vérifiée par les critères de l'appel à projets à la date de sortie.",
    )
    explanation = forms.CharField(
        label="Justification",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obligatoire pour une sortie qui n'est pas positive.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("exit_date", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        _not_in_future(self, "exit_date", "La date de sortie")
        kind = cleaned.get("exit_kind")
        if kind and kind not in POSITIVE_EXIT_KINDS and not cleaned.get("explanation", "").strip():
            self.add_error("explanation", "Précisez les circonstances de la sortie.")
        return cleaned


def _status_choices():
    return [(OPEN, "Parcours ouverts (entrée proposée, en parcours, sortie proposée)"), ("", "Tous les statuts")] + [
        (value, label) for value, label in PathwayStatus.choices
    ]


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        help_text="Nom, prénom, date de naissance (JJ/MM/AAAA), commune, téléphone ou e-mail.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(label="Statut", choices=_status_choices, required=False)
    structure = forms.ModelChoiceField(
        label="Structure de suivi", queryset=Organization.objects.none(), required=False, empty_label="Toutes"
    )
    referent = forms.ModelChoiceField(
        label="Référent·e", queryset=User.objects.none(), required=False, empty_label="Tous et toutes"
    )

    def __init__(self, data=None, *, structures, referents, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["structure"].queryset = structures
        self.fields["referent"].queryset = referents
        self.fields["referent"].label_from_instance = lambda user: user.get_full_name()

    def filters(self) -> dict:
        if not self.is_valid():
            return {"status": OPEN}
        data = self.cleaned_data
        return {
            "status": data["status"] or None,
            "structure": data["structure"],
            "referent": data["referent"],
            "query": data["q"],
        }


class OrientationProposalForm(forms.Form):
    """What a prescriber says when proposing an orientation: the person comes from people.forms.PersonForm."""

    reason = forms.CharField(
        label="Motif de l'orientation",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce qui motive l'orientation vers un accompagnement PLIE.",
    )
