"""The one import pipeline every file import runs through (ASCOF, local measures, mapped layouts, neighbours,
CQC assessments), one concern per module:

- ``outcome``: problems (file, row, column, reason), counts and the outcome an import returns;
- ``reading``: a file's bytes, decoding and sniffing (CSV text or an XLSX workbook) into frames of stripped text,
  and finding the columns a file names;
- ``cells``: what a cell says (numbers, the markers of suppressed and missing figures, formula text);
- ``checks``: the rules a figure must keep (size, a measure's range, sign), stated once, for one figure or
  vectorised over a column of figures;
- ``writing``: set-based writes of values and their history, and the blanking guard;
- ``run``: the one transaction and the import record.

This package imports none of its modules, so importing one loads only what it needs.
"""
