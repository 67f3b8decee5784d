"""Challenge packs and pro-forma question sets.

``models`` (imported by ``peerchallenge/models.py``), ``triggers`` (pure risk-trigger rules, no ORM;
``docs/TRIGGERS.md``), ``selectors`` (reads: the pack's content from the scorecard selectors, who may see
what), ``services`` (writes: question sets, building and caching PDF/DOCX/ZIP files), ``charts`` (static
SVG), ``pdf`` and ``docx_export`` (rendering), ``tasks`` (building a summit's packs off the request).
"""
