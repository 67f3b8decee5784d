from django.core.management.base import BaseCommand, CommandError

from councils.models import ApiToken, User


class Command(BaseCommand):
    help = "Issue a read-only API token for a user and print it once (only its hash is stored)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username")
        parser.add_argument("--name", default="API token", help="What the token is for, e.g. 'BI dashboard'")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        user = User.objects.filter(username=options["username"]).first()
        if user is None or not user.is_active:
            raise CommandError(f"No active user called {options['username']!r}.")
        _, raw_key = ApiToken.issue(user=user, name=options["name"])
        self.stdout.write(
            self.style.SUCCESS(f"Token for {user.username} ({options['name']}); it is shown once:")
        )
        self.stdout.write(raw_key)
        self.stdout.write("Send it as the header:  Authorization: Token <key>")
