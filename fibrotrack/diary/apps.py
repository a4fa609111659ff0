from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "fibrotrack.diary"
    label = "diary"
    verbose_name = "Diary"
