"""`sentra bebeli_summaries`: recompute the kept Bebeli figures from the purchases, or check them."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sentra.bebeli import summaries


class Command(BaseCommand):
    help = (
        "Recompute the Bebeli summaries (monthly totals, payment delays, buyer and SME amounts) from the "
        "verified purchases; with --check, compare the kept ones with a recomputation first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="compare the kept summaries with a recomputation; keep them and fail if they differ",
        )

    def handle(self, *args, check=False, **options):
        start = time.perf_counter()
        if not check:
            summaries.rebuild()
            self.stdout.write(
                _("Bebeli summaries recomputed from the purchases in %(seconds).1f s.")
                % {"seconds": time.perf_counter() - start}
            )
            return
        differences = summaries.check()
        if not differences:
            self.stdout.write(
                _("The kept Bebeli summaries agree with the purchases (checked in %(seconds).1f s).")
                % {"seconds": time.perf_counter() - start}
            )
            return
        for table, (kept, rebuilt) in differences.items():
            self.stderr.write(
                _(
                    "%(table)s: %(kept)s rows only in the kept summaries, %(rebuilt)s only in the recomputation."
                )
                % {"table": table, "kept": len(kept), "rebuilt": len(rebuilt)}
            )
            for row in sorted(kept)[:5]:
                self.stderr.write(f"  - {row}")
            for row in sorted(rebuilt)[:5]:
                self.stderr.write(f"  + {row}")
        raise CommandError(
            _(
                "The kept Bebeli summaries differ from the purchases; run `sentra bebeli_summaries` to recompute them."
            )
        )
