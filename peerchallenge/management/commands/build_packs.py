"""Build challenge packs (PDF) and pro-formas (DOCX) into a folder, with a progress bar.

    python manage.py build_packs --summit ID [--allow-missing] --out DIR
    python manage.py build_packs --council GSS [--council GSS ...] [--period 2023-24] --out DIR

Files are named ``<GSS code>-<council name>-<period>.pdf`` and ``…-pro-forma.docx``. Without ``--period``
each council's pack is for its latest year with figures; a summit's are for the year its coordinator chose.
A year with no figures for a council is refused, naming the council (``--allow-missing`` builds a summit's
packs anyway, as the coordinator confirmed when planning it). Packs come from the cache when nothing they
show has changed (see ``peerchallenge/packs/services.py``).
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from councils.models import Council
from peerchallenge.models import Summit
from peerchallenge.packs import services
from peerchallenge.selectors import summit_period
from scorecard.models import Period
from scorecard.periods import council_figure_counts, latest_period_with_figures


def progress_bar(done: int, total: int, label: str, *, width: int = 30) -> str:
    filled = width * done // total if total else width
    return f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label[:40]:<40}"


def _figures_check(councils: list[Council], period: Period | None, *, allow_missing: bool) -> None:
    """Refuse (exit 1) a pack for a year with no figures for its council, naming each such council; with no
    ``period``, a council with no figures at all."""
    if period is None:
        lacking = [c for c in councils if latest_period_with_figures(council_id=c.pk) is None]
        what = "no figures loaded"
    else:
        counts = council_figure_counts(period=period, council_ids=[c.pk for c in councils])
        lacking = [c for c in councils if not counts.get(c.pk)]
        what = f"no figures for {period.label}"
    if lacking and not allow_missing:
        names = ", ".join(f"{c.name} ({c.gss_code})" for c in lacking)
        hint = (
            ""
            if period is None
            else " Choose a year with figures (--period), or leave it out for the latest."
        )
        raise CommandError(f"{names}: {what}.{hint}")


class Command(BaseCommand):
    help = "Build challenge packs (PDF) and pro-forma question sets (DOCX) into a folder."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--summit", type=int, help="every pack of this summit (by id)")
        parser.add_argument("--council", action="append", default=[], metavar="GSS", help="a council's pack")
        parser.add_argument(
            "--period", help="the data period, e.g. 2023-24 (default: each council's latest with figures)"
        )
        parser.add_argument(
            "--allow-missing",
            action="store_true",
            help="build a summit's packs even where a council has no figures for the summit's year",
        )
        parser.add_argument("--out", required=True, help="the folder to write the files to")
        parser.add_argument(
            "--workers",
            type=int,
            help="build a summit's packs in this many processes (default: the PACK_WORKERS setting, the "
            "machine's CPUs up to 4)",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if bool(options["summit"]) == bool(options["council"]):
            raise CommandError("Give either --summit ID or one or more --council GSS.")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        if options["summit"]:
            if options["period"]:
                raise CommandError(
                    "--period is for --council packs; a summit's packs use its cycle's period."
                )
            summit = (
                Summit.objects.select_related("region", "cycle__period", "period")
                .filter(pk=options["summit"])
                .first()
            )
            if summit is None:
                raise CommandError(f"No summit with id {options['summit']}.")
            councils = services.summit_pack_councils(summit=summit)
            if not councils:
                raise CommandError("The summit has no pairings yet: pair the councils first.")
        else:
            summit = None
            codes = options["council"]
            found = {
                c.gss_code: c for c in Council.objects.filter(gss_code__in=codes).select_related("region")
            }
            unknown = [code for code in codes if code not in found]
            if unknown:
                raise CommandError(f"Unknown GSS code(s): {', '.join(unknown)}.")
            councils = [found[code] for code in dict.fromkeys(codes)]
        period = None
        if options["period"]:
            period = Period.objects.filter(label=options["period"]).first()
            if period is None:
                raise CommandError(f"No data period {options['period']}.")
        if summit is not None:
            _figures_check(councils, summit_period(summit=summit), allow_missing=options["allow_missing"])
        else:
            _figures_check(councils, period, allow_missing=False)

        def note(done: int, total: int, name: str) -> None:
            self.stderr.write(progress_bar(done, total, name), ending="")
            self.stderr.flush()

        note(0, len(councils), "")
        if summit is not None:
            built = services.summit_packs_build(
                summit=summit, progress=note, workers=max(options["workers"] or settings.PACK_WORKERS, 1)
            )
        else:
            cache: dict = {}
            built = []
            for done, council in enumerate(councils, start=1):
                built.append(
                    services.pack_files_get_or_build(council=council, period=period, overview_cache=cache)
                )
                note(done, len(councils), council.name)
        written = []
        for files in built:
            for name, target in (
                (files.pdf, files.pdf_download_name),
                (files.docx, files.docx_download_name),
            ):
                with default_storage.open(name, "rb") as handle:
                    (out / target).write_bytes(handle.read())
                written.append(target)
        self.stderr.write(progress_bar(len(councils), len(councils), "done"))
        self.stdout.write(
            f"Wrote {len(written)} files for {len(councils)} councils to {out} in {time.perf_counter() - started:.1f} s."
        )
