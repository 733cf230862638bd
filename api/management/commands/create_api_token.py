"""``manage.py create_api_token USERNAME --name NAME [--days N]``: a token for a script.

Only the token is written to standard output, so that it can be piped
into a secret store; it is shown this once and kept nowhere.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from api import tokens


class Command(BaseCommand):
    help = "Make a personal API token for a user and print it (only the token)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="What the token is for.")
        parser.add_argument(
            "--days", type=int, default=None, help="How long it lasts (default: the setting)."
        )

    def handle(self, *args, username, name, days, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user is called {username!r}.") from None
        try:
            _row, token = tokens.create_token(user, name=name, lifetime_days=days)
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            messages = [m for field in error.message_dict.values() for m in field]
            raise CommandError(" ".join(messages)) from None
        self.stdout.write(token)
