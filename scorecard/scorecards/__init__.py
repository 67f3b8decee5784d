"""The balanced scorecard pages: a council's scorecard, the regional heat-map and compare (views, urls,
tables and their exports)."""
