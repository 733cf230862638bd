"""Who the web benchmark's portfolio belongs to: the organisations and people.

One implementer with its coordinators and experts; Afghanistan, Pakistan
and Iraq, each with a lead ministry and national institutions with their
members; a donor with an observer; one project. ``Cast`` holds the people
the benchmark signs in as.
"""

from dataclasses import dataclass, field

# country: (lead ministry, short name), [(institution, short name), ...]
COUNTRIES = {
    "AF": (
        ("Ministry of Refugees and Repatriation", "MoRR"),
        [
            ("Ministry of Labour and Social Affairs (Afghanistan)", "MoLSA"),
            ("Ministry of Foreign Affairs (Afghanistan)", "MoFA"),
            ("National Statistics and Information Authority", "NSIA"),
        ],
    ),
    "PK": (
        ("Ministry of Overseas Pakistanis and Human Resource Development", "MOPHRD"),
        [
            ("Bureau of Emigration and Overseas Employment", "BE&OE"),
            ("Overseas Pakistanis Foundation", "OPF"),
            ("Federal Investigation Agency", "FIA"),
        ],
    ),
    "IQ": (
        ("Ministry of Migration and Displaced", "MoMD"),
        [
            ("Ministry of Foreign Affairs (Iraq)", "MoFA"),
            ("Ministry of Labour and Social Affairs (Iraq)", "MoLSA"),
        ],
    ),
}


@dataclass
class Cast:
    """The people and organisations a run measures pages for."""

    superuser: object
    coordinator: object
    endorser: object  # the PK lead ministry's endorser
    institution_member: object  # a member of BE&OE, a PK institution
    project: object
    implementer: object
    ministries: dict = field(default_factory=dict)  # country -> Organization
    institutions: dict = field(default_factory=dict)  # country -> [Organization]
    members: dict = field(default_factory=dict)  # organization pk -> [user]
    endorsers: dict = field(default_factory=dict)  # country -> user
    drafters: list = field(default_factory=list)
    reviewers: list = field(default_factory=list)


def build_cast():
    from django.contrib.auth import get_user_model

    from workflow.models import Membership, Organization, Project

    Kind, Role = Organization.Kind, Membership.Role
    users = get_user_model().objects
    memberships = []

    def person(username, first, last, organization, role):
        user = users.create_user(
            username, first_name=first, last_name=last, email=f"{username}@example.org"
        )
        memberships.append(Membership(user=user, organization=organization, role=role))
        return user

    implementer = Organization.objects.create(
        name="International Centre for Migration Policy Development",
        short_name="ICMPD",
        kind=Kind.IMPLEMENTER,
    )
    donor = Organization.objects.create(
        name="Delegation of the European Union", short_name="EU Delegation", kind=Kind.DONOR
    )
    project = Project.objects.create(
        name="Budapest Process Silk Routes Facility",
        short_name="Silk Routes",
        implementer=implementer,
    )
    project.donors.add(donor)
    coordinator = person("coordinator", "Katharina", "Steiner", implementer, Role.COORDINATOR)
    person("coordinator2", "Peter", "Novak", implementer, Role.COORDINATOR)
    drafters = [
        person(f"drafter{n}", first, last, implementer, Role.DRAFTER)
        for n, (first, last) in enumerate(
            [("Farid", "Karimi"), ("Sana", "Malik"), ("Omar", "Rashid"), ("Mina", "Azizi")], 1
        )
    ]
    reviewers = [
        person(f"reviewer{n}", first, last, implementer, Role.REVIEWER)
        for n, (first, last) in enumerate(
            [("Martin", "Horvath"), ("Leila", "Haddad"), ("Jana", "Kovac"), ("Tariq", "Aziz")], 1
        )
    ]
    person("observer", "Claire", "Dubois", donor, Role.OBSERVER)

    cast_members, ministries, institutions, endorsers = {}, {}, {}, {}
    for country, ((name, short), bodies) in COUNTRIES.items():
        ministry = Organization.objects.create(
            name=name, short_name=short, kind=Kind.MINISTRY, country=country
        )
        ministries[country] = ministry
        endorsers[country] = person(
            f"endorser.{country.lower()}",
            "Lead",
            f"Endorser {country}",
            ministry,
            Role.MINISTRY_ENDORSER,
        )
        person(
            f"ministry.{country.lower()}",
            "Ministry",
            f"Member {country}",
            ministry,
            Role.INSTITUTION_MEMBER,
        )
        institutions[country] = []
        for number, (body, body_short) in enumerate(bodies, 1):
            institution = Organization.objects.create(
                name=body, short_name=body_short, kind=Kind.INSTITUTION, country=country
            )
            institutions[country].append(institution)
            cast_members[institution.pk] = [
                person(
                    f"member{n}.{country.lower()}{number}",
                    "Member",
                    f"{body_short} {n}",
                    institution,
                    Role.INSTITUTION_MEMBER,
                )
                for n in (1, 2)
            ]
    Membership.objects.bulk_create(memberships)
    superuser = users.create_superuser("admin", "admin@example.org", None)
    return Cast(
        superuser=superuser,
        coordinator=coordinator,
        endorser=endorsers["PK"],
        institution_member=cast_members[institutions["PK"][0].pk][0],
        project=project,
        implementer=implementer,
        ministries=ministries,
        institutions=institutions,
        members=cast_members,
        endorsers=endorsers,
        drafters=drafters,
        reviewers=reviewers,
    )


def find_cast():
    """The measured people of a database built before (``--reuse``)."""
    from django.contrib.auth import get_user_model

    from workflow.models import Project

    users = get_user_model().objects.in_bulk(
        ["admin", "coordinator", "endorser.pk", "member1.pk1"], field_name="username"
    )
    project = Project.objects.get()
    return Cast(
        superuser=users["admin"],
        coordinator=users["coordinator"],
        endorser=users["endorser.pk"],
        institution_member=users["member1.pk1"],
        project=project,
        implementer=project.implementer,
    )
