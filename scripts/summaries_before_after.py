"""The summaries eval before and after in one run: the point selection of an older commit and the current one.

Usage (REF: the commit before the change, e.g. main before it landed):

    .venv/bin/python scripts/summaries_before_after.py REF

The older `bot/summarize/extractive.py` and `bot/summarize/points.py` (what a point is) are loaded beside the
current ones; both run inside the same `evaluate` (same library, stored vectors, coverage threshold, filler rules
and budgets), the older one given its own keyword weights. A selector from before chapters existed (commit
3030270) gets its old default of five points where the current one shows one point per chapter. Prints the
README's tables (Markdown), per seed (held-out seeds marked) and their means.
"""

from __future__ import annotations

import inspect
import subprocess
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
from bot.summarize.evaluation import HELD_OUT_SEEDS, Evaluation, Row, evaluate, load_references, mean_rows
from bot.summarize.extractive import Outline, PassageRow

OLD_DEFAULT_POINTS = 5


def load_module(ref: str, path: str, replacing: types.ModuleType | None = None) -> types.ModuleType:
    """An older copy of a module at git `ref`, loaded under a name of its own (it imports only what still exists);
    the names it imported from the module `replacing` replaces come from that older copy instead."""
    source = subprocess.run(["git", "show", f"{ref}:{path}"], capture_output=True, text=True, check=True).stdout  # noqa: S603, S607
    module = types.ModuleType(f"before_{Path(path).stem}")
    sys.modules[module.__name__] = module  # dataclasses look their module up
    exec(compile(source, path, "exec"), module.__dict__)  # noqa: S102 - our own file
    if replacing is not None:
        for name, value in list(module.__dict__.items()):
            if getattr(value, "__module__", None) == "bot.summarize.points" and hasattr(replacing, name):
                module.__dict__[name] = getattr(replacing, name)
    return module


@contextmanager
def selector_of(before: types.ModuleType) -> Iterator[None]:
    """The summarizer picks points with the older module while inside."""
    names = [f.name for f in fields(before.PassageRow)]

    accepts = set(inspect.signature(before.choose_interview_points).parameters)

    def choose(
        rows: Sequence[PassageRow], vectors: np.ndarray, points: int | None, keyword_weight: Any, **options: Any
    ) -> Outline:
        old_rows = [before.PassageRow(**{n: getattr(r, n) for n in names}) for r in rows]
        known = {k: v for k, v in options.items() if k in accepts}
        if not hasattr(before, "Outline"):  # before chapters: a list of units, five by default
            count = OLD_DEFAULT_POINTS if points is None else points
            units = before.choose_interview_points(old_rows, vectors, count, keyword_weight, **known)
            return Outline([], [(unit, 0) for unit in units])
        return before.choose_interview_points(old_rows, vectors, points, keyword_weight, **known)

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
        seed = f"{r.seed} (held out)" if r.seed in HELD_OUT_SEEDS else r.seed
        cells = [seed, r.system, *(f"{100 * v:.1f}" for v in (r.scores.rouge1, r.scores.rouge2, r.scores.rouge_l)),
                 f"{100 * (r.coverage or 0):.0f}%", *extra, f"{r.filler}/{r.points}"]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def main(ref: str) -> None:
    """Ingest the seeds into the eval library, run the eval with the older selector and the current one, print."""
    references = load_references(SHARED / "eval" / "editor_summaries.json")
    before = load_module(ref, "bot/summarize/extractive.py", load_module(ref, "bot/summarize/points.py"))

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
    print(f"held out: {', '.join(HELD_OUT_SEEDS)}; every other seed was looked at while setting the rules\n")
    print("\n".join(markdown(budgeted + mean_rows(budgeted, HELD_OUT_SEEDS), ["chars"])))
    print()
    print("\n".join(markdown(own + mean_rows(own, HELD_OUT_SEEDS), ["chars"])))
    print()
    print(new.calibration.describe())


if __name__ == "__main__":
    main(sys.argv[1])
