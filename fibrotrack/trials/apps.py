from django.apps import AppConfig


class TrialsConfig(AppConfig):
    name = "fibrotrack.trials"
    label = "trials"
    verbose_name = "Personal treatment trials"
