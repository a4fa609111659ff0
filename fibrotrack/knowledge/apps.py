from typing import cast

from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    """Treatment articles with graded evidence, their comments, the newsletter, and "what worked for others"."""

    name = "fibrotrack.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy

        from fibrotrack.knowledge.articles import load
        from fibrotrack.lib import navigation, reference

        reference.register(load)
        navigation.add_settings_link(
            cast(str, gettext_lazy("What worked for others: share my outcomes")), "knowledge:outcomes_share", order=42
        )
