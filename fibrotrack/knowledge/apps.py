from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    """Treatment articles with graded evidence, their comments, the newsletter, and "what worked for others"."""

    name = "fibrotrack.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge"
