from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    """Treatment articles with graded evidence, their comments, the newsletter, and "what worked for others"."""

    name = "fibrotrack.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge"

    def ready(self) -> None:
        from fibrotrack.knowledge.articles import load
        from fibrotrack.lib import reference

        reference.register(load)
