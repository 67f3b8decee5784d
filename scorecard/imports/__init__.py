"""File imports: official ASCOF CSVs (``ascof``), the local-measures template (``local``) and files of any
layout (``mapped``), all through one pipeline (``pipeline``).

Every import validates the whole file first and collects every problem (file, spreadsheet row with the
header as row 1, column, reason), then writes in one transaction. Nothing but an ImportRecord (status
FAILED) is written when there is any problem; a dry run writes only an ImportRecord (status PREVIEWED).
Import from the modules (this package imports none of them, so reading its rules loads no pandas).
"""
