from django import forms
from django.core.exceptions import ValidationError

from tremplin.core.widgets import SearchChoiceField, SearchSelect
from tremplin.funding.enums import CommitteeOutcome
from tremplin.funding.models import (
    Answer,
    CallAction,
    CallForProjects,
    FseExpenseLine,
    FseOperation,
    Funder,
    FundingLine,
    Project,
    ScoringCriterion,
    StaffYear,
)
from tremplin.funding.services import end_of_day_in_paris
from tremplin.structures.enums import OrganizationKind
from tremplin.structures.models import Organization

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def project_choices():
    """The projects a line, an allocation, a call's action or an FSE+ operation names (the forms and their search)."""
    return Project.objects.order_by("code", "pk")


def organization_choices():
    """The structures an FSE+ operation may count the participants of (the form and its search)."""
    return Organization.objects.order_by("name", "pk")


def project_field(*, required=True):
    """A project typed and chosen by its code or title: the list grows every year."""
    return SearchChoiceField(
        label="Projet",
        queryset=project_choices(),
        required=required,
        widget=SearchSelect("funding:search_projects"),
        error_messages={"invalid_choice": "Choisissez un projet dans la liste proposée."},
        help_text="Tapez une partie de son code ou de son intitulé, puis choisissez-le dans la liste.",
    )


class DateWidgetsMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DATE


class ProjectForm(DateWidgetsMixin, forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "code",
            "title",
            "dispositif",
            "operator",
            "main_theme",
            "secondary_themes",
            "starts_on",
            "ends_on",
            *Project.FICHE_FIELDS,
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in Project.FICHE_FIELDS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = Organization.objects.filter(kind=OrganizationKind.OPERATOR)


class FundingLineForm(DateWidgetsMixin, forms.ModelForm):
    project = project_field()

    class Meta:
        model = FundingLine
        fields = [
            "funder",
            "project",
            "year",
            "programme",
            "amount_requested",
            "amount_granted",
            "decision_reference",
            "decided_on",
            "votes_for",
            "votes_against",
            "abstentions",
            "amount_received",
            "interim_justification_due_on",
            "final_justification_due_on",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = Funder.objects.select_related("organization")


class FunderForm(forms.ModelForm):
    class Meta:
        model = Funder
        fields = ["organization", "category"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            kind=OrganizationKind.FUNDER, funder__isnull=True
        )


class StaffYearForm(forms.ModelForm):
    class Meta:
        model = StaffYear
        fields = ["year", "user", "staff_name", "annual_cost"]


class AllocationForm(forms.Form):
    staff_year = forms.ModelChoiceField(StaffYear.objects.select_related("user"), label="Salarié·e et année")
    project = project_field()
    percent = forms.DecimalField(label="Part d'ETP (%)", min_value=0.01, max_value=100, decimal_places=2)


class CallForm(DateWidgetsMixin, forms.ModelForm):
    deadline_day = forms.DateField(
        label="Date limite de dépôt (minuit, heure de Paris)",
        help_text=(
            "Les réponses sont reçues jusqu'à minuit à la fin de ce jour, heure de Paris ; "
            "une seconde de plus est un retard."
        ),
    )

    class Meta:
        model = CallForProjects
        fields = ["title", "year", "description", "committee_on"]

    def save(self, commit=True):
        self.instance.deadline = end_of_day_in_paris(self.cleaned_data["deadline_day"])
        return super().save(commit)


class CallActionForm(forms.ModelForm):
    project = project_field(required=False)

    class Meta:
        model = CallAction
        fields = [
            "title",
            "description",
            "project",
            "people_target",
            "positive_exit_target",
            "plie_ceiling",
            "fse_possible",
        ]


class CriterionForm(forms.ModelForm):
    class Meta:
        model = ScoringCriterion
        fields = ["label", "max_points", "position"]


class AnswerForm(forms.ModelForm):
    operator = forms.ModelChoiceField(Organization.objects.none(), label="Opérateur")

    class Meta:
        model = Answer
        fields = [
            "operator",
            "action",
            "summary",
            "people_planned",
            "positive_exit_planned",
            "amount_plie",
            "amount_fse",
            "total_budget",
            "document",
        ]

    def __init__(self, *args, call, operators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = call.actions.all()
        self.fields["operator"].queryset = operators
        if self.instance.pk:
            del self.fields["operator"]
            self.fields["action"].disabled = True
        elif operators.count() == 1:
            self.fields["operator"].initial = operators.first()

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document and hasattr(document, "content_type"):
            if not document.name.lower().endswith(".pdf") or not document.read(5).startswith(b"%PDF"):
                raise ValidationError("Le dossier de réponse doit être un fichier PDF.")
            document.seek(0)
            if document.size > MAX_DOCUMENT_BYTES:
                raise ValidationError("Le dossier de réponse dépasse 10 Mo.")
        return document


class ScoreForm(forms.Form):
    """One points field and one comment per criterion of the call's grid."""

    def __init__(self, *args, answer, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(answer.call.criteria.all())
        existing = {s.criterion_id: s for s in answer.scores.all()}
        for criterion in self.criteria:
            score = existing.get(criterion.pk)
            self.fields[f"points_{criterion.pk}"] = forms.DecimalField(
                label=f"{criterion.label} (sur {criterion.max_points})",
                min_value=0,
                max_value=criterion.max_points,
                decimal_places=1,
                initial=score.points if score else None,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"Commentaire – {criterion.label}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=score.comment if score else "",
            )


class DecisionForm(DateWidgetsMixin, forms.Form):
    held_on = forms.DateField(label="Comité de pilotage du")
    outcome = forms.ChoiceField(label="Décision", choices=CommitteeOutcome.choices)
    amount_granted = forms.DecimalField(
        label="Montant PLIE retenu",
        required=False,
        min_value=0,
        decimal_places=2,
        help_text="Si la réponse est retenue ; vide : le montant demandé.",
    )
    comments = forms.CharField(label="Motifs, questions à l'opérateur", required=False, widget=forms.Textarea)


class ConventionForm(DateWidgetsMixin, forms.Form):
    number = forms.CharField(label="N° de convention", max_length=40)
    starts_on = forms.DateField(label="Début (la convention dure un an)")


class RenewalForm(forms.Form):
    number = forms.CharField(label="N° de la nouvelle convention", max_length=40)


class AvenantForm(DateWidgetsMixin, forms.Form):
    purpose = forms.CharField(label="Objet", widget=forms.Textarea(attrs={"rows": 3}))
    committee_validated_on = forms.DateField(label="Validé par le comité de pilotage le")
    new_ends_on = forms.DateField(label="Nouvelle date de fin (prolongation)", required=False)
    amount_change = forms.DecimalField(label="Variation du montant PLIE", required=False, decimal_places=2)


class AttendanceForm(DateWidgetsMixin, forms.Form):
    meeting_on = forms.DateField(label="Rencontre du")
    label = forms.CharField(label="Rencontre (évaluation, visite de chantier…)", max_length=200, required=False)


class ObligationDoneForm(DateWidgetsMixin, forms.Form):
    done_on = forms.DateField(label="Remise le")


class FseOperationForm(DateWidgetsMixin, forms.ModelForm):
    project = project_field()
    organization = SearchChoiceField(
        label="Structure qui suit les participants",
        queryset=organization_choices(),
        widget=SearchSelect("funding:search_organizations"),
        error_messages={"invalid_choice": "Choisissez une structure dans la liste proposée."},
        help_text="Tapez une partie de son nom, puis choisissez-la dans la liste.",
    )

    class Meta:
        model = FseOperation
        fields = ["title", "project", "mdfse_number", "organization", "programme", "starts_on", "ends_on"]


class FseLineForm(forms.ModelForm):
    class Meta:
        model = FseExpenseLine
        fields = ["label", "eligible_amount", "fse_rate"]
