from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "fibrotrack.lib"
    label = "lib"
    verbose_name = "FibroTrack shared"
