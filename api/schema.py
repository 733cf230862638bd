"""What drf-spectacular adds to every operation: its refusals, as problem details."""

from api.problems import PROBLEM_TYPE

PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details, with policyflow's extension members.",
    "properties": {
        "type": {"type": "string", "description": "urn:policyflow:problem:<code>"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "code": {
            "type": "string",
            "description": "The kind of refusal, or the document intake's own code.",
        },
        "reasons": {"type": "array", "items": {"type": "string"}},
        "field_errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["type", "title", "status", "detail", "code", "reasons"],
}


def add_problem_responses(result, generator, request, public):
    """Any operation may be refused (400, 401, 403, 404, 409, 412, 429, …):
    document that as its ``default`` response, in ``application/problem+json``."""
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM
    for path in result.get("paths", {}).values():
        for operation in path.values():
            operation.setdefault("responses", {})["default"] = {
                "description": "A refusal, as RFC 9457 problem details.",
                "content": {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
            }
    return result
