"""Reference data shipped with the project: Denmark's 98 municipalities, their regions and library systems."""

import csv
from pathlib import Path

MUNICIPALITIES_CSV = Path(__file__).resolve().parent / "data" / "municipalities.csv"


def read_municipalities() -> list[tuple[str, str]]:
    """(municipality, region label) for each row of the shipped CSV."""
    with MUNICIPALITIES_CSV.open(encoding="utf-8", newline="") as handle:
        return [(row["municipality"].strip(), row["region"].strip()) for row in csv.DictReader(handle)]


def library_name(municipality: str) -> str:
    return f"Bibliotekerne i {municipality}"
