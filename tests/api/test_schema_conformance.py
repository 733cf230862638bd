"""Every operation of the published schema, fuzzed against the live server.

Schemathesis reads ``/api/v1/schema/`` from pytest-django's live server and,
for each operation it lists (so an operation added later is covered without
a change here), sends cases built from the schema, valid and invalid, as a
drafter and as the lead ministry's endorser, each with a personal token. It
checks that no answer is a 5xx and that each answer's status code, content
type and body are those the schema documents (a refusal: a problem details
body, the ``default`` response of every operation).

The cast's policies stand in every state both callers can see, with
versions. A third of the cases of an operation with an ``{id}`` in its path
take the id of a row that exists, so they reach real policies, not only
404s, and writes (reviews, supports, transitions) are tried on each of them.

Hypothesis is derandomized (``derandomize=True``: its seed is derived from
the test function, so every run sends the same cases) and keeps no example
database, so a run is reproducible and writes nothing into the repository.
The live server answers on another thread: the data is committed (a
transactional test, its sequences reset so the ids are the same on every
run) and the database is emptied after the test.

Each operation is its own Hypothesis test (``APIOperation.as_strategy``)
and its own subtest: Schemathesis's pytest loader (``from_fixture``), which
the live server would need, does not run under pytest 9.2.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api import tokens
from workflow.models import Organization, Policy, Project

State = Policy.State

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

# Cases per operation and caller (valid and invalid ones, and those on rows
# that exist, together). The time grows with the number of operations: with
# the 12 of the first API, both callers take 20-40 s on two cores (SQLite,
# PostgreSQL), more when the machine is busy.
EXAMPLES = 20

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    # Filtering and slow generation are the schema's nature here, not a fault.
    suppress_health_check=list(HealthCheck),
)

# Operations left out, as path prefixes (str.startswith): none. An operation
# whose answers cannot be checked this way is named here with the reason.
NOT_FUZZED = ()

# The path's first segment after /api/v1/ says whose id ``{id}`` is.
EXISTING = {
    "policies": lambda: Policy.objects.values_list("pk", flat=True),
    "organizations": lambda: Organization.objects.values_list("pk", flat=True),
    "projects": lambda: Project.objects.values_list("pk", flat=True),
}


@pytest.fixture
def portfolio(policy_in):
    """The cast's policy in every state, each with its versions, all seen by both callers."""
    return [
        policy_in(State.DRAFTING, short_title="Drafting policy", versions=2),
        policy_in(State.EXPERT_REVIEW, short_title="Reviewed policy"),
        policy_in(State.INSTITUTIONAL_SUPPORT, short_title="Supported policy"),
        policy_in(State.AWAITING_ENDORSEMENT, short_title="Awaited policy"),
        policy_in(State.ENDORSED, short_title="Endorsed policy"),
        policy_in(State.WITHDRAWN, short_title="Withdrawn policy"),
    ]


def strategy_for(operation):
    """Valid and invalid cases; where the path has an ``{id}``, as many again
    valid ones with the id of a row that exists, sent with ``If-Match: *`` so
    that a write is not refused for a stale read before its own checks run."""
    strategies = [operation.as_strategy(mode) for mode in GenerationMode]
    segments = operation.path.split("/")
    existing = EXISTING.get(segments[3]) if len(segments) > 4 else None
    if existing is not None and "{id}" in operation.path:
        strategies.append(
            st.one_of(
                [
                    operation.as_strategy(
                        GenerationMode.POSITIVE,
                        path_parameters={"id": pk},
                        headers={"If-Match": "*"},
                    )
                    for pk in existing()
                ]
            )
        )
    return st.one_of(strategies)


# Committed data for the live server's thread; ids from 1 on every run, so
# that the same cases reach the same rows.
@pytest.mark.django_db(transaction=True, reset_sequences=True)
@pytest.mark.parametrize("role", ["drafter", "endorser"])
def test_every_operation_answers_as_documented(role, cast, portfolio, live_server, subtests):
    caller = getattr(cast, role)
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/")
    loaded = list(schema.get_all_operations())
    assert all(isinstance(result, Ok) for result in loaded), [
        result.err() for result in loaded if not isinstance(result, Ok)
    ]
    operations = [result.ok() for result in loaded]
    operations = [op for op in operations if not op.path.startswith(NOT_FUZZED)]
    assert len(operations) >= 10, [op.label for op in operations]

    for operation in operations:
        with subtests.test(msg=operation.label):

            @FUZZ
            @given(case=strategy_for(operation))
            def answers_as_documented(case):
                # A token per case: the throttle never answers in place of the API.
                _row, token = tokens.create_token(caller, name="conformance")
                case.call_and_validate(
                    base_url=live_server.url,
                    headers={"Authorization": f"Bearer {token}"},
                    checks=CHECKS,
                )

            answers_as_documented()
