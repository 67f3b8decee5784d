"""The measure catalogue and one measure's page: every council's figure, ranking and trend (``selectors``:
``measure_values``; ``charts``: the ranking and trend; ``tables``: the catalogue table and the page's
downloads; ``views``, ``urls``, ``forms``: the catalogue filter)."""
