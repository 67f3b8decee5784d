"""Self-assessment: each council rates itself on the six domains; the app sets its view beside its data.

Models live in :mod:`scorecard.selfassessment.models` and are imported by ``scorecard/models.py`` so they
belong to the ``scorecard`` app. Reads are in ``selectors.py``, writes in ``services.py``, pages in
``views.py`` (URLs in ``urls.py``), permissions in ``rules.py``, the DOCX export in ``docx_export.py``, demo data
in ``demo.py``.
"""
