"""Where the tests' data files are: the good and bad corpora beside the tests, and the real published files
in ../shared/data (read at test time, never copied into the repository)."""

import io
from pathlib import Path

from django.core.management import call_command

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"
GOOD = DATA / "good"
BAD = DATA / "bad"
SHARED_DATA = TESTS.parents[1] / "shared" / "data"
REAL_FILE = SHARED_DATA / "ascof_2018-19_to_2019-20.csv"  # the real ASCOF extract, every English council
REAL_NEIGHBOURS = SHARED_DATA / "nearest_neighbours_west_midlands.json"


def import_real_file() -> None:
    """The real ASCOF extract loaded as an administrator would load it, through ``import_ascof``."""
    call_command("import_ascof", str(REAL_FILE), stdout=io.StringIO(), stderr=io.StringIO())
