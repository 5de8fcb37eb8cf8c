"""Issue a token for a system that files complaints automatically (issue 3
item 6): `manage.py api_client_create "95519 call centre" --user cc_bot`.
With --rotate CLIENT_ID, replace an existing client's token. The token is
printed once; only its SHA-256 hash is stored."""

from django.core.management.base import BaseCommand, CommandError

from kesu.accounts.models import ApiClient, User
from kesu.apiauth import api_client_create, token_issue
from kesu.errors import DomainError


class Command(BaseCommand):
    help = "Create an API client (or rotate its token) and print the token once."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="client name")
        parser.add_argument("--user", help="username the client acts as")
        parser.add_argument("--rotate", type=int, help="id of a client to re-issue")

    def handle(self, *args, name=None, user=None, rotate=None, **options):
        if rotate:
            client = ApiClient.objects.filter(pk=rotate).first()
            if client is None:
                raise CommandError(f"no API client with id {rotate}")
            token = token_issue(client=client)
        else:
            if not name or not user:
                raise CommandError("give a name and --user (or --rotate ID)")
            acting = User.objects.filter(username=user).first()
            if acting is None:
                raise CommandError(f"no user {user!r}")
            try:
                client, token = api_client_create(name=name, acting_user=acting)
            except DomainError as exc:
                raise CommandError(str(exc.message)) from exc
        self.stdout.write(f"client {client.pk} ({client.name}): {token}")
        self.stderr.write("store this token now; it cannot be shown again")
