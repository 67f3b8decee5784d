"""Signals councils sends for other apps (which councils may not import).

``rows_written`` is sent after a set-based write (``bulk_create``, ``QuerySet.update``) of rows a page reads,
which Django's model signals do not report: the scorecard app connects it to its cache tokens (the data and
page versions, scorecard/cache.py), so no page keeps showing what was there before.
"""

from django.dispatch import Signal

rows_written = Signal()  # sender: the model class
