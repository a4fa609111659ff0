"""Words and links for the article page: what a grade means, safety warnings, starting a personal trial."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from fibrotrack.knowledge.models import Article, Grade
from fibrotrack.treatments import safety

GRADE_EXPLANATIONS: dict[str, Promise] = {
    Grade.STRONG_FOR: _("Experts agreed it helps many people, based on good studies."),
    Grade.WEAK_FOR: _("Experts thought it may help some people; the studies are small or mixed."),
    Grade.WEAK_AGAINST: _("Experts did not recommend it: little or no benefit was shown."),
    Grade.STRONG_AGAINST: _("Experts advised against it: the studies showed no benefit or real harms."),
    Grade.NOT_ASSESSED: _("The EULAR 2017 experts did not grade it. That does not mean it works or fails."),
}


def safety_titles(treatment: Any) -> list[str]:
    """The titles (translated) of the safety rules that involve this catalogue treatment's flags (none for others)."""
    if treatment is None:
        return []
    flags = treatment.flags
    titles = [r.title_text for r in safety.RULES if r.trigger != safety.Trigger.QUESTION and set(r.flags) & flags]
    return list(dict.fromkeys(titles))


def trial_url(article: Article) -> str:
    """The link that plans a personal trial from the article's template; "" when it names none.

    No template is the article's own judgement that a self-run trial would be unsafe or
    meaningless (opioids, benzodiazepines, a treatment experts advise against): then no
    generic design is offered in its place.
    """
    if not article.trial_template:
        return ""
    return reverse("trials:new") + "?" + urlencode({"template": article.trial_template, "treatment": article.key})
