"""The measure catalogue and one measure's page: every council's figure, ranking and trend (views, urls,
tables, the catalogue filter)."""
