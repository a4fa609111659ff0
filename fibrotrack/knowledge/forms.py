from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fibrotrack.community.forms import BodyField
from fibrotrack.knowledge.models import Article, Category, Grade, Symptom


class FilterForm(forms.Form):
    """The article list's search and filters: a GET form of links and checkboxes that needs no JavaScript."""

    q = forms.CharField(label=_("Search the articles"), required=False, max_length=200)
    category = forms.MultipleChoiceField(
        label=_("Kind of treatment"), choices=Category.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    grade = forms.MultipleChoiceField(
        label=_("EULAR 2017 grade"), choices=Grade.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    symptom = forms.MultipleChoiceField(
        label=_("Helps with"), choices=Symptom.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def filters(self) -> dict[str, Any]:
        """The valid part of the request (an invalid choice is dropped, never an error page)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "query": data.get("q") or "",
            "categories": data.get("category") or [],
            "grades": data.get("grade") or [],
            "symptoms": data.get("symptom") or [],
        }


class CommentForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Made per form, so its label and messages are in the reader's language.
        self.fields["body"] = BodyField(label=gettext("Your comment"))


class ComposeForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150)
    intro = forms.CharField(
        label=_("Introduction"), widget=forms.Textarea(attrs={"rows": 6}), required=False, max_length=5000
    )
    articles = forms.ModelMultipleChoiceField(
        label=_("Articles in this issue"),
        queryset=Article.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one article.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["articles"].queryset = Article.objects.defer("body", "html", "search_vector").order_by(  # type: ignore[attr-defined]
            "-updated_at"
        )
