"""Search evaluation on query sets in the format of shared/eval/dev_queries*.jsonl (see their READMEs).

A query is a hit at k when any gold string, normalized (Traditional→Simplified, whitespace removed), occurs in
the text or translation of one of the top-k quotes. Negatives (no gold) count as right when the search
declines; an answerable query declined is a false decline. Speaker-scoped queries also get a strict score: the
hit must be that speaker's. Figures are reported overall, per kind and per transcript, so a gain that holds on
one file only shows.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.search.service import Hit
from bot.text.script import to_simplified

KS = (1, 5, 10)
METHODS = ("hybrid", "lexical", "dense")
COLUMNS = (
    "queries", "recall@1", "recall@5", "recall@10", "mrr@10", "negatives_declined", "false_declines",
    "speaker_strict@5",
)  # fmt: skip


@dataclass(frozen=True)
class EvalQuery:
    """One labelled query of a set (`set_name`: the file it came from)."""

    id: str
    query: str
    kind: str
    gold: list[str]
    speaker: str | None = None
    doc: str | None = None
    set_name: str = ""


def load_queries(path: Path) -> list[EvalQuery]:
    """Read JSON lines with id, query, kind, gold and optional speaker/doc."""
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            d = json.loads(line)
            queries.append(
                EvalQuery(
                    d["id"], d["query"], d.get("kind", "unknown"), d.get("gold") or [], d.get("speaker"),
                    d.get("doc"), path.stem,
                )
            )  # fmt: skip
    return queries


def library_files(queries: Iterable[EvalQuery], folders: Iterable[Path]) -> list[Path]:
    """The transcripts a set's queries are about, found in `folders` by file name or by seed number ('000')."""
    files = sorted(p for folder in folders if folder.is_dir() for p in folder.iterdir() if p.is_file())
    wanted: dict[str, Path] = {}
    for doc in sorted({q.doc for q in queries if q.doc}):
        found = [p for p in files if p.name == doc or p.name.startswith(f"{doc}_")]
        if not found:
            raise FileNotFoundError(f"no transcript for '{doc}' in {', '.join(map(str, folders))}")
        wanted[doc] = found[0]
    return sorted(set(wanted.values()))


def gold_key(text: str) -> str:
    """The scoring normalization of the sets' READMEs: Traditional→Simplified, whitespace removed."""
    return re.sub(r"\s+", "", to_simplified(text))


def holds_gold(query: EvalQuery, text: str) -> bool:
    """Whether a quote's text (with its translation) holds one of the query's gold strings."""
    body = gold_key(text)
    return any(gold_key(g) in body for g in query.gold)


def first_rank(
    query: EvalQuery, quotes: Iterable[tuple[str, str]], speaker_names: frozenset[str] | None = None
) -> int | None:
    """1-based rank of the first (text, speaker) quote holding a gold string (and, if given, by one of these
    speakers): the one scoring rule for search results and for the fit's own quotes."""
    for rank, (text, speaker) in enumerate(quotes, 1):
        if holds_gold(query, text) and (speaker_names is None or speaker in speaker_names):
            return rank
    return None


def first_hit_rank(query: EvalQuery, hits: list[Hit], speaker_names: frozenset[str] | None = None) -> int | None:
    """`first_rank` of search hits (their text with its translation)."""
    return first_rank(query, ((hit.text + (hit.translation or ""), hit.speaker) for hit in hits), speaker_names)


@dataclass(frozen=True)
class Outcome:
    """How one query went: the rank of its first right quote, whether it was declined, and (speaker-scoped
    queries) whether a right quote by that speaker was in the top 5."""

    query: EvalQuery
    rank: int | None
    declined: bool
    strict: bool | None = None


def doc_label(query: EvalQuery) -> str:
    """A short name for the transcript a query is about ('01_otter…' → '01', '000' stays)."""
    return (query.doc or "(none)").split("_")[0]


def tables(outcomes: Iterable[Outcome]) -> dict[str, dict[str, float | int | str | None]]:
    """Metrics overall, per kind ('kind:…') and per transcript ('file:…')."""
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        for key in ("overall", f"kind:{outcome.query.kind}", f"file:{doc_label(outcome.query)}"):
            groups[key].append(outcome)
    order = sorted(groups, key=lambda g: (g != "overall", not g.startswith("kind:"), g))
    return {key: _row(groups[key]) for key in order}


def _row(outcomes: list[Outcome]) -> dict[str, float | int | str | None]:
    answerable = [o for o in outcomes if o.query.gold]
    negatives = [o for o in outcomes if not o.query.gold]
    strict = [o for o in answerable if o.strict is not None]
    n = len(answerable)
    row: dict[str, float | int | str | None] = {"queries": n}
    for k in KS:
        row[f"recall@{k}"] = round(sum(o.rank is not None and o.rank <= k for o in answerable) / n, 3) if n else None
    row["mrr@10"] = round(sum(1 / o.rank for o in answerable if o.rank and o.rank <= 10) / n, 3) if n else None
    row["negatives_declined"] = f"{sum(o.declined for o in negatives)}/{len(negatives)}" if negatives else None
    row["false_declines"] = sum(o.declined for o in answerable) if n else None
    row["speaker_strict@5"] = round(sum(bool(o.strict) for o in strict) / len(strict), 3) if strict else None
    return row


def format_tables(results: dict[str, dict[str, dict[str, dict]]]) -> str:
    """Plain-text tables: for each set, each method's rows (overall, kinds, transcripts)."""
    lines = []
    for set_name, methods in results.items():
        lines.append(f"\n{set_name}")
        lines.append(f"{'method':<8} {'group':<28} " + " ".join(f"{c:>10}" for c in COLUMNS))
        for method, table in methods.items():
            for group, row in table.items():
                cells = " ".join(f"{'-' if row[c] is None else row[c]:>10}" for c in COLUMNS)
                lines.append(f"{method:<8} {group:<28} {cells}")
    return "\n".join(lines) + "\n"
