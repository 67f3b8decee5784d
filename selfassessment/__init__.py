"""Self-assessment: each council assesses itself on a framework (the six domains, or CQC's quality statements)
and the app sets its view beside its data.

Its tables kept the names they had when these models were the scorecard app's (``scorecard_…``), so a database
migrated across the move kept its rows. Reads are in ``selectors.py``, writes in ``services.py``, pages in
``views.py`` (URLs in ``urls.py``; JSON in ``api.py``), permissions in ``rules.py``, the DOCX export in
``docx_export.py``, demo data in ``demo.py``, the home page's panels in ``home.py``.
"""
