"""Synthetic demo rows: which models hold them, and whether any are in the database.

A model holds demo rows when it has an ``is_demo`` flag; found through the app registry, so this package
never imports the apps. Demo users do not count: they cannot sign in outside demo mode
(``councils.backends``), and ``remove_demo_data`` deletes them with the figures.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models


def demo_models() -> list[type[models.Model]]:
    """Every model with an ``is_demo`` flag but the user model and history tables."""
    user_model = get_user_model()
    return [
        model
        for model in apps.get_models()
        if model is not user_model
        and not model.__name__.startswith("Historical")
        and any(f.name == "is_demo" for f in model._meta.concrete_fields)
    ]


def demo_rows_present() -> bool:
    """True when the database holds synthetic demo rows (figures, comparator groups, self-assessments,
    summits, lessons learnt: any row flagged ``is_demo``)."""
    return any(model._base_manager.filter(is_demo=True).exists() for model in demo_models())
