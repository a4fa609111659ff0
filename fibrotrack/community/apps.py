from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class CommunityConfig(AppConfig):
    name = "fibrotrack.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from fibrotrack.accounts import deletion_steps
        from fibrotrack.community.actions.deletion import do_prepare_account_deletion
        from fibrotrack.community.demo import build
        from fibrotrack.community.reference import load
        from fibrotrack.lib import demo, navigation, reference

        navigation.add_nav(gettext_lazy("Community"), "community:index", order=40)
        navigation.add_settings_link(gettext_lazy("Community profile and e-mail"), "community:profile_edit", order=40)
        deletion_steps.register(do_prepare_account_deletion)
        reference.register(load)
        demo.register(build)
