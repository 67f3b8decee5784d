import json

from django.core.management.base import BaseCommand, CommandError

from peerchallenge import pairing
from peerchallenge.services import pairing_problem_build


class Command(BaseCommand):
    help = (
        "Pair councils for a peer challenge summit: every council challenges once and is challenged once, in "
        "pairs (roles reversed) or triads. Known councils are paired for complementary scorecards."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "codes", nargs="+", metavar="CODE", help="the councils' GSS codes (an unknown code is refused)"
        )
        parser.add_argument(
            "--avoid", action="append", default=[], metavar="A:B", help="never in the same group"
        )
        parser.add_argument(
            "--recent", action="append", default=[], metavar="A:B", help="avoided whenever possible"
        )
        parser.add_argument(
            "--triads", action="store_true", help="use groups of three where the count allows"
        )
        parser.add_argument("--seed", type=int, default=0, help="tie-break seed (same seed, same result)")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            avoid = [pairing.parse_pair(p) for p in options["avoid"]]
            recent = [pairing.parse_pair(p) for p in options["recent"]]
            problem = pairing_problem_build(
                codes=options["codes"],
                avoid=avoid,
                recent=recent,
                triads=options["triads"],
                seed=options["seed"],
            )
            result = pairing.pair_councils(problem)
        except (ValueError, pairing.PairingError) as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), indent=2))
            return
        for n, group in enumerate(result.groups, start=1):
            sessions = "; ".join(f"{a} challenges {b}" for a, b in group.sessions)
            self.stdout.write(f"Group {n}: {sessions}\n  {group.reasons}")
        self.stdout.write("Optimal." if result.optimal else "Good, not proved optimal.")
