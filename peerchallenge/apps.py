from django.apps import AppConfig


class PeerchallengeConfig(AppConfig):
    verbose_name = "Peer challenge"
    name = "peerchallenge"
