from django.apps import AppConfig


class SelfAssessmentConfig(AppConfig):
    verbose_name = "Self-assessment"
    name = "selfassessment"
    # What the kept pages depend on (core/cache.py): self-assessments change which self-ratings a page shows and
    # who may read them, so every model here bumps the page version; none holds figures.

    def ready(self) -> None:
        from core.cache import watch_app
        from scorecard.assurance.selectors import self_scores_source_register
        from scorecard.scorecards.selectors import section_annotator_register
        from selfassessment.selectors import assurance_self_scores, attach_self_ratings

        watch_app(self)
        # The council scorecard shows the viewer's readable self-ratings beside each domain, and the council's
        # CQC page its self-scores beside CQC's; this app sits above scorecard, so it hands scorecard the
        # functions rather than scorecard importing them.
        section_annotator_register(attach_self_ratings)
        self_scores_source_register(assurance_self_scores)
