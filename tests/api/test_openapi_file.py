"""The committed schema, docs/openapi.yaml, is the one the code generates.

A change to the API shows in its review as a change to this file;
``make openapi`` regenerates it.
"""

from django.conf import settings
from django.core.management import call_command
from drf_spectacular.drainage import reset_generator_stats

COMMITTED = settings.BASE_DIR / "docs" / "openapi.yaml"
REGENERATE = "make openapi"


def generate(path, *flags):
    # Warnings are counted process-wide: count only this generation's.
    reset_generator_stats()
    call_command("spectacular", *flags, "--lang", "en", "--file", str(path))
    return path.read_text(encoding="utf-8")


def test_the_committed_schema_is_the_generated_one(tmp_path):
    generated = generate(tmp_path / "openapi.yaml")
    assert COMMITTED.is_file(), f"{COMMITTED} is missing: run `{REGENERATE}`"
    assert generated == COMMITTED.read_text(encoding="utf-8"), (
        f"docs/openapi.yaml is not the schema the API generates: run `{REGENERATE}` "
        "and commit the file"
    )


def test_the_schema_is_valid_and_generates_without_a_warning(tmp_path):
    """``spectacular --validate --fail-on-warn`` raises CommandError otherwise."""
    schema = generate(tmp_path / "openapi.yaml", "--validate", "--fail-on-warn")
    assert schema.startswith("openapi: 3.1.0\n")
