"""The balanced scorecard pages: a council's scorecard, the regional heat-map and compare (``selectors``:
``council_scorecard``, ``region_overview``, ``councils_comparison``; ``charts``: the heat-map; ``tables``: the
tables and their downloads; ``views``, ``urls``)."""
