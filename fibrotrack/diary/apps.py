from django.apps import AppConfig


class DiaryConfig(AppConfig):
    name = "fibrotrack.diary"
    label = "diary"
    verbose_name = "Diary"

    def ready(self) -> None:
        from fibrotrack.accounts import onboarding_steps
        from fibrotrack.diary import timeline
        from fibrotrack.diary.demo import build
        from fibrotrack.diary.models import Tag, TrackedSymptom
        from fibrotrack.diary.onboarding import STEP
        from fibrotrack.diary.reference import load
        from fibrotrack.lib import demo, reference, usercache
        from fibrotrack.weather import pressure_bands

        # The welcome page asks what to track.
        onboarding_steps.register(STEP)
        reference.register(load)
        demo.register(build)
        # A light band where air pressure fell sharply (only for people who turned weather on).
        timeline.register(pressure_bands.provider)
        # What every check-in reads (``access.checkin_setup``).
        usercache.invalidate_on_change(TrackedSymptom)
        usercache.invalidate_on_change(Tag)
