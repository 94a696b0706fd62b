"""``manage.py ingest``: run an ingest in the foreground, as the workers run it.

    manage.py ingest --source "IATI: Germany"
    manage.py ingest --adapter iati --file activities.xml
    manage.py ingest --adapter csv --file pledges.csv --option donor=Germany
    manage.py ingest --adapter news --file ARTICLE.txt --published 2025-07-10 --url URL

It shows a progress bar and ends with a table of the run's counts; the exit status is 1
when the run failed, with one line saying why (a fetch error included: an unknown host, a
refused connection, an HTTP error), and 2 for a bad command line.
"""

import json
import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.adapters import ADAPTERS
from ingest.models import AdapterName, IngestRun, IngestSource, RunStatus
from ingest.runner import ingest_location, ingest_source
from ingest.screening import unstorable_in
from ingest.services.runs import SourceBusy
from news.models import Candidate

SHOWN_REJECTIONS = 10


def _option(text: str) -> tuple[str, Any]:
    name, separator, value = text.partition("=")
    if not separator or not name:
        raise CommandError(f"--option takes NAME=VALUE, not {text!r}.")
    try:
        return name, json.loads(value)
    except json.JSONDecodeError:
        return name, value


def _article_options(options: dict[str, Any]) -> dict[str, str]:
    """--published and --url as the news adapter's options; a bad date is refused here,
    before a run is recorded."""
    given = {name: options[name] for name in ("published", "url") if options[name]}
    if given and (options["source"] or options["adapter"] != "news"):
        raise CommandError("--published and --url go with --file and --adapter news.")
    if "published" in given:
        try:
            date.fromisoformat(given["published"])
        except ValueError:
            raise CommandError(
                f"--published {given['published']!r} is not a date (YYYY-MM-DD)."
            ) from None
    return given


class Command(BaseCommand):
    help = "Ingest a configured source, or a file with a given adapter, in the foreground."

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--source", help="The name of a configured ingest source.")
        which.add_argument("--file", help="A file path or URL to ingest (needs --adapter).")
        parser.add_argument("--adapter", choices=sorted(ADAPTERS))
        parser.add_argument(
            "--full",
            action="store_true",
            help="Read the content even if an earlier run landed the very same content.",
        )
        parser.add_argument(
            "--follow-next",
            action="store_true",
            help="Follow an FTS page's nextLink from a local --file to the web too (by default "
            "only to a file in the same directory); the option follow_next_link=true.",
        )
        parser.add_argument(
            "--published",
            metavar="YYYY-MM-DD",
            help="A news article's publication date, where the file does not give it (the "
            "option published).",
        )
        parser.add_argument(
            "--url", help="A news article's URL, where the file does not give it (the option url)."
        )
        parser.add_argument(
            "--option",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="An adapter option for --file (repeatable), e.g. donor=Germany.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Rich writes to the raw stream (call_command's stdout=, else the terminal).
        console = Console(file=options.get("stdout") or sys.stdout, highlight=False)
        with Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[counts]}"),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        ) as bar:
            task = bar.add_task("ingest", total=1.0, counts="")

            def progress(run: IngestRun, share: float | None) -> None:
                counts = ", ".join(f"{name} {value:,}" for name, value in run.counts.items())
                bar.update(task, completed=share if share is not None else 0, counts=counts)

            run = self._run(options, progress)
        if run.seen or run.rejected:  # a run that read nothing has only its error to say
            console.print(self._summary(run))
        if run.adapter == AdapterName.NEWS and run.created:
            proposed = Candidate.objects.filter(article__first_run=run).count()
            console.print(f"{proposed:,} candidate updates proposed for review (admin: News).")
        for rejection in run.rejections.all()[:SHOWN_REJECTIONS]:
            console.print(f"rejected {rejection.position}: {rejection.reason}", markup=False)
        if run.rejected > SHOWN_REJECTIONS:
            console.print(f"... and {run.rejected - SHOWN_REJECTIONS:,} more (see the admin).")
        if run.stopped_at_page and run.status != RunStatus.FAILED:
            console.print(
                f"Stopped before page {run.stopped_at_page}: its link {run.stopped_at_url} was "
                "not followed (option follow_next_link; --follow-next follows a local file's "
                "link to the web).",
                markup=False,
            )
        if run.status == RunStatus.FAILED:
            # One line, whatever the error's text (a parser's message may span lines).
            error = " ".join(run.error.split())
            raise CommandError(f"Run {run.pk} failed: {error}", returncode=1)

    def _run(self, options: dict[str, Any], progress: Any) -> IngestRun:
        # Bytes that are not UTF-8 reach Python as lone surrogates, which no database stores.
        problem = unstorable_in(
            [
                *(options[name] or "" for name in ("source", "file", "published", "url")),
                *options["option"],
            ]
        )
        if problem:
            raise CommandError(f"The command line contains {problem}: is it UTF-8?")
        if options["source"]:
            if options["adapter"] or options["option"] or options["follow_next"]:
                raise CommandError(
                    "--adapter, --option and --follow-next go with --file; a source has its own "
                    "options."
                )
            _article_options(options)
            source = IngestSource.objects.filter(name=options["source"]).first()
            if source is None:
                names = ", ".join(IngestSource.objects.values_list("name", flat=True)) or "none"
                raise CommandError(f"No ingest source {options['source']!r} (there are: {names}).")
            try:
                return ingest_source(
                    source, trigger="command", full=options["full"], progress=progress
                )
            except SourceBusy as busy:
                raise CommandError(f"{busy} Try again in {busy.retry_after:.0f} s.") from busy
        if not options["adapter"]:
            raise CommandError("--file needs --adapter ({}).".format(", ".join(sorted(ADAPTERS))))
        adapter_options = dict(_option(text) for text in options["option"])
        if options["follow_next"]:
            adapter_options["follow_next_link"] = True
        adapter_options |= _article_options(options)
        return ingest_location(
            options["adapter"],
            options["file"],
            options=adapter_options,
            full=options["full"],
            progress=progress,
        )

    def _summary(self, run: IngestRun) -> Table:
        table = Table(title=f"Run {run.pk}: {run.get_status_display()}")
        for name in run.counts:
            table.add_column(name, justify="right")
        table.add_row(*(f"{value:,}" for value in run.counts.values()))
        if run.same_as_id:
            table.caption = (
                f"The same content as run {run.same_as_id}, which landed all of it: "
                "not read again (--full reads it)."
            )
        return table
