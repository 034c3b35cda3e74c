"""The `colloquy` command line: ingest, read back, search and summarize the library, run the bot."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from bot.ingest import FORMATS
from bot.library.models import GLOBAL_LIBRARY
from bot.library.service import IngestOutcome, NotFoundError
from bot.services import Services, configure_logging, open_services
from bot.settings import Settings, SettingsError, load_settings

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database schema commands.", no_args_is_help=True)
speakers_app = typer.Typer(help="List and rename speakers.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(speakers_app, name="speakers")

T = TypeVar("T")
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (shape documented in the README).")]


def _settings() -> Settings:
    try:
        settings = load_settings()
    except SettingsError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    configure_logging(settings.log_level)
    return settings


def _run(work: Callable[[Services], Awaitable[T]]) -> T:
    """Open the services, run one unit of work, close everything; known errors become one-line messages."""

    async def main() -> T:
        async with open_services(_settings()) as services:
            return await work(services)

    try:
        return asyncio.run(main())
    except NotFoundError as exc:
        typer.echo(f"error: {exc.args[0]}", err=True)
        raise typer.Exit(1) from None


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _expand(paths: list[Path]) -> list[Path]:
    """Files as given, folders walked recursively (hidden files skipped), in a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.parts))
            )
        else:
            files.append(path)
    return files


async def ingest_files(
    services: Services, paths: list[Path], *, fmt: str | None = None, guild_id: int = GLOBAL_LIBRARY
) -> list[IngestOutcome]:
    """Ingest files and folders one by one, printing one line per file."""
    outcomes = []
    for path in _expand(paths):
        try:
            data = path.read_bytes()
        except OSError as exc:
            outcome = IngestOutcome(str(path), "failed", f"{path}: cannot read ({exc.strerror})")
        else:
            outcome = await services.library.ingest(data, str(path.resolve()), guild_id=guild_id, fmt=fmt)
        typer.echo(("✗ " if outcome.failed else "✓ ") + outcome.message, err=outcome.failed)
        for warning in outcome.warnings:
            typer.echo(f"  warning: {warning}", err=True)
        outcomes.append(outcome)
    return outcomes


def summary_line(outcomes: list[IngestOutcome]) -> str:
    """'N ingested, M unchanged, K failed' for the end of an ingest run."""
    count = {status: sum(o.status == status for o in outcomes) for status in ("ingested", "replaced", "unchanged")}
    failed = sum(o.failed for o in outcomes)
    return (
        f"{count['ingested'] + count['replaced']} ingested ({count['replaced']} replaced), "
        f"{count['unchanged']} skipped as unchanged, {failed} failed"
    )


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Transcript files or folders.")],
    fmt: Annotated[
        str | None, typer.Option("--format", help=f"Skip detection and parse as one of: {', '.join(FORMATS)}.")
    ] = None,
) -> None:
    """Ingest transcripts into the global library; exits non-zero if any file failed."""
    if fmt is not None and fmt not in FORMATS:
        typer.echo(f"error: unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(2)

    async def work(services: Services) -> list[IngestOutcome]:
        return await ingest_files(services, paths, fmt=fmt)

    outcomes = _run(work)
    typer.echo(summary_line(outcomes))
    if not outcomes or any(o.failed for o in outcomes):
        raise typer.Exit(1)


@app.command()
def interviews(
    as_json: JsonOption = False,
    speaker: Annotated[str | None, typer.Option(help="Only interviews where this speaker talks.")] = None,
) -> None:
    """List the interviews in the library."""
    rows = _run(lambda services: services.library.interviews(speaker=speaker))
    if as_json:
        _print_json([row.to_json() for row in rows])
        return
    for row in rows:
        people = ", ".join(f"{p['name']} ({p['turns']})" for p in row.participants)
        typer.echo(f"{row.id:>4}  {row.date or '----------'}  {row.title or Path(row.source).name}")
        typer.echo(f"      {'/'.join(row.languages)} · {people}")


@app.command()
def show(interview_id: Annotated[int, typer.Argument(help="Interview id.")], as_json: JsonOption = False) -> None:
    """Print an interview's clean transcript."""
    detail = _run(lambda services: services.library.interview(interview_id))
    if as_json:
        _print_json(detail.to_json())
        return
    info = detail.info
    typer.echo(f"# {info.title or Path(info.source).name}")
    for key in ("source_url", "date"):
        if getattr(info, key):
            typer.echo(f"{key}: {getattr(info, key)}")
    if info.editor_summary:
        typer.echo("\nEditor's summary (from the source, not Colloquy's):\n" + info.editor_summary)
    section = None
    for turn in detail.turns:
        if turn.section and turn.section != section:
            section = turn.section
            typer.echo(f"\n## {section}")
        stamp = f"[{_clock(turn.start)}] " if turn.start is not None else ""
        typer.echo(f"\n{stamp}{turn.speaker}: {turn.text}")
        if turn.translation:
            typer.echo(f"  ({turn.translation_lang}) {turn.translation}")


def _clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


@app.command()
def remove(interview_id: Annotated[int, typer.Argument(help="Interview id.")]) -> None:
    """Delete an interview from the library."""
    info = _run(lambda services: services.library.remove(interview_id))
    typer.echo(f"removed interview {info.id}: {info.title or info.source}")


@speakers_app.command("list")
def speakers_list(as_json: JsonOption = False) -> None:
    """Everyone in the library, with interview and turn counts."""
    rows = _run(lambda services: services.library.speakers())
    if as_json:
        _print_json([{"name": n, "interviews": i, "turns": t} for n, i, t in rows])
        return
    for name, interviews_count, turns in rows:
        typer.echo(f"{name}: {turns} turns in {interviews_count} interview(s)")


@speakers_app.command("rename")
def speakers_rename(
    old: Annotated[str, typer.Argument(help="Current name, e.g. 'Speaker 1'.")],
    new: Annotated[str, typer.Argument(help="Real name.")],
    interview: Annotated[int | None, typer.Option(help="Only in this interview (recommended for 'Speaker N').")] = None,
) -> None:
    """Rename a speaker, e.g. a diarization label the transcript never resolved."""
    count = _run(lambda services: services.library.rename_speaker(old, new, interview_id=interview))
    typer.echo(f"renamed {old!r} to {new!r} on {count} turns")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database schema (also done automatically at every start)."""

    async def work(services: Services) -> str:
        return services.settings.database_url

    url = _run(work)
    typer.echo(f"database is up to date: {url}")


def main() -> None:
    """Entry point for `python -m bot`."""
    app(prog_name="colloquy")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
