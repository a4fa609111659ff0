from django.apps import AppConfig


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

        navigation.add_nav("Community", "community:index", order=40)
        navigation.add_settings_link("Community profile and e-mail", "community:profile_edit", order=40)
        deletion_steps.register(do_prepare_account_deletion)
        reference.register(load)
        demo.register(build)
