"""File imports: official ASCOF CSVs and the local-measures template.

Every import validates the whole file first and collects every problem (file, spreadsheet row with the
header as row 1, column, reason), then writes in one transaction. Nothing but an ImportRecord (status
FAILED) is written when there is any problem; a dry run writes only an ImportRecord (status PREVIEWED).
"""

from scorecard.imports.ascof import ascof_import, year_from_file_name
from scorecard.imports.common import ImportOutcome, Problem
from scorecard.imports.local import measures_import, measures_template_xlsx

__all__ = [
    "ImportOutcome",
    "Problem",
    "ascof_import",
    "measures_import",
    "measures_template_xlsx",
    "year_from_file_name",
]
