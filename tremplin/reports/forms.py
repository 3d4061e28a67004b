from datetime import date

from django import forms
from django.utils import timezone

from tremplin.reports import masking
from tremplin.reports.registry import Period


class PeriodForm(forms.Form):
    """A year, or a free period (from, to): the free period wins when both are given. A user who gets
    masked figures may not choose a period shorter than a month (reports/masking.py)."""

    year = forms.IntegerField(label="Année", required=False, min_value=2000, max_value=2100)
    start = forms.DateField(
        label="Du", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    end = forms.DateField(
        label="Au", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end):
            raise forms.ValidationError("Indiquez les deux dates de la période (du … au …), ou seulement une année.")
        if start and end and end < start:
            self.add_error("end", "La date de fin doit suivre la date de début.")
        elif start and end:
            try:
                masking.check_period(start, end, self.user)
            except forms.ValidationError as e:
                self.add_error("end", e)
        return data

    # The report's own spelling of the same parameters (/indicateurs/rapport/?annee=2023, ?du=…&au=…).
    ALIASES = {"annee": "year", "du": "start", "au": "end", "from": "start", "to": "end"}

    @classmethod
    def from_query(cls, query, *, user=None):
        """The form bound to a query string that may use the French names; unbound without any parameter."""
        data = {cls.ALIASES.get(key, key): value for key, value in query.items() if value}
        data = {key: value for key, value in data.items() if key in cls.base_fields}
        return cls(data or None, user=user)

    def period(self) -> Period:
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("start") and data.get("end"):
            return Period(data["start"], data["end"])
        year = data.get("year") or (timezone.localdate().year - 1)
        return Period(date(year, 1, 1), date(year, 12, 31))


class NarrativeForm(forms.Form):
    text = forms.CharField(
        label="Texte de la section",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=(
            "Contexte, actions menées, perspectives. Témoignages avec les initiales seulement. "
            "Les chiffres s'affichent à côté : ne les recopiez pas."
        ),
    )
