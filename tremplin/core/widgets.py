"""A choice among many (254 lots, 185 employers, the people of a structure) as a searchable field.

`SearchSelect` renders the field as a plain text input of the chosen id with a <datalist> of the choices:
without JavaScript the browser offers the list and the form posts the id, validated by the form's own
queryset. With htmx, typing asks the server for at most `LIMIT` choices matching every word typed, and
replaces the datalist's options.

Two kinds of lists:
- a directory (lots, companies): the datalist starts with every choice (`preload=True`) and the search keeps
  those whose folded label contains every folded word typed (accents and case ignored, `matching`);
- people (`preload=False`): the page names nobody in advance; the datalist holds only the person already
  chosen, and the server answers what was typed (two characters at least) from the user's scope.

The endpoint of each kind is a view of its module that builds its rows from the same queryset as the form
(one function for both) and answers through `search_options_response` (a directory) or `options_response`
(rows the module searched itself, people named in the answer being logged by the view). A value outside the
form's queryset, unknown or out of the user's scope alike, is refused by the field with one message.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse

from tremplin.core.text import fold

LIMIT = 20
# Fewer characters than this search nothing among people: a list of names is not browsed letter by letter.
MIN_QUERY = 2
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


def people_query(request) -> str:
    """What was typed in a field of people, or "" when it is too short to search."""
    query = search_query(request).strip()
    return query if len(query) >= MIN_QUERY else ""


def options_response(request, options):
    """The <option>s of a SearchSelect's datalist: (value, label) pairs."""
    return render(request, "widgets/_search_options.html", {"options": [(str(v), label) for v, label in options]})


def search_options_response(request, rows):
    """The <option>s of a SearchSelect's datalist for what the user typed, among a directory's rows."""
    return options_response(request, matching(rows, search_query(request)))


class SearchSelect(forms.TextInput):
    template = "widgets/search_select.html"

    def __init__(self, url_name: str, attrs=None, *, preload: bool = True):
        super().__init__(attrs)
        self.url_name = url_name
        self.preload = preload

    def _options(self, value):
        if self.preload:
            return [(str(choice), label) for choice, label in self.choices if str(choice) != ""]
        return self._chosen(value)

    def _chosen(self, value):
        """The chosen row alone, found through the field's queryset (never a row outside it)."""
        field = getattr(self.choices, "field", None)
        if field is None or value in field.empty_values:
            return []
        try:
            chosen = field.to_python(value)
        except ValidationError:
            return []
        return [(str(field.prepare_value(chosen)), field.label_from_instance(chosen))] if chosen else []

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        input_id = attrs.pop("id", f"id_{name}")
        context = {
            "name": name,
            "id": input_id,
            "value": self.format_value(value) or "",
            "attrs": attrs,
            "list_id": f"{input_id}-options",
            "url": f"{reverse(self.url_name)}?{FIELD_PARAMETER}={name}",
            "options": self._options(value),
        }
        return render_to_string(self.template, context)


class SearchChoiceField(forms.ModelChoiceField):
    """The field of a SearchSelect: what it cannot find among its choices (a malformed value, an unknown id or
    one outside the user's scope) gets the one `invalid_choice` message, so the answer tells nothing more."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from error
