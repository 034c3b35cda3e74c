"""The summaries eval before and after in one run: the extractive selector of an older commit and the current one.

Usage (REF: the commit before the change, e.g. main before it landed):

    git show REF:bot/summarize/extractive.py > /tmp/extractive_before.py
    .venv/bin/python scripts/summaries_before_after.py /tmp/extractive_before.py

The older `bot/summarize/extractive.py` is loaded beside the current one;
both run inside the same `evaluate` (same library, stored vectors, coverage threshold, filler rules and budgets),
the older one given its own keyword weights and its default of five points where the current one shows one point
per chapter. Prints the README's tables (Markdown).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np

import bot.summarize.service as service
from bot.cli import EVAL_DB, SHARED, Services, _embed_with_progress, _run, ingest_files
from bot.summarize.evaluation import Evaluation, Row, evaluate, load_references
from bot.summarize.extractive import Outline, PassageRow

OLD_DEFAULT_POINTS = 5


def load_module(path: Path) -> types.ModuleType:
    """An older copy of a module, loaded under a name of its own (it imports only what still exists)."""
    module = types.ModuleType(f"before_{path.stem}")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), module.__dict__)  # noqa: S102 - our own file
    return module


@contextmanager
def selector_of(before: types.ModuleType) -> Iterator[None]:
    """The summarizer picks points with the older module while inside."""
    names = [f.name for f in fields(before.PassageRow)]

    def choose(
        rows: Sequence[PassageRow], vectors: np.ndarray, points: int | None, keyword_weight: Any, **options: Any
    ) -> Outline:
        old_rows = [before.PassageRow(**{n: getattr(r, n) for n in names}) for r in rows]
        count = OLD_DEFAULT_POINTS if points is None else points
        units = before.choose_interview_points(old_rows, vectors, count, keyword_weight, max_chars=options["max_chars"])
        return Outline([], [(unit, 0) for unit in units])

    saved = service.choose_interview_points, service.keyword_weights
    service.choose_interview_points, service.keyword_weights = choose, before.keyword_weights
    try:
        yield
    finally:
        service.choose_interview_points, service.keyword_weights = saved


def markdown(rows: Sequence[Row], columns: Sequence[str]) -> list[str]:
    """Table lines; `columns` picks chars/points beside the scores."""
    head = ["seed", "system", "ROUGE-1", "ROUGE-2", "ROUGE-L", "coverage", *columns, "filler points"]
    lines = ["| " + " | ".join(head) + " |", "| --- | --- |" + " ---: |" * (len(head) - 2)]
    for r in rows:
        extra = [str(getattr(r, c)) for c in columns]
        cells = [r.seed, r.system, *(f"{100 * v:.1f}" for v in (r.scores.rouge1, r.scores.rouge2, r.scores.rouge_l)),
                 f"{100 * (r.coverage or 0):.0f}%", *extra, f"{r.filler}/{r.points}"]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def main(before_path: Path) -> None:
    """Ingest the seeds into the eval library, run the eval with the older selector and the current one, print."""
    references = load_references(SHARED / "eval" / "editor_summaries.json")
    before = load_module(before_path)

    async def work(services: Services) -> tuple[Evaluation, Evaluation]:
        await ingest_files(services, [SHARED / "seeds"])
        await _embed_with_progress(services)
        summarizer, embedder = await services.summaries(), await services.embedder()
        with selector_of(before):
            old = await evaluate(summarizer, services.sessions, references, embedder)
        return old, await evaluate(summarizer, services.sessions, references, embedder)

    old, new = _run(work, database_url=EVAL_DB)
    assert old.calibration.threshold == new.calibration.threshold
    budgeted, own = [], []
    for seed in dict.fromkeys(r.seed for r in new.budgeted):
        budgeted += [r for r in new.budgeted if r.seed == seed and r.system != "colloquy"]
        budgeted += [Row(**{**vars(r), "system": f"Colloquy {when}"}) for when, e in (("before", old), ("after", new))
                     for r in e.budgeted if r.seed == seed and r.system == "colloquy"]  # fmt: skip
        own += [Row(**{**vars(r), "system": f"Colloquy {when}" if r.system == "colloquy" else f"first turns ({when})"})
                for when, e in (("before", old), ("after", new)) for r in e.own_length if r.seed == seed]  # fmt: skip
    print("\n".join(markdown(budgeted, ["chars"])))
    print()
    print("\n".join(markdown(own, ["chars"])))
    print()
    print(new.calibration.describe())


if __name__ == "__main__":
    main(Path(sys.argv[1]))
