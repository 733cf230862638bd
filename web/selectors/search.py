"""The search page: the query string checked, the search run, its answer as data."""

from dataclasses import dataclass

from django import forms
from django_countries import countries

from workflow.models import Policy
from workflow.search.parsing import QueryError
from workflow.search.query import search


class SearchForm(forms.Form):
    """The page's query string. The query itself is read by ``workflow.search``,
    which says what is wrong with it; a filter that is not one the page offers
    counts as "any"."""

    q = forms.CharField(required=False, strip=True)
    state = forms.ChoiceField(choices=Policy.State.choices, required=False)
    country = forms.CharField(max_length=2, required=False)
    current = forms.BooleanField(required=False)
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False)

    def clean_country(self):
        code = self.cleaned_data["country"].upper()
        return code if code in countries else ""


@dataclass(frozen=True)
class SearchPage:
    q: str
    state: str
    country: str
    current: bool
    results: object  # workflow.search.query.Results, or None
    error: str  # why the query cannot be searched; "" when it can (or is not given)


def search_page(user, query_string):
    form = SearchForm(query_string)
    form.is_valid()
    values = {
        name: form.cleaned_data.get(name) or default
        for name, default in (("q", ""), ("state", ""), ("country", ""), ("current", False))
    }
    if "q" in form.errors:  # a NUL character
        values["q"] = ""
    results, error = None, ""
    if "q" in query_string:
        try:
            results = search(
                user,
                values["q"],
                country=values["country"],
                state=values["state"],
                current_only=values["current"],
                page=form.cleaned_data.get("page") or 1,
            )
        except QueryError as refused:
            error = refused.message
    return SearchPage(results=results, error=error, **values)
