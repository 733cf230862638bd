"""The data of the two-host test (tests/test_two_hosts.py), written as an
administrator would on a third machine: run with the stack's settings.

    python -m tests.two_hosts prepare     -> JSON: the policy and two API tokens
    python -m tests.two_hosts review ID   -> the policy submitted, cleared and supported
"""

import json
import sys


def prepare():
    from django.contrib.auth import get_user_model

    from api.tokens import create_token
    from workflow import services
    from workflow.models import Membership, Organization, Project

    Role = Membership.Role
    implementer = Organization.objects.create(name="ICMPD", kind=Organization.Kind.IMPLEMENTER)
    ministry = Organization.objects.create(
        name="Ministry of Labour", kind=Organization.Kind.MINISTRY, country="PK"
    )
    bureau = Organization.objects.create(
        name="Bureau of Emigration", kind=Organization.Kind.INSTITUTION, country="PK"
    )
    people = {}
    for organization, role, username in (
        (implementer, Role.COORDINATOR, "coordinator"),
        (implementer, Role.DRAFTER, "drafter"),
        (implementer, Role.REVIEWER, "reviewer"),
        (ministry, Role.MINISTRY_ENDORSER, "endorser"),
        (bureau, Role.INSTITUTION_MEMBER, "bureau"),
    ):
        people[username] = get_user_model().objects.create_user(username, f"{username}@example.org")
        Membership.objects.create(user=people[username], organization=organization, role=role)
    project = Project.objects.create(name="Silk Routes", implementer=implementer)
    policy = services.register_policy(
        actor=people["coordinator"],
        project=project,
        title="National Emigration Policy",
        short_title="PK emigration",
        country="PK",
        lead_ministry=ministry,
        required_supporters=[bureau],
        drafters=[people["drafter"]],
        reviewers=[people["reviewer"]],
    )
    return {
        "policy": policy.pk,
        "drafter": create_token(people["drafter"], name="two hosts")[1],
        "endorser": create_token(people["endorser"], name="two hosts")[1],
    }


def review(policy_id):
    from django.contrib.auth import get_user_model

    from workflow import services
    from workflow.models import Organization, Policy, Review, Support

    user = get_user_model().objects.get
    policy = Policy.objects.get(pk=policy_id)
    services.perform_transition(
        policy, "submit_for_review", actor=user(username="drafter"), acknowledged=True
    )
    services.record_review(
        policy,
        actor=user(username="reviewer"),
        decision=Review.Decision.APPROVED,
        comment="Sound.",
        acknowledged=True,
    )
    services.perform_transition(policy, "clear_review", actor=user(username="reviewer"))
    services.record_support(
        policy,
        actor=user(username="bureau"),
        organization=Organization.objects.get(name="Bureau of Emigration"),
        decision=Support.Decision.SUPPORTED,
        statement="We support it.",
    )
    return {"state": Policy.objects.get(pk=policy_id).state}


if __name__ == "__main__":
    import django

    django.setup()
    command, *arguments = sys.argv[1:]
    result = prepare() if command == "prepare" else review(int(arguments[0]))
    print(json.dumps(result))
