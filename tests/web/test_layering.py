"""Dependencies run one way: web → documents → workflow → notifications.

The contracts are in pyproject.toml (import-linter), run by `make lint`;
this runs them in the suite too, so an import that runs the wrong way fails
here before it becomes a cycle. The .docx engine is pure functions over
bytes: the pages read through selectors, never through it.
"""

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from documents.selectors import by_country

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contracts_hold():
    linter = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(linter), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def entry(country, title):
    return SimpleNamespace(policy=SimpleNamespace(country=country, title=title))


def test_the_portfolio_groups_by_country_then_title_those_without_a_country_last():
    entries = [
        entry("PK", "National Emigration and Welfare Policy"),
        entry("", "Regional Guidelines"),
        entry("IQ", "Policy on Engagement with Iraqis Abroad"),
        entry("AF", "National Comprehensive Migration Policy"),
        entry("PK", "labour Migration Data Strategy"),
    ]
    grouped = [
        (country, [e.policy.title for e in entries]) for country, entries in by_country(entries)
    ]
    assert grouped == [
        ("Afghanistan", ["National Comprehensive Migration Policy"]),
        ("Iraq", ["Policy on Engagement with Iraqis Abroad"]),
        ("Pakistan", ["labour Migration Data Strategy", "National Emigration and Welfare Policy"]),
        ("", ["Regional Guidelines"]),
    ]
