"""The `colloquy` command line: ingest, read back, search and summarize the library, run the bot."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from bot.digest.service import DeliveryReport, DigestService, Preview, SubscriptionError
from bot.ingest import FORMATS, IngestError
from bot.ingest.files import read_transcript_file
from bot.library.database import DatabaseError
from bot.library.models import GLOBAL_LIBRARY
from bot.library.service import LARGEST_ID, IngestOutcome, NotFoundError, RefusedError
from bot.search.service import SearchResult
from bot.services import Services, configure_logging, open_services
from bot.settings import Settings, SettingsError, load_settings
from bot.text.sentences import INFERRED_NOTE, as_excerpt, attributed, title_after

app = typer.Typer(help=__doc__, no_args_is_help=True, add_completion=False)
db_app = typer.Typer(help="Database schema commands.", no_args_is_help=True)
speakers_app = typer.Typer(help="List and rename speakers.", no_args_is_help=True)
digest_app = typer.Typer(help="Preview and post the daily digests (time given as an argument).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(speakers_app, name="speakers")
app.add_typer(digest_app, name="digest")

T = TypeVar("T")
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (shape documented in the README).")]


def _interview_id(value: int | None) -> int | None:
    """An id no interview can have (past 32 bits) is 'not found' at once, before any database sees it."""
    if value is not None and not 0 < value <= LARGEST_ID:
        typer.echo(f"error: no interview with id {value}", err=True)
        raise typer.Exit(1)
    return value


IdArgument = Annotated[int, typer.Argument(help="Interview id.", callback=_interview_id)]


def _settings(**overrides: object) -> Settings:
    try:
        settings = load_settings(**overrides)
    except SettingsError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    configure_logging(settings.log_level)
    return settings


def _run(work: Callable[[Services], Awaitable[T]], **overrides: object) -> T:
    """Open the services, run one unit of work, close everything; known errors become one-line messages."""

    async def main() -> T:
        async with open_services(_settings(**overrides)) as services:
            return await work(services)

    try:
        return asyncio.run(main())
    except NotFoundError as exc:
        typer.echo(f"error: {exc.args[0]}", err=True)
        raise typer.Exit(1) from None
    except (DatabaseError, SubscriptionError, RefusedError) as exc:  # no database, an unknown channel, a bad name
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None


def _print_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _expand(paths: list[Path]) -> list[Path]:
    """Files as given, folders walked recursively (hidden files skipped), in a stable order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(  # hidden below the folder, not above it ('../shared/seeds' is not hidden)
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and not any(s.startswith(".") for s in p.relative_to(path).parts)
                )
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
            data = read_transcript_file(path, services.library.max_bytes)
        except IngestError as exc:
            outcome = IngestOutcome(str(path), "failed", f"{path}: {exc}")
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
    paths: Annotated[list[str], typer.Argument(help="Transcript files or folders.")],
    fmt: Annotated[
        str | None, typer.Option("--format", help=f"Skip detection and parse as one of: {', '.join(FORMATS)}.")
    ] = None,
    no_embed: Annotated[
        bool, typer.Option("--no-embed", help="Store only; embed later with `colloquy reindex`.")
    ] = False,
) -> None:
    """Ingest transcripts into the global library; exits non-zero if any file failed.

    An empty argument (a script's unset "$FILE") is refused rather than read as the current folder."""
    if any(not path.strip() for path in paths):
        typer.echo("error: an empty path was given (an unset variable?); name a file or folder", err=True)
        raise typer.Exit(2)
    if fmt is not None and fmt not in FORMATS:
        typer.echo(f"error: unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(2)

    async def work(services: Services) -> list[IngestOutcome]:
        outcomes = await ingest_files(services, [Path(path) for path in paths], fmt=fmt)
        if not no_embed:
            await _embed_with_progress(services)
        return outcomes

    outcomes = _run(work)
    typer.echo(summary_line(outcomes))
    if not outcomes or any(o.failed for o in outcomes):
        raise typer.Exit(1)


async def _note_pending(services: Services) -> None:
    """Say on stderr when some passages have no vector yet: reads never embed (that is ingest's and reindex's job,
    and two processes embedding the same passages would only race)."""
    pending = await services.pending_passages()
    if pending:
        typer.echo(
            f"note: {pending} passages are not embedded yet, so only their words are searched "
            "(an ingest may still be running; `colloquy reindex` embeds them)",
            err=True,
        )


def _embed_with_progress(services: Services) -> Awaitable[int]:
    """Embed pending passages with a progress bar on stderr."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    async def work() -> int:
        with Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        ) as bar:
            task = bar.add_task("embedding passages", total=None)
            return await services.index_pending(lambda done, total: bar.update(task, completed=done, total=total))

    return work()


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
        people += " (speakers inferred from the text)" if row.speakers_inferred else ""
        typer.echo(f"{row.id:>4}  {row.date or '----------'}  {row.title or Path(row.source).name}")
        typer.echo(f"      {'/'.join(row.languages)} · {people}")


@app.command()
def show(interview_id: IdArgument, as_json: JsonOption = False) -> None:
    """Print an interview's clean transcript."""
    detail = _run(lambda services: services.library.interview(interview_id))
    if as_json:
        _print_json(detail.to_json())
        return
    info = detail.info
    typer.echo(f"# {info.title or Path(info.source).name}")
    if info.description:
        typer.echo(info.description)
    for key in ("source_url", "date"):
        if getattr(info, key):
            typer.echo(f"{key}: {getattr(info, key)}")
    if info.editor_summary:
        typer.echo("\nEditor's summary (from the source, not Colloquy's):\n" + info.editor_summary)
    if any(turn.speaker_inferred for turn in detail.turns):
        typer.echo(f"({INFERRED_NOTE})")
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
def remove(interview_id: IdArgument) -> None:
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
    interview: Annotated[
        int | None, typer.Option(help="Only in this interview (recommended for 'Speaker N').", callback=_interview_id)
    ] = None,
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


@db_app.command("migrate-to")
def db_migrate_to(
    url: Annotated[str, typer.Argument(help="An empty target database, e.g. postgresql+asyncpg://user:pw@host/db.")],
    source: Annotated[str | None, typer.Option("--from", help="Library to copy (default: database_url).")] = None,
) -> None:
    """Copy the library (interviews, passages, embeddings, digests, summaries) into another database; verify counts."""
    from bot.library.database import create_engine, upgrade_database
    from bot.library.migrate import MigrationError, TableCount, copy_library
    from bot.search.pgvector import ensure_vector_indexes

    settings = _settings()
    if not url.startswith(("postgresql+asyncpg://", "postgresql+psycopg://", "sqlite+aiosqlite://")):
        typer.echo("error: the target must be a postgresql+asyncpg:// (or sqlite+aiosqlite://) URL", err=True)
        raise typer.Exit(2)

    async def main() -> tuple[list[TableCount], list[str]]:
        engines = [create_engine(u, settings.server_options()) for u in (source or settings.database_url, url)]
        try:
            for engine in engines:
                await upgrade_database(engine)
            counts = await copy_library(*engines, progress=lambda table, n: typer.echo(f"  {table}: {n}", err=True))
            indexed = await ensure_vector_indexes(engines[1]) if engines[1].dialect.name == "postgresql" else []
            return counts, indexed
        finally:
            for engine in engines:
                await engine.dispose()

    try:
        counts, indexed = asyncio.run(main())
    except (DatabaseError, MigrationError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    for count in counts:
        typer.echo(f"{count.table:<24} {count.source:>9} → {count.target:>9}  ✓")
    for key in indexed:
        typer.echo(f"HNSW vector index ready for {key}")
    typer.echo(f"copied {sum(c.target for c in counts)} rows; counts verified. Set COLLOQUY_DATABASE_URL to use it.")


class BatchError(ValueError):
    """A --batch file that cannot be read as queries; the message names the file and the line."""


def _batch_record(line: str) -> dict[str, object]:
    """One line of a --batch file as a query record; ValueError saying what is wrong with it."""
    if not line.lstrip().startswith("{"):
        return {"query": line.strip()}
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict) or not isinstance(record.get("query"), str):
        raise ValueError("a JSON line needs a 'query' string")
    if not record["query"].strip():
        raise ValueError("the query is empty")
    if record.get("speaker") is not None and not isinstance(record["speaker"], str):
        raise ValueError("'speaker' must be a name")
    interview = record.get("interview")
    if interview is not None and (type(interview) is not int or not 0 < interview <= LARGEST_ID):
        raise ValueError("'interview' must be an interview id")
    return record


def _read_batch(path: Path) -> list[tuple[int, dict[str, object]]]:
    """(line number, record) for each query in a file: plain lines, or JSON lines with `query` and optional
    `speaker`/`interview`/`id`; BatchError names the first bad line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BatchError(f"cannot read {path} ({exc.strerror})") from None
    queries = []
    for number, raw in enumerate(data.removeprefix(b"\xef\xbb\xbf").splitlines(), 1):
        try:
            line = raw.decode("utf-8")
            if line.strip():
                queries.append((number, _batch_record(line)))
        except UnicodeDecodeError:
            raise BatchError(f"{path} line {number}: not UTF-8 text") from None
        except ValueError as exc:
            raise BatchError(f"{path} line {number}: {exc}") from None
    return queries


def _search_json(result: SearchResult, record: dict[str, object] | None = None) -> dict[str, object]:
    extra = {key: record[key] for key in ("id",) if record and key in record}
    return {**extra, "query": result.query, "declined": result.declined, "hits": [h.to_json() for h in result.hits]}


def _print_hits(result: SearchResult) -> None:
    if result.declined or not result.hits:
        typer.echo(f"Nothing in the library answers: {result.query}")
        return
    for n, hit in enumerate(result.hits, 1):
        where = " · ".join(x for x in (title_after(hit.speaker, hit.interview_title), hit.section, hit.date) if x)
        stamp = f" [{_clock(hit.start)}]" if hit.start is not None else ""
        who = attributed(hit.speaker, hit.speaker_inferred)
        typer.echo(f"{n}. {who}{stamp}{f' — {where}' if where else ''} (interview {hit.interview_id})")
        typer.echo(f"   “{as_excerpt(hit.text)}”")
        if hit.translation:
            typer.echo(f"   “{hit.translation}”")


@app.command()
def search(
    query: Annotated[str | None, typer.Argument(help="The question, in any language.")] = None,
    speaker: Annotated[str | None, typer.Option(help="Only this speaker's words.")] = None,
    interview: Annotated[int | None, typer.Option(help="Only this interview.", callback=_interview_id)] = None,
    language: Annotated[str | None, typer.Option(help="Only passages in or translated into: en, zh, es, fr, …")] = None,
    k: Annotated[int | None, typer.Option("--k", "-k", help="Number of quotes.", min=1, max=50)] = None,
    batch: Annotated[Path | None, typer.Option(help="Answer one query per line of FILE, one JSON line each.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Find the speakers' exact words for a question asked in any language."""
    if (query is None) == (batch is None):
        typer.echo("error: give a QUERY or --batch FILE", err=True)
        raise typer.Exit(2)
    if query is not None and not query.strip():
        typer.echo("error: the question is empty; ask something, e.g. colloquy search 'why did they move?'", err=True)
        raise typer.Exit(2)
    try:
        numbered = _read_batch(batch) if batch else [(0, {"query": query})]
    except BatchError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    records = [record for _, record in numbered]

    async def work(services: Services) -> list[SearchResult]:
        engine = await services.search()
        await _note_pending(services)
        results = []
        for number, record in numbered:
            name = record.get("speaker") or speaker
            scope = await engine.scope_for(
                speaker=str(name) if name else None,
                interview_id=record.get("interview") or interview,  # type: ignore[arg-type]  # checked
                language=language,
            )
            if scope.speakers == frozenset():
                where = f"{batch} line {number}: " if batch else "error: "
                typer.echo(f"{where}no speaker in the library matches {name!r}", err=True)
                if not batch:
                    raise typer.Exit(1)
            results.append(await engine.search(str(record["query"]), scope, k or services.settings.search_k))
        return results

    results = _run(work)
    for record, result in zip(records, results, strict=True):
        if batch:
            typer.echo(json.dumps(_search_json(result, record), ensure_ascii=False))
        elif as_json:
            _print_json(_search_json(result))
        else:
            _print_hits(result)


@app.command()
def reindex() -> None:
    """Embed passages that lack a vector for the current model (after an interruption or a model change)."""

    async def work(services: Services) -> int:
        return await _embed_with_progress(services)

    count = _run(work)
    typer.echo(f"embedded {count} passages")


DEMO_QUERIES = (
    "What did the founder learn from almost running out of money?",
    "How does the remote design company decide salaries?",
    "远程工作最大的代价是什么？",
    "why can't loaded boats leave the harbour at low water",
    "What do they say about volcanoes in Iceland?",  # nothing in the samples: declined
)


@app.command()
def demo() -> None:
    """Ingest the bundled samples in data/samples and answer a few real questions."""
    from bot import PROJECT_ROOT

    samples = PROJECT_ROOT / "data" / "samples"

    async def work(services: Services) -> list[SearchResult]:
        outcomes = await ingest_files(services, [samples])
        typer.echo(summary_line(outcomes))
        await _embed_with_progress(services)
        engine = await services.search()
        scope = await engine.scope_for()
        return [await engine.search(q, scope, 2) for q in DEMO_QUERIES]

    for result in _run(work):
        typer.echo(f"\n? {result.query}")
        _print_hits(result)


@app.command()
def summary(
    interview: Annotated[
        int | None, typer.Argument(help="Interview id (or use --topic).", callback=_interview_id)
    ] = None,
    speaker: Annotated[str | None, typer.Option(help="With --topic: only this speaker's words.")] = None,
    topic: Annotated[str | None, typer.Option(help="What the summary is about, in any language.")] = None,
    points: Annotated[
        int | None, typer.Option(help="Number of points (default: one per chapter; 5 for a topic).", min=1, max=20)
    ] = None,
    max_chars: Annotated[int | None, typer.Option(help="Stop adding points past this many characters.")] = None,
    language: Annotated[
        str | None, typer.Option(help="en, zh-Hans or zh-Hant: the other version of a bilingual transcript.")
    ] = None,
    abstractive: Annotated[
        bool | None, typer.Option("--abstractive/--extractive", help="Use the configured LLM endpoint, or not.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Summarize an interview, a speaker on a topic, or a topic across the library, in the speakers' words."""
    if (interview is None) == (topic is None) or (speaker and topic is None):
        typer.echo("error: give an INTERVIEW id, or --topic TEXT (optionally with --speaker NAME)", err=True)
        raise typer.Exit(2)
    from bot.summarize.summary import Summary, format_summary

    async def work(services: Services) -> Summary:
        summarizer = await services.summaries()
        if interview is not None:
            return await summarizer.interview(
                interview, points, language=language, max_chars=max_chars, abstractive=abstractive
            )
        await _note_pending(services)
        if speaker:
            return await summarizer.speaker_topic(
                speaker, topic or "", points or 5, language=language, abstractive=abstractive
            )
        return await summarizer.topic(topic or "", points or 5, language=language, abstractive=abstractive)

    result = _run(work)
    typer.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2) if as_json else format_summary(result))


def _moment(text: str | None, option: str) -> None:
    """Refuse a time that is not ISO 8601 before anything opens."""
    from bot.digest.operations import parse_moment

    try:
        if text is not None:
            parse_moment(text)
    except ValueError as exc:
        typer.echo(f"error: {option}: {exc}", err=True)
        raise typer.Exit(2) from None


async def _digests(services: Services) -> DigestService:
    """The digest service the bot would build, over these services."""
    from bot.digest.operations import digest_service

    return digest_service(
        services.sessions, services.settings, await services.summaries(), aliases=services.library.aliases
    )


NowOption = Annotated[
    str | None, typer.Option("--now", help="As of this ISO 8601 time (default: now); no offset means UTC.")
]


@digest_app.command("preview")
def digest_preview(
    channel: Annotated[int | None, typer.Option("--channel", help="That channel's next digest (its scope).")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="The global library's digest of what arrived since this date.")
    ] = None,
    now: NowOption = None,
    as_json: JsonOption = False,
) -> None:
    """Print exactly what would be posted (one channel's next digest, or the global library's); posts nothing."""
    from bot.digest.operations import preview_digest

    if channel is not None and since is not None:
        typer.echo("error: give --channel ID or --since DATE, not both", err=True)
        raise typer.Exit(2)
    _moment(since, "--since")
    _moment(now, "--now")

    async def work(services: Services) -> Preview:
        return await preview_digest(await _digests(services), channel_id=channel, since=since, now=now)

    result = _run(work)
    if as_json:
        _print_json(result.to_json())
    else:
        typer.echo(result.text(), nl=False)


@digest_app.command("run-due")
def digest_run_due(
    now: Annotated[str, typer.Option("--now", help="Deliver what is due at this ISO 8601 time.")],
    as_json: JsonOption = False,
) -> None:
    """Post every digest due at --now that nobody posted yet (token from DISCORD_TOKEN); safe beside a running bot."""
    import discord

    from bot.digest.operations import run_due_digests
    from bot.digest.service import format_reports

    _moment(now, "--now")

    async def work(services: Services) -> list[DeliveryReport]:
        token = services.settings.discord_token
        try:
            return await run_due_digests(await _digests(services), now, token.get_secret_value() if token else None)
        except ValueError as exc:  # no token to post with (the time was checked above)
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        except discord.LoginFailure as exc:
            typer.echo(f"error: cannot log in to Discord: {exc}", err=True)
            raise typer.Exit(1) from None

    reports = _run(work)
    if as_json:
        _print_json([r.to_json() for r in reports])
    else:
        typer.echo(format_reports(reports), nl=False)


eval_app = typer.Typer(help="Measure search and summary quality.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
EVAL_DB = "sqlite+aiosqlite:///.cache/eval/colloquy-eval.db"
# The summaries' seeds live in a library of their own: in the search evaluation's library they would add to the
# lexical statistics (BM25's are the whole database's) and move its figures with the order the commands ran in.
SUMMARY_EVAL_DB = "sqlite+aiosqlite:///.cache/eval/colloquy-eval-summaries.db"


@eval_app.command("search")
def eval_search(
    queries: Annotated[
        list[Path] | None, typer.Option(help="Query sets (JSON lines); several allowed. Default: both dev sets.")
    ] = None,
    transcripts: Annotated[
        list[Path] | None, typer.Option(help="Folders holding the transcripts the queries name (by file name).")
    ] = None,
    database: Annotated[str, typer.Option(help="Library to evaluate in (kept apart from yours).")] = EVAL_DB,
    postgres: Annotated[
        str | None,
        typer.Option(help="Also evaluate on this PostgreSQL database ('local': a throwaway server) and compare."),
    ] = None,
    fit: Annotated[
        bool, typer.Option("--fit", help="Refit the ranking model; print leave-one-transcript-out figures.")
    ] = False,
    save: Annotated[bool, typer.Option("--save", help="With --fit: write the fitted model into the package.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Recall@1/5/10, MRR@10, negatives declined, false declines and strict speaker score, per set, kind and
    transcript, for hybrid, lexical and dense search (each set over a library of the transcripts it names)."""
    from bot.search.evaluation import library_files, load_queries

    default_sets = [SHARED / "eval" / "dev_queries.jsonl", SHARED / "eval" / "dev_queries_v2.jsonl"]
    sets = [load_queries(p) for p in queries or default_sets]
    folders = transcripts or [SHARED / "seeds", SHARED / "corpus"]
    try:
        libraries = [library_files(labelled, folders) for labelled in sets]
    except FileNotFoundError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None

    async def work(services: Services) -> dict[str, object]:
        from bot.search.run_eval import evaluate_sets

        for guild, files in enumerate(libraries, 1):  # each set in a library of its own
            if any(o.failed for o in await ingest_files(services, files, guild_id=guild)):
                raise typer.Exit(1)
        await _embed_with_progress(services)
        refit = fit and services.engine.dialect.name == "sqlite"  # fitted once, on the in-process index
        return await evaluate_sets(await services.search(), services.sessions, sets, fit=refit)

    runs = {"sqlite" if database.startswith("sqlite") else "database": _run(work, database_url=database)}
    if postgres:
        runs["postgresql"] = _on_postgres(postgres, lambda url: _run(work, database_url=url))
    first = next(iter(runs.values()))
    if fit and save and first.get("model"):
        from bot.search.ranking import RankingModel

        RankingModel(**first["model"]).save()
    if as_json:
        _print_json(runs if postgres else first)
        return
    from bot.search.evaluation import format_tables

    for backend, result in runs.items():
        if postgres:
            typer.echo(f"\n== {backend}")
        typer.echo(format_tables(result["tables"]), nl=False)
        if result.get("kfold"):
            typer.echo("\nfitted ranking, each transcript scored by a model fitted on the others:")
            typer.echo(format_tables(result["kfold"]), nl=False)
            typer.echo("\nmodel fitted on everything" + (" (saved)" if save else "") + ":")
            typer.echo(json.dumps(result["model"], ensure_ascii=False))
    if postgres:
        gap = max_difference(*(r["tables"] for r in runs.values()))
        typer.echo(f"\nlargest difference between the backends: {gap[0]:.3f} ({gap[1]})")


def max_difference(first: dict, second: dict) -> tuple[float, str]:
    """The largest gap between two runs' figures, and where it is."""
    gaps = [(0.0, "none")]
    for set_name, methods in first.items():
        for method, table in methods.items():
            for group, row in table.items():
                for column, a in row.items():
                    b = second.get(set_name, {}).get(method, {}).get(group, {}).get(column)
                    if isinstance(a, float) and isinstance(b, float):
                        gaps.append((abs(a - b), f"{set_name}, {method}, {group}, {column}"))
    return max(gaps)


def _on_postgres(url: str, evaluate: Callable[[str], T]) -> T:
    """Run an evaluation on a PostgreSQL URL, or on a throwaway local server for 'local'."""
    if url != "local":
        return evaluate(url)
    from bot.library.local_postgres import LocalPostgres, PostgresUnavailable

    try:
        server = LocalPostgres().start()
    except PostgresUnavailable as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    try:
        return evaluate(server.url)
    finally:
        server.stop()


@eval_app.command("summaries")
def eval_summaries(
    references: Annotated[Path, typer.Option(help="Editor key points (JSON).")] = SHARED
    / "eval"
    / "editor_summaries.json",
    seeds: Annotated[Path, typer.Option(help="Transcripts the references are about.")] = SHARED / "seeds",
    database: Annotated[str, typer.Option(help="Library to evaluate in (kept apart from yours).")] = SUMMARY_EVAL_DB,
) -> None:
    """ROUGE-1/2/L and coverage of interview summaries against the seeds' editor key points, next to lead-N,
    TextRank and the first turns of the same length."""
    from bot.summarize.evaluation import (
        HELD_OUT_SEEDS,
        TUNED_SEEDS,
        Evaluation,
        evaluate,
        format_table,
        load_references,
        mean_rows,
        verdict,
    )

    labelled = load_references(references)

    async def work(services: Services) -> Evaluation:
        outcomes = await ingest_files(services, [seeds])
        if any(o.failed for o in outcomes):
            raise typer.Exit(1)
        await _embed_with_progress(services)
        return await evaluate(await services.summaries(), services.sessions, labelled, await services.embedder())

    result = _run(work, database_url=database)
    typer.echo(f"Rules and weights looked at on seeds {', '.join(TUNED_SEEDS)}; held out: {', '.join(HELD_OUT_SEEDS)}")
    typer.echo("\nEvery system: the editor's number of points and length in characters")
    typer.echo(format_table(result.budgeted + mean_rows(result.budgeted, HELD_OUT_SEEDS)))
    typer.echo("\n".join(verdict(result.budgeted)))
    typer.echo("\nColloquy's own summary (one point per chapter) and the first turns cut to its length")
    typer.echo(format_table(result.own_length + mean_rows(result.own_length, HELD_OUT_SEEDS)))
    typer.echo("\n".join(verdict(result.own_length)))
    typer.echo("\n" + result.calibration.describe())


@eval_app.command("speakers")
def eval_speakers(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Labelled transcripts (default: corpus 01, 04, 08, seeds 001, 003).")
    ] = None,
    train: Annotated[
        list[Path] | None, typer.Option(help="Labelled files used only to fit (default: seeds 000, 002, 004).")
    ] = None,
    fit: Annotated[
        bool, typer.Option("--fit", help="Also fit the weights leaving each file out; print the weights fitted on all.")
    ] = False,
) -> None:
    """Strip the files' speaker labels, infer turns and speakers back, and score them next to a baseline."""
    from bot.ingest import load_aliases
    from bot.ingest.speaker_eval import development_files, evaluate_file, fit_all, format_table

    scored, extra = development_files(SHARED)
    scored = paths or scored
    extra = [
        path for path in (train if train is not None else extra) if path.resolve() not in {p.resolve() for p in scored}
    ]
    if not scored:
        typer.echo("error: no labelled transcripts to score (is ../shared beside the repository?)", err=True)
        raise typer.Exit(2)
    settings = _settings()
    aliases = load_aliases(settings.speakers_file) if settings.speakers_file.exists() else None
    results = [evaluate_file(path, aliases) for path in scored]
    loo, model = fit_all(scored, extra, aliases) if fit else (None, None)
    typer.echo(format_table(results, loo))
    if model:
        typer.echo(f"\nweights fitted on all {len(scored) + len(extra)} files (bot/ingest/turns_from_text.py):")
        typer.echo(repr(model))


bench_app = typer.Typer(help="Benchmarks that print figures (median, p95, ratios).", no_args_is_help=True)
app.add_typer(bench_app, name="bench")


@bench_app.command("search")
def bench_search(
    passages: Annotated[
        list[int], typer.Option(help="Library size; repeat for several (10000, 100000, 1000000).", min=100)
    ] = [100_000],  # noqa: B006  # typer reads the default, never mutates it
    rounds: Annotated[int, typer.Option(help="Timed queries per backend.", min=10)] = 60,
    ingest: Annotated[int, typer.Option(help="Passages for the ingest-throughput run (0 to skip).", min=0)] = 400,
    backend: Annotated[str, typer.Option(help="'memory' (in-process index), 'postgres', or 'both'.")] = "both",
    postgres_url: Annotated[
        str | None, typer.Option(help="An empty PostgreSQL database (default: a throwaway local server).")
    ] = None,
    text: Annotated[
        str, typer.Option(help="Passage text: 'real' (the seeds' and corpus' passages) or 'synthetic' (80 words).")
    ] = "real",
) -> None:
    """Full-query p50/p95/p99, the exact-scan baseline, recall@10, build time and peak RSS per backend and size."""
    import shutil
    import tempfile

    if backend not in ("memory", "postgres", "both"):
        typer.echo("error: --backend is 'memory', 'postgres' or 'both'", err=True)
        raise typer.Exit(2)
    if text not in ("real", "synthetic"):
        typer.echo("error: --text is 'real' or 'synthetic'", err=True)
        raise typer.Exit(2)

    from bot.search.bench import (
        REAL_DB,
        build_library,
        exact_top10,
        memory_bandwidth_gb_s,
        noisy_questions,
        real_vectors,
        run_ingest_bench,
        run_memory_bench,
    )
    from bot.search.indexer import vector_key

    folder = Path(tempfile.mkdtemp(prefix="colloquy-bench-"))

    async def work(services: Services) -> None:
        embedder = (await services.search()).embedder
        (base, texts), questions, vectors = await real_vectors(embedder, SHARED, REAL_DB)
        real = (base, texts if text == "real" else [])
        queries = noisy_questions(vectors)
        bandwidth = memory_bandwidth_gb_s()
        typer.echo(
            f"model {embedder.model_id}; {len(base):,} real passage vectors (seeds + corpus) make the library's "
            f"real-like vectors, with {text} text; {len(questions)} dev-set questions; "
            f"memory bandwidth {bandwidth:.1f} GB/s"
        )
        header = (
            f"{'passages':>9} {'backend':<11} {'p50':>7} {'p95':>7} {'p99':>7} {'exact p50':>9} {'exact p95':>9} "
            f"{'recall@10':>9} {'build s':>8} {'reload s':>8} {'RSS MB':>7} {'floor ms':>8}  load"
        )
        rows = []
        for n in passages:
            truth = exact_top10(base, n, queries)
            if backend in ("memory", "both"):
                url = f"sqlite+aiosqlite:///{folder / f'bench-{n}.db'}"
                async with open_services(_settings(database_url=url)) as built:
                    await build_library(built.sessions, n, vector_key(embedder), *real)
                args = (url, n, questions, queries, truth, rounds, services.settings.embedding_model)
                rows.append((await asyncio.to_thread(run_memory_bench, *args), os.getloadavg()[0]))
                typer.echo(_bench_row(*rows[-1]))
            if backend in ("postgres", "both"):
                result = await _bench_postgres(postgres_url, embedder, n, real, questions, queries, truth, rounds)
                rows.append((result, os.getloadavg()[0]))
                typer.echo(_bench_row(*rows[-1]))
        typer.echo("\n" + header)
        typer.echo("\n".join(_bench_row(*row) for row in rows))
        typer.echo(
            "p50/p95/p99: a full query in ms (encoding, lexical, vector search, ranking, reading the hits); exact: "
            "encoding + one exact scan of every vector; recall@10: the index's top 10 after exact re-scoring of its "
            "pool against exact search; reload: in process a restart reading the saved index, on PostgreSQL the "
            "first query in a scope after the start-up a bot does; floor: one float16 scan at the measured "
            "bandwidth; load: 1-minute load average"
        )
        if ingest:
            async with open_services(_settings(database_url=f"sqlite+aiosqlite:///{folder / 'ingest.db'}")) as other:
                speed = await run_ingest_bench(other.sessions, embedder, ingest)
            typer.echo(
                f"ingest: {speed.pipeline_per_second} passages/s through the pipeline, "
                f"{speed.raw_per_second}/s raw encode: ratio {speed.ratio} (median of {len(speed.ratios)} rounds: "
                + ", ".join(map(str, speed.ratios))
                + ")"
            )

    try:
        _run(work, database_url=f"sqlite+aiosqlite:///{folder / 'bench.db'}", log_level="WARNING")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _bench_row(result: object, load: float) -> str:
    """One line of the bench table."""
    r = result  # a bot.search.bench.BackendResult

    def cell(value: float, width: int) -> str:
        return f"{'-' if value != value else value:>{width}}"  # NaN: not measured for this backend

    return (
        f"{r.passages:>9,} {r.backend:<11} {cell(r.p50, 7)} {cell(r.p95, 7)} {cell(r.p99, 7)} "  # type: ignore[attr-defined]
        f"{cell(r.exact_p50, 9)} {cell(r.exact_p95, 9)} {cell(r.recall_at_10, 9)} {cell(r.build_seconds, 8)} "  # type: ignore[attr-defined]
        f"{cell(r.reload_seconds, 8)} {cell(r.peak_rss_mb, 7)} {cell(r.floor_ms, 8)}  {load:.1f}"  # type: ignore[attr-defined]
    )


async def _bench_postgres(url: str | None, embedder: object, n: int, *args: object) -> object:
    """The same library on PostgreSQL (a throwaway local server unless a URL is given)."""
    from bot.library.local_postgres import LocalPostgres
    from bot.search.bench import measure_postgres

    server = None
    if url is None:  # memory for the HNSW build (about 2.2 GB at 1M passages); shared buffers that hold the index
        # (2.6 GB at 1M): with 2 GB every search at 1M read graph pages from the OS cache, p95 240 ms against 155;
        # and twice the graph, so that `prewarm` loads it (at most half of the buffers: with 4 GB it was skipped)
        settings = {"shared_buffers": "8GB", "maintenance_work_mem": "3GB", "max_parallel_maintenance_workers": "1"}
        server = await asyncio.to_thread(LocalPostgres(settings).start)
        url = server.url
    try:
        return await measure_postgres(url, embedder, n, *args)  # type: ignore[arg-type]  # as bench_search passes
    finally:
        if server is not None:
            await asyncio.to_thread(server.stop)


@bench_app.command("parse")
def bench_parse(
    cues: Annotated[
        list[int] | None, typer.Option("--cues", help="File sizes in cues (repeat the option).", min=100)
    ] = None,
) -> None:
    """Parse time of unlabelled SRT files of growing size (default 12,500 to 200,000 cues) and how it scales."""
    from bot.ingest.bench import time_parse

    sizes = sorted(cues or [12_500, 25_000, 50_000, 100_000, 200_000])
    typer.echo(f"{'cues':>9} {'bytes':>12} {'parse s':>9} {'passages s':>11} {'passages':>9} {'µs/cue':>8}")
    timings = []
    for size in sizes:
        timing = time_parse(size)
        timings.append(timing)
        typer.echo(
            f"{timing.cues:>9,} {timing.size:>12,} {timing.parse_seconds:>9.2f} {timing.passage_seconds:>11.2f} "
            f"{timing.passages:>9,} {timing.microseconds_per_cue:>8.0f}"
        )
    first, last = timings[0], timings[-1]
    growth = last.cues / first.cues
    per_cue = last.microseconds_per_cue / first.microseconds_per_cue
    typer.echo(f"{growth:.0f}x the cues: time per cue {per_cue:.2f}x (1.0 is linear time, {growth:.0f}.0 quadratic)")


@bench_app.command("autocomplete")
def bench_autocomplete(
    interviews: Annotated[int, typer.Option(help="Interviews in the synthetic library.", min=10)] = 5000,
) -> None:
    """Autocomplete latency (interview titles, speaker names) on the service side, first call and cached."""
    import shutil
    import tempfile

    from bot.discord.bench import build_interview_library, run_autocomplete_bench

    folder = Path(tempfile.mkdtemp(prefix="colloquy-bench-"))

    async def work(services: Services) -> None:
        speakers = await build_interview_library(services.sessions, interviews)
        result = await run_autocomplete_bench(services.library, interviews, speakers)
        typer.echo(f"{interviews:,} interviews, {speakers:,} speakers")
        typer.echo(f"global lists read at start: {result.warm_ms} ms; a server's first call: {result.first_ms} ms")
        typer.echo(f"{'':22} {'p50 ms':>8} {'p95 ms':>8}")
        typer.echo(f"{'interview titles':22} {result.interview_p50_ms:>8} {result.interview_p95_ms:>8}")
        typer.echo(f"{'speaker names':22} {result.speaker_p50_ms:>8} {result.speaker_p95_ms:>8}")

    try:
        _run(work, database_url=f"sqlite+aiosqlite:///{folder / 'bench.db'}", log_level="WARNING")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@app.command()
def run(
    sync: Annotated[
        bool, typer.Option("--sync", help="Publish the slash commands first (to dev_guild_id if set, else globally).")
    ] = False,
) -> None:
    """Run the Discord bot (token from DISCORD_TOKEN) until Ctrl-C or SIGTERM."""
    import discord

    from bot.discord.bot import run_bot

    settings = _settings()
    try:
        asyncio.run(run_bot(settings, sync=sync))
    except discord.LoginFailure as exc:
        typer.echo(f"error: cannot log in to Discord: {exc}", err=True)
        raise typer.Exit(1) from None


@bench_app.command("summary")
def bench_summary(
    rounds: Annotated[int, typer.Option(help="Timed summaries.", min=3)] = 20,
    seeds: Annotated[Path, typer.Option(help="Transcripts to ingest first (the largest is summarized).")] = SHARED
    / "seeds",
    database: Annotated[str, typer.Option(help="Library to measure in.")] = SUMMARY_EVAL_DB,
) -> None:
    """Median and p95 time of an interview summary (the largest seed, ~70 KB) with its passages embedded."""
    from bot.summarize.bench import bench_interview

    async def work(services: Services):  # type: ignore[no-untyped-def]  # returns SummaryBench
        await ingest_files(services, [seeds])
        await _embed_with_progress(services)
        return await bench_interview(await services.summaries(), services.sessions, rounds)

    result = _run(work, database_url=database, log_level="WARNING")
    typer.echo(
        f"interview {result.interview_id} ({result.utf8_bytes:,} bytes, {result.passages} passages), {rounds} runs: "
        f"median {result.median_ms} ms, p95 {result.p95_ms} ms (first run {result.first_ms} ms)"
    )


def main() -> None:
    """Entry point for `python -m bot`."""
    app(prog_name="colloquy")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
