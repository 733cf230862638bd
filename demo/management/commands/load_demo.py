"""``manage.py load_demo``: the Silk Routes demo portfolio, ready to log in to.

It exists only in demo mode (``POLICYFLOW_DEMO=1`` installs this app), and
refuses to run otherwise: it makes ``admin`` a superuser with the published
demo password.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo.portfolio import PASSWORD, load_demo


class Command(BaseCommand):
    # Plain strings: argparse cannot format lazy translations.
    help = (
        "Load demo organisations, users and policies in every workflow state. "
        "Safe to run again: what exists is kept. It resets the demo users' passwords, "
        "so never run it against a production database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=PASSWORD,
            help="Password for every demo user (default: %(default)s).",
        )

    def handle(self, *args, password, **options):
        if not settings.POLICYFLOW_DEMO:
            raise CommandError(
                _(
                    "load_demo runs only in demo mode (POLICYFLOW_DEMO=1): it gives the "
                    "demo users, a superuser among them, a published password. "
                    "Nothing was written."
                )
            )
        result = load_demo(password=password)
        for title in result.created:
            self.stdout.write(_("Created policy: %(title)s") % {"title": title})
        for title in result.existing:
            self.stdout.write(_("Already present, left as it is: %(title)s") % {"title": title})
        self.stdout.write("")
        self._print_logins(result.logins)
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(
                _("All demo users log in with the password: %(password)s") % {"password": password}
            )
        )

    def _print_logins(self, logins):
        headings = (_("Username"), _("Name"), _("Organisation"), _("Role"))
        rows = [
            (login.username, login.name, login.organisation or "—", login.role) for login in logins
        ]
        widths = [max(len(str(row[i])) for row in [headings, *rows]) for i in range(4)]
        for row in [headings, ["-" * width for width in widths], *rows]:
            self.stdout.write(
                "  ".join(
                    str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
