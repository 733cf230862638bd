"""A demo portfolio: the Silk Routes policies, their people and their histories.

The demo has to show the product as it is used, so every policy is built
through the same services people use (register, upload, submit, review,
support, endorse), acting as the person who would take each step. A
policy in ``awaiting_endorsement`` here therefore carries the audit trail
a real one would, and a change to a service rule shows up in the demo.

Loading is idempotent: organisations and people are found or created by
their natural keys, and a policy (with its history) is only built when no
policy with its short title exists yet.
"""

import datetime
from dataclasses import dataclass
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from demo import letters
from demo.drafts import (
    VERSION_NOTES,
    DraftContent,
    render_draft,
    render_marked_up,
    render_translation,
)
from documents.services import add_translation, add_version, record_review_with_copy
from workflow import clock, services
from workflow.models import Membership, Organization, Policy, Project, Review, Support, Theme

Kind = Organization.Kind
Role = Membership.Role
State = Policy.State

PASSWORD = "policyflow-demo"
# People work in the pages. The admin is for those who administer: the
# superuser, and the coordinator, who reads there what their pages show
# (``workflow.admin.access``); what they may do is still decided by the
# services. Everyone else is no staff, so the admin is closed to them.
VIEW_ALL = [
    f"view_{model}"
    for model in (
        "organization",
        "membership",
        "project",
        "theme",
        "policy",
        "review",
        "support",
        "endorsement",
        "evidence",
        "auditentry",
        "documentversion",
        "translation",
        "markedupcopy",
        "generatedrecord",
    )
]
# The languages the Silk Routes policies are translated into: Dari and Pashto
# in Afghanistan, Urdu in Pakistan, Arabic and Kurdish in Iraq. Drafts are in
# English. None is required: one project serves three countries.
DOCUMENT_LANGUAGES = ["fa", "ps", "ur", "ar", "ku"]
COORDINATORS = "Coordinators"
COORDINATOR_PERMISSIONS = [
    *VIEW_ALL,
    "add_policy",
    "change_policy",
    "add_documentversion",
    "add_translation",
]
# The group every participant was given when all of them were staff.
RETIRED_GROUPS = ["Participants"]
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# key: (name, short name, kind, country). Names are unique across the
# database, so ministries that exist in several countries carry the country.
ORGANISATIONS = {
    "icmpd": (
        "International Centre for Migration Policy Development",
        "ICMPD",
        Kind.IMPLEMENTER,
        "",
    ),
    "eu": ("Delegation of the European Union", "EU Delegation", Kind.DONOR, ""),
    "morr": ("Ministry of Refugees and Repatriation", "MoRR", Kind.MINISTRY, "AF"),
    "molsa_af": (
        "Ministry of Labour and Social Affairs (Afghanistan)",
        "MoLSA",
        Kind.MINISTRY,
        "AF",
    ),
    "mofa_af": ("Ministry of Foreign Affairs (Afghanistan)", "MoFA", Kind.MINISTRY, "AF"),
    "mophrd": (
        "Ministry of Overseas Pakistanis and Human Resource Development",
        "MOPHRD",
        Kind.MINISTRY,
        "PK",
    ),
    "beoe": ("Bureau of Emigration and Overseas Employment", "BE&OE", Kind.INSTITUTION, "PK"),
    "opf": ("Overseas Pakistanis Foundation", "OPF", Kind.INSTITUTION, "PK"),
    "moi_pk": ("Ministry of Interior (Pakistan)", "MoI", Kind.MINISTRY, "PK"),
    "fia": ("Federal Investigation Agency", "FIA", Kind.INSTITUTION, "PK"),
    "momd": ("Ministry of Migration and Displaced", "MoMD", Kind.MINISTRY, "IQ"),
    "mofa_iq": ("Ministry of Foreign Affairs (Iraq)", "MoFA", Kind.MINISTRY, "IQ"),
    "molsa_iq": ("Ministry of Labour and Social Affairs (Iraq)", "MoLSA", Kind.MINISTRY, "IQ"),
}

# (username, first name, last name, organisation key, role). Drafters and
# reviewers are different people, so every review passes the four-eyes rule;
# each national body has one person who speaks for it.
PEOPLE = (
    ("coordinator", "Katharina", "Steiner", "icmpd", Role.COORDINATOR),
    ("drafter1", "Farid", "Karimi", "icmpd", Role.DRAFTER),
    ("drafter2", "Sana", "Malik", "icmpd", Role.DRAFTER),
    ("reviewer1", "Martin", "Horvath", "icmpd", Role.REVIEWER),
    ("reviewer2", "Leila", "Haddad", "icmpd", Role.REVIEWER),
    ("observer", "Claire", "Dubois", "eu", Role.OBSERVER),
    ("morr", "Ahmad", "Noori", "morr", Role.MINISTRY_ENDORSER),
    ("molsa.af", "Zahra", "Hakimi", "molsa_af", Role.INSTITUTION_MEMBER),
    ("mofa.af", "Hamid", "Sultani", "mofa_af", Role.INSTITUTION_MEMBER),
    ("mophrd", "Imran", "Qureshi", "mophrd", Role.MINISTRY_ENDORSER),
    ("beoe", "Ayesha", "Siddiqui", "beoe", Role.INSTITUTION_MEMBER),
    ("opf", "Bilal", "Chaudhry", "opf", Role.INSTITUTION_MEMBER),
    ("interior.pk", "Saima", "Rana", "moi_pk", Role.MINISTRY_ENDORSER),
    ("fia", "Usman", "Butt", "fia", Role.INSTITUTION_MEMBER),
    ("momd", "Haider", "Al-Jubouri", "momd", Role.MINISTRY_ENDORSER),
    ("mofa.iq", "Noor", "Al-Tamimi", "mofa_iq", Role.INSTITUTION_MEMBER),
    ("molsa.iq", "Mustafa", "Al-Obaidi", "molsa_iq", Role.INSTITUTION_MEMBER),
)
SUPERUSER = ("admin", "Demo", "Administrator")

PROJECT = "Budapest Process Silk Routes Facility"
PROJECT_SHORT = "Silk Routes"

CHANGES_REQUESTED = (
    "The objectives have no indicators and nobody is named to monitor implementation. "
    "Please add a monitoring section and align the implementation matrix with the objectives."
)
REVISION_REASON = "Returned for the changes in the review: monitoring section and indicators."
APPROVAL = (
    "Clear objectives and a realistic implementation matrix. Ready for institutional support."
)
DECLINE = (
    "The Foundation cannot support this version: its role in job placement abroad is not "
    "agreed with the Bureau. Please revise section 4 with both institutions."
)
WITHDRAWAL_REASON = (
    "Consultations suspended at the lead ministry's request; the draft is kept for reference."
)
ENDORSEMENT_NOTE = "Demonstration record, not an official decision of the government."


@dataclass(frozen=True)
class PolicySpec:
    """One demo policy and how far along the workflow its history goes.

    The policy's country is its lead ministry's.
    """

    title: str
    short_title: str
    lead_ministry: str
    supporters: tuple[str, ...]
    themes: tuple[str, ...]
    summary: str
    experts: tuple[str, str]  # the drafter and the reviewer, by username
    target: str
    # A review that asks for changes, and a second version that answers it;
    # a policy whose target is drafting stops when the revision is asked for.
    revision_round: bool = True
    # The decisions of the first required supporters, in order; None: every
    # required supporter supports.
    decisions: tuple[str, ...] | None = None
    # Days from today to the review and support deadlines.
    due_in: tuple[int | None, int | None] = (None, None)
    # The languages its drafter translates each version into.
    translations: tuple[str, ...] = ()
    # Whether the review that asks for changes comes with the reviewer's
    # marked-up copy of the version (comments and a tracked change).
    marked_up_review: bool = False


POLICIES = (
    PolicySpec(
        title="National Comprehensive Migration Policy",
        short_title="Afghanistan NCMP",
        lead_ministry="morr",
        supporters=("molsa_af", "mofa_af"),
        themes=("Labour migration", "Return and reintegration", "Protection of migrants' rights"),
        summary="Labour migration, return and reintegration, and protection of Afghans abroad.",
        experts=("drafter1", "reviewer1"),
        target=State.AWAITING_ENDORSEMENT,
        due_in=(-75, -10),
        translations=("fa", "ps"),
        marked_up_review=True,
    ),
    PolicySpec(
        title="National Emigration and Welfare Policy for Overseas Pakistanis",
        short_title="Pakistan Emigration and Welfare Policy",
        lead_ministry="mophrd",
        supporters=("beoe", "opf"),
        themes=("Labour migration", "Diaspora engagement", "Protection of migrants' rights"),
        summary="Safe emigration for work and welfare services for overseas Pakistanis.",
        experts=("drafter2", "reviewer2"),
        target=State.AWAITING_ENDORSEMENT,
        due_in=(-60, -5),
        translations=("ur",),
    ),
    PolicySpec(
        title="Policy on Engagement with Iraqis Abroad",
        short_title="Iraq Engagement with Iraqis Abroad",
        lead_ministry="momd",
        supporters=("mofa_iq", "molsa_iq"),
        themes=("Diaspora engagement", "Return and reintegration"),
        summary="Reaching Iraqis abroad, drawing on their skills, and supporting returns.",
        experts=("drafter1", "reviewer2"),
        target=State.AWAITING_ENDORSEMENT,
        due_in=(-50, -3),
        translations=("ar", "ku"),
    ),
    PolicySpec(
        title="National Policy on Prevention of Smuggling of Migrants",
        short_title="Pakistan Smuggling of Migrants Policy",
        lead_ministry="moi_pk",
        supporters=("fia",),
        themes=("Countering migrant smuggling", "Protection of migrants' rights"),
        summary="Prevention and prosecution of migrant smuggling; referral of smuggled migrants.",
        experts=("drafter2", "reviewer1"),
        target=State.ENDORSED,
        due_in=(-150, -90),
    ),
    PolicySpec(
        title="Policy on the Return and Reintegration of Afghan Returnees",
        short_title="Afghanistan Return and Reintegration Policy",
        lead_ministry="morr",
        supporters=("molsa_af",),
        themes=("Return and reintegration", "Labour migration"),
        summary="Reception, referral and livelihood support for Afghans returning home.",
        experts=("drafter1", "reviewer2"),
        target=State.EXPERT_REVIEW,
        revision_round=False,
        due_in=(10, 60),
    ),
    PolicySpec(
        title="Policy on the Reintegration of Returning Iraqi Migrants",
        short_title="Iraq Returning Migrants Policy",
        lead_ministry="momd",
        supporters=("mofa_iq", "molsa_iq"),
        themes=("Return and reintegration", "Protection of migrants' rights"),
        summary="Documentation, employment and social protection for Iraqis returning from abroad.",
        experts=("drafter2", "reviewer1"),
        target=State.INSTITUTIONAL_SUPPORT,
        revision_round=False,
        decisions=(Support.Decision.SUPPORTED,),
        due_in=(-20, 14),
    ),
    PolicySpec(
        title="National Diaspora Engagement Policy of Afghanistan",
        short_title="Afghanistan Diaspora Engagement Policy",
        lead_ministry="morr",
        supporters=("mofa_af",),
        themes=("Diaspora engagement",),
        summary="Channels for the Afghan diaspora to contribute skills and investment.",
        experts=("drafter1", "reviewer1"),
        target=State.WITHDRAWN,
    ),
    # The Overseas Pakistanis Foundation declined: the coordinator has a
    # decline to resolve, and the Bureau still owes its own decision.
    PolicySpec(
        title="Policy on the Return and Reintegration of Pakistani Migrant Workers",
        short_title="Pakistan Returning Workers Policy",
        lead_ministry="mophrd",
        supporters=("opf", "beoe"),
        themes=("Return and reintegration", "Labour migration"),
        summary="Skills recognition, job placement and welfare for returning workers.",
        experts=("drafter2", "reviewer2"),
        target=State.INSTITUTIONAL_SUPPORT,
        revision_round=False,
        decisions=(Support.Decision.DECLINED,),
        due_in=(-30, 21),
    ),
    # Version 2 answers the review's changes and waits for the reviewer again.
    PolicySpec(
        title="National Labour Migration Policy of Iraq",
        short_title="Iraq Labour Migration Policy",
        lead_ministry="momd",
        supporters=("molsa_iq",),
        themes=("Labour migration", "Protection of migrants' rights"),
        summary="Regular pathways for Iraqi workers abroad, and their protection there.",
        experts=("drafter2", "reviewer1"),
        target=State.EXPERT_REVIEW,
        due_in=(12, 55),
    ),
    # The reviewer asked for changes: the draft is back with its drafter.
    PolicySpec(
        title="Policy on the Protection of Afghan Migrants Abroad",
        short_title="Afghanistan Migrants Abroad Policy",
        lead_ministry="morr",
        supporters=("mofa_af", "molsa_af"),
        themes=("Protection of migrants' rights", "Labour migration"),
        summary="Consular protection, legal aid and safe labour pathways for Afghans abroad.",
        experts=("drafter1", "reviewer1"),
        target=State.DRAFTING,
        due_in=(30, 80),
    ),
)

# The accounts the README's tour suggests: each finds something waiting on
# its dashboard (tests/test_load_demo.py holds the portfolio to it).
TOUR = ("momd", "beoe", "reviewer1", "drafter1", "coordinator", "morr", "molsa.iq", "reviewer2")
# Follows the portfolio: nothing ever waits on it.
OBSERVER = "observer"


@dataclass(frozen=True)
class Login:
    username: str
    name: str
    organisation: str
    role: str


@dataclass
class DemoLoad:
    """What a load did, for the command to report."""

    logins: list
    created: list
    existing: list


def load_demo(password=PASSWORD):
    """Load the demo portfolio in one transaction and set every demo password.

    If anything fails, the database is left as it was, and the document
    files already written to storage are removed again.
    """
    stored_files = []
    try:
        with transaction.atomic():
            return _load(password, stored_files)
    except BaseException:
        for name in stored_files:
            default_storage.delete(name)
        raise


def _load(password, stored_files):
    organisations = {
        key: Organization.objects.get_or_create(
            name=name, defaults={"short_name": short_name, "kind": kind, "country": country}
        )[0]
        for key, (name, short_name, kind, country) in ORGANISATIONS.items()
    }
    people, speaks_for, logins = {}, {}, []
    for username, first_name, last_name, key, role in PEOPLE:
        user = _person(username, first_name, last_name, password)
        membership, _ = Membership.objects.get_or_create(
            user=user, organization=organisations[key], role=role
        )
        membership.full_clean()
        people[username] = speaks_for[key] = user
        logins.append(Login(username, user.get_full_name(), organisations[key].name, role.label))
    Group.objects.filter(name__in=RETIRED_GROUPS).delete()
    for username, user in people.items():
        _set_admin_access(user, administers=username == "coordinator")
    admin = _person(*SUPERUSER, password, is_staff=True, is_superuser=True)
    logins.append(Login(admin.username, admin.get_full_name(), "", "Superuser"))

    project, _ = Project.objects.get_or_create(
        name=PROJECT,
        defaults={"short_name": PROJECT_SHORT, "implementer": organisations["icmpd"]},
    )
    project.donors.add(organisations["eu"])
    if (project.version_language, project.translation_languages) != ("en", DOCUMENT_LANGUAGES):
        project.version_language, project.translation_languages = "en", DOCUMENT_LANGUAGES
        project.save(update_fields=["version_language", "translation_languages"])
    # An endorsement is recorded with its decree; institutions' letters are kept
    # where they came, without being required.
    if not project.endorsement_letter_required:
        project.endorsement_letter_required = True
        project.save(update_fields=["endorsement_letter_required"])

    result = DemoLoad(logins=logins, created=[], existing=[])
    for spec in POLICIES:
        if Policy.objects.filter(short_title=spec.short_title).exists():
            result.existing.append(spec.title)
            continue
        _build_policy(spec, project, organisations, people, speaks_for, stored_files)
        result.created.append(spec.title)
    return result


def _person(username, first_name, last_name, password, **flags):
    """Find or create the user; the password is set on every load, so the output is true."""
    user, _ = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@demo.policyflow.example",
        },
    )
    for flag, value in flags.items():
        setattr(user, flag, value)
    user.set_password(password)
    user.save()
    return user


def _set_admin_access(user, administers):
    """Open the admin to a coordinator, with their group's pages; close it to anyone else."""
    if administers:
        group, _ = Group.objects.get_or_create(name=COORDINATORS)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label__in=("workflow", "documents"),
                codename__in=COORDINATOR_PERMISSIONS,
            )
        )
        user.groups.add(group)
    else:
        user.groups.remove(*Group.objects.filter(name=COORDINATORS))
    if user.is_staff != administers:
        user.is_staff = administers
        user.save(update_fields=["is_staff"])


# How a policy's history is laid out in time (days). Drafting takes about a
# month before the first submission; the review ends a few days before it
# is due, each institution answers a few days before support is due, and
# the ministry endorses some weeks after the last support.
DRAFTING_DAYS = 28
REVIEW_DAYS = 70
DAYS_BEFORE_DUE = 3
ENDORSED_AFTER_SUPPORT = 20
# Working hours the steps of one phase are spread over.
WORKDAY = (datetime.time(9, 10), datetime.time(17, 30))


def _build_policy(spec, project, organisations, people, speaks_for, stored_files):
    """Register the policy and walk it to ``spec.target`` as its people would.

    Each step runs at its own moment in the past (``workflow.clock``), so
    the history reads as months of work that end where the due dates say.
    """
    today = timezone.localdate()
    coordinator = people["coordinator"]
    drafter, reviewer = (people[username] for username in spec.experts)
    lead_ministry = organisations[spec.lead_ministry]
    review_due, support_due = (
        None if days is None else today + datetime.timedelta(days=days) for days in spec.due_in
    )
    content = DraftContent(
        title=spec.title,
        country=lead_ministry.country.code,
        lead_ministry=lead_ministry.name,
        partners=tuple(_prose_name(organisations[key]) for key in spec.supporters),
        focus=spec.summary,
        themes=spec.themes,
        author=drafter.get_full_name(),
    )
    policy = None

    def register():
        nonlocal policy
        policy = services.register_policy(
            actor=coordinator,
            project=project,
            title=spec.title,
            short_title=spec.short_title,
            country=lead_ministry.country.code,
            lead_ministry=lead_ministry,
            summary=spec.summary,
            themes=[Theme.objects.get_or_create(name=name)[0] for name in spec.themes],
            required_supporters=[organisations[key] for key in spec.supporters],
            drafters=[drafter],
            reviewers=[reviewer],
            review_due=review_due,
            support_due=support_due,
        )

    def upload(number):
        draft = render_draft(content, number)
        name = f"{spec.short_title} v{number}.docx"
        version = add_version(
            policy,
            actor=drafter,
            uploaded_file=SimpleUploadedFile(name, draft, DOCX_TYPE),
            note=VERSION_NOTES[number],
        )
        stored_files.append(version.file.name)

    def translate(number):
        for code in spec.translations:
            translation = add_translation(
                policy,
                actor=drafter,
                version=policy.current_version,
                language=code,
                uploaded_file=SimpleUploadedFile(
                    f"{spec.short_title} v{number} ({code}).docx",
                    render_translation(code, number),
                    DOCX_TYPE,
                ),
            )
            stored_files.append(translation.file.name)

    def transition(name, **arguments):
        services.perform_transition(policy, name, **arguments)

    def review(decision, comment, *, marked_up=False):
        if not marked_up:
            services.record_review(policy, actor=reviewer, decision=decision, comment=comment)
            return
        copy = render_marked_up(content, policy.current_version.number, reviewer.get_full_name())
        saved = record_review_with_copy(
            policy,
            actor=reviewer,
            decision=decision,
            comment=comment,
            marked_up_copy=SimpleUploadedFile(f"{spec.short_title} reviewed.docx", copy, DOCX_TYPE),
        )
        stored_files.append(saved.marked_up_copy.file.name)

    def decide(key, decision):
        supporter = organisations[key]
        supported = decision == Support.Decision.SUPPORTED
        support = services.record_support(
            policy,
            actor=speaks_for[key],
            organization=supporter,
            decision=decision,
            statement=(
                f"The {_prose_name(supporter)} supports this version of the policy."
                if supported
                else DECLINE
            ),
            letter=letters.support_letter(
                institution=supporter.name,
                policy_title=spec.title,
                version=policy.current_version.number,
                supported=supported,
                date=clock.today(),
                signatory=speaks_for[key].get_full_name(),
                number=policy.pk * 10 + spec.supporters.index(key) + 1,
            ),
        )
        stored_files.extend(letter.file.name for letter in support.letters.all())

    def endorse():
        endorsed_on = clock.today()
        instrument = f"Cabinet decision No. 123/{endorsed_on.year}"
        endorser = speaks_for[spec.lead_ministry]
        transition(
            "endorse",
            actor=endorser,
            comment=ENDORSEMENT_NOTE,
            instrument=instrument,
            date=endorsed_on,
            decree=letters.decree(
                ministry=lead_ministry.name,
                policy_title=spec.title,
                version=policy.current_version.number,
                instrument=instrument,
                date=endorsed_on,
                signatory=endorser.get_full_name(),
            ),
        )
        decrees = policy.evidence.filter(endorsement__isnull=False)
        stored_files.extend(decrees.values_list("file", flat=True))

    drafting = [register, partial(upload, 1)]
    if spec.translations:
        drafting.append(partial(translate, 1))
    review_steps, support_steps, endorsement = [], [], []
    reviewed = _reviewed(spec)
    if spec.target == State.WITHDRAWN:
        drafting.append(
            partial(transition, "withdraw", actor=coordinator, comment=WITHDRAWAL_REASON)
        )
    elif reviewed:
        review_steps.append(partial(transition, "submit_for_review", actor=drafter))
        if spec.revision_round:
            review_steps += [
                partial(
                    review,
                    Review.Decision.CHANGES_REQUESTED,
                    CHANGES_REQUESTED,
                    marked_up=spec.marked_up_review,
                ),
                partial(transition, "request_revision", actor=reviewer, comment=REVISION_REASON),
            ]
            if spec.target != State.DRAFTING:
                review_steps += [
                    partial(upload, 2),
                    *([partial(translate, 2)] if spec.translations else []),
                    partial(transition, "submit_for_review", actor=drafter),
                ]
        if spec.target not in (State.DRAFTING, State.EXPERT_REVIEW):
            review_steps += [
                partial(review, Review.Decision.APPROVED, APPROVAL),
                partial(transition, "clear_review", actor=reviewer),
            ]
            decisions = spec.decisions or (Support.Decision.SUPPORTED,) * len(spec.supporters)
            support_steps = [
                partial(decide, key, decision)
                for key, decision in zip(spec.supporters, decisions, strict=False)
            ]
        if spec.target == State.ENDORSED:
            endorsement = [endorse]

    phases = _phases(spec.target, today, review_due, support_due, reviewed=reviewed)
    for steps, (first, last) in zip(
        (drafting, review_steps, support_steps, endorsement), phases, strict=True
    ):
        for step, moment in zip(steps, _moments(first, last, len(steps)), strict=True):
            with clock.at(moment):
                step()
    return policy


def _reviewed(spec):
    """Whether the policy's history goes through expert review at all."""
    if spec.target == State.WITHDRAWN:
        return False
    return spec.target != State.DRAFTING or spec.revision_round


def _phases(target, today, review_due, support_due, *, reviewed):
    """(first day, last day) of drafting, review, support and endorsement.

    The review starts ``REVIEW_DAYS`` before it is due, after a month of
    drafting; each phase a policy went through ends a few days before it
    was due, and one still under way runs until a few days ago. A policy
    never submitted has been drafted for the last month.
    """
    day = datetime.timedelta(days=1)
    recent = today - DAYS_BEFORE_DUE * day

    def ended(due):
        return min(due - DAYS_BEFORE_DUE * day, recent) if due else recent

    submitted = min((review_due or today) - REVIEW_DAYS * day, recent)
    registered = submitted - DRAFTING_DAYS * day
    drafting_end = submitted - day
    if not reviewed:
        drafting_end = recent
        if target == State.DRAFTING:
            registered = today - DRAFTING_DAYS * day
    review_end = max(submitted, ended(review_due))
    support_start = review_end + day
    support_end = max(support_start, ended(support_due))
    endorsed = min(support_end + ENDORSED_AFTER_SUPPORT * day, today - day)
    return (
        (registered, drafting_end),
        (submitted, review_end),
        (support_start, support_end),
        (endorsed, endorsed),
    )


def _moments(first, last, count):
    """``count`` aware datetimes in working hours, spread from day ``first`` to day ``last``.

    One step a day at most where the days allow it; steps that share a day
    follow each other in the course of it.
    """
    if not count:
        return []
    span = (last - first).days
    days = [first + datetime.timedelta(days=span * i // max(count - 1, 1)) for i in range(count)]
    start, end = (datetime.datetime.combine(first, t) for t in WORKDAY)
    moments, previous = [], None
    for i, day in enumerate(days):
        hour = datetime.datetime.combine(day, WORKDAY[0]) + (end - start) * i / (2 * count)
        if previous is not None and hour <= previous:
            hour = previous + datetime.timedelta(minutes=37)
        moments.append(hour)
        previous = hour
    return [timezone.make_aware(moment) for moment in moments]


def _prose_name(organisation):
    """The name as a sentence uses it: without the country added for uniqueness."""
    return organisation.name.split(" (")[0]
