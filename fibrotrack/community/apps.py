from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "fibrotrack.community"
    label = "community"
    verbose_name = "Community"

    def ready(self) -> None:
        from fibrotrack.lib import navigation

        navigation.add_nav("Community", "community:index", order=40)
        navigation.add_settings_link("Community profile and e-mail", "community:profile_edit", order=40)
