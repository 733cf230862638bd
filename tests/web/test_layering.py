"""Dependencies run one way: web → documents → workflow → notifications.

Read from the source, so an import that runs the wrong way fails here
before it becomes a cycle. The .docx engine is pure functions over bytes:
the pages read through selectors, never through it.
"""

import ast
from pathlib import Path
from types import SimpleNamespace

import pytest

from documents.selectors import by_country

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["web", "documents", "workflow", "notifications"]


def imported_modules(package):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                yield path.relative_to(ROOT), node.module
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    yield path.relative_to(ROOT), alias.name


@pytest.mark.parametrize("package", LAYERS)
def test_no_app_imports_an_app_above_it(package):
    above = LAYERS[: LAYERS.index(package)]
    upward = [
        (str(path), module)
        for path, module in imported_modules(package)
        if module.split(".")[0] in above
    ]
    assert upward == []


def test_the_pages_read_through_selectors_not_the_docx_engine():
    engine = [
        (str(path), module)
        for path, module in imported_modules("web")
        if module.startswith("documents.docx")
    ]
    assert engine == []


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
