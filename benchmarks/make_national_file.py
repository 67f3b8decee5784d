"""Write a synthetic national ASCOF CSV (multi-year layout) for the import benchmark.

152 councils with codes of the real shapes (E06 unitaries, E08 metropolitan districts, E09 London
boroughs, E10 counties), the 9 regions, England and 5 council types, for the 7 years 2017-18 to 2023-24,
each year with its own framework's codes (old codes to 2022-23, refreshed codes from 2023-24). The
figures are random within each measure's typical range: synthetic, never real statistics.

    .venv/bin/python benchmarks/make_national_file.py [OUT]   (default benchmarks/data/ascof_national.csv)
"""

import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "data" / "ascof_national.csv"
HEADER = [
    "Year",
    "Geographical Description",
    "ONS Code",
    "Measure Group",
    "Measure Group Description",
    "Measure_Value",
    "Geographical Level",
    "Disaggregation Level",
    "Measure Type",
]
YEARS = range(2017, 2024)
COUNCIL_COUNTS = {"E06": 62, "E08": 36, "E09": 33, "E10": 21}  # 152 councils
COUNCIL_TYPES = [
    "Metropolitan Districts",
    "Unitary Authorities",
    "Shire Counties",
    "Inner London",
    "Outer London",
]


def areas() -> list[tuple[str, str, str]]:
    result = [
        (f"Council {prefix}{number:06d}", f"{prefix}{number:06d}", "Council")
        for prefix, count in COUNCIL_COUNTS.items()
        for number in range(1, count + 1)
    ]
    result += [(f"Region {n}", f"E1200000{n}", "Region") for n in range(1, 10)]
    result += [("England", "E92000001", "England")]
    result += [(name, "", "Council type") for name in COUNCIL_TYPES]
    return result


def measures() -> dict[str, list[dict[str, str]]]:
    with (ROOT / "fixtures" / "measures.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_framework: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_framework.setdefault(row["framework"], []).append(row)
    return by_framework


def main(out: Path = DEFAULT_OUT) -> Path:
    rng = random.Random(2024)
    catalogue = measures()
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for start in YEARS:
            label = f"{start}-{(start + 1) % 100:02d}"
            framework = "ascof_2023" if start >= 2023 else "ascof_2014"
            for measure in catalogue[framework]:
                low, high = float(measure["typical_low"]), float(measure["typical_high"])
                places = int(measure["decimal_places"])
                for name, code, level in areas():
                    roll = rng.random()
                    if roll < 0.01:
                        value = "[c]"
                    elif roll < 0.015:
                        value = "[x]"
                    else:
                        value = f"{rng.uniform(low, high):.{places}f}"
                    writer.writerow(
                        [
                            label,
                            name,
                            code,
                            measure["code"],
                            measure["title"],
                            value,
                            level,
                            "Total",
                            "Outcome",
                        ]
                    )
                    rows += 1
    print(f"{out}: {rows:,} rows")
    return out


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT)
