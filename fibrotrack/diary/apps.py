from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "fibrotrack.diary"
    label = "diary"
    verbose_name = "Diary"

    def ready(self) -> None:
        from fibrotrack.diary.models import Tag, TrackedSymptom
        from fibrotrack.lib import usercache

        # What every check-in reads (``access.checkin_setup``).
        usercache.invalidate_on_change(TrackedSymptom)
        usercache.invalidate_on_change(Tag)
