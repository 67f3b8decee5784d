from django.apps import AppConfig


class PeerchallengeConfig(AppConfig):
    verbose_name = "Peer challenge"
    name = "peerchallenge"

    def ready(self) -> None:
        from councils.rules import register_challenger_check, register_pack_challenger_check

        # By path: the selectors are imported at the first permission check, not at every start.
        register_challenger_check("peerchallenge.selectors.is_assigned_challenger")
        register_pack_challenger_check("peerchallenge.packs.selectors.is_pack_challenger")
        import peerchallenge.themes.rules  # noqa: F401  (registers the theme and work-programme permissions)
        from scorecard.cache import connect_page_models, page_models

        # Summits, pairings and the rest decide who may read which self-assessment: the page cache's key.
        connect_page_models(page_models(self))
