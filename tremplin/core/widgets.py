"""A choice among many (254 lots, 185 employers) as a searchable field.

`SearchSelect` renders the field as a plain text input of the chosen id with a <datalist> of the choices:
without JavaScript the browser offers the list and the form posts the id, validated by the form's own
queryset. With htmx, typing asks the server for at most `LIMIT` choices whose folded label contains every
folded word typed (accents and case ignored, `tremplin.core.text.fold`), and replaces the datalist's options.

The endpoint of each kind is a view of its module that builds its rows from the same queryset as the form
(one function for both) and answers through `search_options_response`.
"""

from django import forms
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from tremplin.core.text import fold

LIMIT = 20
# The query parameter naming the field whose typed text is the search (the input posts under its own name).
FIELD_PARAMETER = "champ"


def matching(rows, query: str, limit: int = LIMIT) -> list[tuple[str, str]]:
    """The (value, label) rows whose folded label contains every folded word of the query, at most `limit`."""
    words = fold(query).split()
    found = []
    for value, label in rows:
        folded = fold(label)
        if all(word in folded for word in words):
            found.append((str(value), label))
            if len(found) == limit:
                break
    return found


def search_query(request) -> str:
    return request.GET.get(request.GET.get(FIELD_PARAMETER) or "q", "")


def search_options_response(request, rows):
    """The <option>s of a SearchSelect's datalist for what the user typed."""
    return render(request, "widgets/_search_options.html", {"options": matching(rows, search_query(request))})


class SearchSelect(forms.TextInput):
    template = "widgets/search_select.html"

    def __init__(self, url_name: str, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        input_id = attrs.pop("id", f"id_{name}")
        options = [(str(choice), label) for choice, label in self.choices if str(choice) != ""]
        context = {
            "name": name,
            "id": input_id,
            "value": self.format_value(value) or "",
            "attrs": attrs,
            "list_id": f"{input_id}-options",
            "url": f"{reverse(self.url_name)}?{FIELD_PARAMETER}={name}",
            "options": options,
        }
        return render_to_string(self.template, context)
