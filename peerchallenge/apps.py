from django.apps import AppConfig


class PeerchallengeConfig(AppConfig):
    verbose_name = "Peer challenge"
    name = "peerchallenge"
    # What the kept pages depend on (core/cache.py): summits and pairings decide who may read which
    # self-assessment. Pack builds (background tasks) and plenary themes and their log (saved every few
    # seconds on summit day, shown only on their own pages, never kept) do not.
    unkept_models = ("PackBuild", "Theme", "ThemeChange")

    def ready(self) -> None:
        from core.cache import watch_app

        watch_app(self)
