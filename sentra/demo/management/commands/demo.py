from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sentra.demo.services import DEFAULT_SCALE, DEFAULT_SEED, MAX_SCALE, DemoError, load_demo
from sentra.demo.users import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Load a deterministic, realistic demo data set for the home regency: one account per role "
        f"(password {DEMO_PASSWORD!r}), SMEs imported through the spreadsheet import, and cooperatives. "
        "Running it again at the same scale changes nothing; a larger scale adds the missing rows."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=DEFAULT_SCALE,
            help=f"number of SMEs, 1 to {MAX_SCALE} (default %(default)s)",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="random seed (default %(default)s)"
        )
        parser.add_argument("--csv", type=Path, help="also write the generated SME rows to this CSV file")

    def handle(self, *args, scale, seed, csv, verbosity, **options):
        say = self.stdout.write if verbosity > 0 else (lambda message: None)
        try:
            result = load_demo(scale=scale, seed=seed, csv_copy=csv, say=say)
        except DemoError as exc:
            raise CommandError(str(exc)) from None
        for summary in result.areas:
            say(summary)
        if result.skipped:
            say(
                _("Demo data (seed %(seed)s, %(scale)s SMEs) is already loaded.")
                % {"seed": seed, "scale": scale}
            )
            return
        say(
            _(
                "Demo data loaded in %(seconds).0f s: %(created)s SMEs created, %(updated)s updated, "
                "%(unchanged)s unchanged, %(rejected)s rejected; %(cooperatives)s cooperatives added."
            )
            % {
                "seconds": result.seconds,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "rejected": result.rejected,
                "cooperatives": result.cooperatives,
            }
        )
