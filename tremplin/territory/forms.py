import re

from django import forms

from tremplin.core.text import fold
from tremplin.territory.models import Commune


class CommuneField(forms.CharField):
    """A commune typed by name or INSEE code, with the list offered as suggestions (datalist)."""

    widget = forms.TextInput(attrs={"list": "communes-list", "autocomplete": "off"})

    def prepare_value(self, value):
        if isinstance(value, int):
            value = Commune.objects.filter(pk=value).first()
        if isinstance(value, Commune):
            return f"{value.name} ({value.insee_code})"
        return value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        match = re.search(r"\b(\d[0-9AB]\d{3})\b", value)
        if match:
            commune = Commune.objects.filter(insee_code=match.group(1)).first()
        else:
            communes = list(Commune.objects.filter(search_name=fold(value))[:2])
            if len(communes) > 1:
                raise forms.ValidationError(
                    f"Plusieurs communes s'appellent « {value} » : "
                    f"précisez le code INSEE, par exemple « {communes[0]} »."
                )
            commune = communes[0] if communes else None
        if commune is None:
            raise forms.ValidationError(
                f"Commune inconnue : « {value} ». Choisissez une commune de Côte-d'Or dans la liste."
            )
        return commune
