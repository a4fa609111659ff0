from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class TrialsConfig(AppConfig):
    name = "fibrotrack.trials"
    label = "trials"
    verbose_name = gettext_lazy("Personal treatment trials")

    def ready(self) -> None:
        from fibrotrack.community import cards
        from fibrotrack.diary import checkin_sections, timeline
        from fibrotrack.lib import demo, navigation, usercache
        from fibrotrack.trials.cards import SOURCE
        from fibrotrack.trials.checkin import SECTION
        from fibrotrack.trials.demo import build
        from fibrotrack.trials.models import Trial
        from fibrotrack.trials.timeline import provider

        navigation.add_nav(gettext_lazy("Trials"), "trials:list", order=30)
        checkin_sections.register(SECTION)
        timeline.register(provider)
        demo.register(build)
        # A finished, unblinded trial can be shared on a post as a progress card.
        cards.register(SOURCE)
        # The check-in's "is a trial running today?" (``access.has_trial_running_on``).
        usercache.invalidate_on_change(Trial)
