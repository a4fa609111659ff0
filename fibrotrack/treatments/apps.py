from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class TreatmentsConfig(AppConfig):
    name = "fibrotrack.treatments"
    label = "treatments"
    verbose_name = "Treatments"

    def ready(self) -> None:
        from fibrotrack.diary import checkin_sections, timeline
        from fibrotrack.lib import demo, navigation, reference, usercache
        from fibrotrack.treatments.catalogue import load
        from fibrotrack.treatments.checkin import SECTION
        from fibrotrack.treatments.demo import build
        from fibrotrack.treatments.models import Regimen, SideEffect
        from fibrotrack.treatments.timeline import provider

        navigation.add_nav(gettext_lazy("Treatments"), "treatments:list", order=20, tab=True)
        checkin_sections.register(SECTION)
        timeline.register(provider)
        reference.register(load)
        demo.register(build)
        # The check-in's "anything to ask today?" (``access.has_treatment_on``).
        usercache.invalidate_on_change(Regimen)
        usercache.invalidate_on_change(SideEffect)
