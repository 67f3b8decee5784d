"""Real-shaped files for the mapped-import tests, written to a temporary folder, and the command run on them."""

from io import StringIO
from pathlib import Path

from django.core.management import CommandError, call_command

OFLOG_HEADER = (
    "Financial year,Local authority code,Local authority name,Grouping,Entity_Name,Region,Measure,Code,Value,"
    "MEDIAN,MADs_from_median,rank_order"
)


def oflog_row(year: str, gss: str, name: str, code: str, value: str, median: str = "28.5") -> str:
    return (
        f'{year},{gss},{name},LA_Raw,Metropolitan Districts,West Midlands,"Outcome, {code}",{code},{value},'
        f"{median},0.5,None"
    )


def write(tmp_path: Path, name: str, lines: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(path: Path, *args: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of ``manage.py import_mapped PATH ARGS``."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_mapped", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return 1, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def problems(stderr: str) -> list[str]:
    """The problem lines of a failed import (file, row, column: reason)."""
    return [line for line in stderr.splitlines() if ": " in line and not line.lstrip().endswith("steps)")]
