"""How well turns and speakers are inferred from text alone: labelled transcripts stripped of their labels.

Each labelled file becomes a copy without speakers, in the form such files come in: timed cues as SRT (one cue
per cue, the names removed), anything else as Whisper-style text, one sentence a line under the file's title.
Per-turn stamps (Otter, Rev) are not kept: a stamp at every turn would mark every turn change. The copy is
ingested like any file and its turns are compared with the labelled ones.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.ingest import parse_transcript, read_blocks
from bot.ingest.speakers import AliasTable, resolve_speakers
from bot.ingest.turns_from_text import (
    Evidence,
    SpeakerModel,
    Unit,
    asks,
    decode,
    evidence,
    is_role,
    name_speakers,
    split_units,
)
from bot.text.sentences import is_question, split_sentences

_TOKEN = re.compile(r"[A-Za-z0-9'’]+|[\u3400-\u9fff]")


@dataclass
class Stripped:
    """A label-stripped copy of a labelled transcript and the truth to score it against."""

    name: str
    data: bytes
    truth: list[tuple[str, str]]  # (speaker, text) of every block of speech, in order


@dataclass
class Score:
    """One system on one file."""

    precision: float
    recall: float
    f1: float
    words_right: float
    speakers: int  # how many speakers the system found
    names_recovered: list[str]
    names_wrong: list[str]  # names given to someone else (never invented: any name here was in the text)


@dataclass
class FileResult:
    """The inferred attribution and the baseline on one file."""

    name: str
    real_speakers: int
    true_changes: int
    system: Score
    baseline: Score


def _srt_time(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"


def strip_labels(path: Path, aliases: AliasTable) -> Stripped:
    """The file without its speaker labels (text and cue times kept) and who really said each block."""
    parsed, blocks = read_blocks(path.read_bytes(), aliases=aliases)
    context = "\n".join(filter(None, [parsed.title, parsed.context]))
    names = resolve_speakers([(b.label or "Unknown", b.text) for b in blocks], context, aliases, parsed.speakers)
    truth = [(names[b.label or "Unknown"], b.text) for b in blocks]
    if parsed.joiner == " " and all(b.start is not None and b.end is not None for b in blocks):
        cues = [
            f"{i}\n{_srt_time(b.start or 0.0)} --> {_srt_time(b.end or 0.0)}\n{b.text}\n"
            for i, b in enumerate(blocks, 1)
        ]
        return Stripped(f"{path.stem}.stripped.srt", "\n".join(cues).encode(), truth)
    lines = [f"# {parsed.title}", ""] if parsed.title else []
    lines += [s for b in blocks for paragraph in b.text.split("\n") for s in split_sentences(paragraph)]
    return Stripped(f"{path.stem}.stripped.md", "\n".join(lines).encode(), truth)


@functools.lru_cache(maxsize=16)
def _tokens(segments: tuple[tuple[str, str], ...]) -> tuple[str, list[int], list[str], list[int]]:
    """The text without whitespace, each word's offset and speaker, and each sentence's start offset."""
    stream, offsets, speakers, sentences = [], [], [], []
    at = 0
    for speaker, text in segments:
        for paragraph in text.split("\n"):
            for sentence in split_sentences(paragraph):
                sentences.append(at)
                squeezed = re.sub(r"\s+", "", sentence)
                for match in _TOKEN.finditer(sentence):
                    offsets.append(at + len(re.sub(r"\s+", "", sentence[: match.start()])))
                    speakers.append(speaker)
                stream.append(squeezed)
                at += len(squeezed)
    return "".join(stream), offsets, speakers, sentences


def _changes(segments: list[tuple[str, str]]) -> list[int]:
    """Offsets (whitespace removed) where the speaker changes."""
    out, at = [], 0
    for i, (speaker, text) in enumerate(segments):
        if i and speaker != segments[i - 1][0]:
            out.append(at)
        at += len(re.sub(r"\s+", "", text))
    return out


def _speaker_at(segments: list[tuple[str, str]]) -> tuple[list[int], list[str]]:
    starts, names, at = [], [], 0
    for speaker, text in segments:
        starts.append(at)
        names.append(speaker)
        at += len(re.sub(r"\s+", "", text))
    return starts, names


@functools.lru_cache(maxsize=16)
def _align(guess: str, true: str, probe: int = 12, reach: int = 200) -> dict[int, int]:
    """Offsets of the inferred text in the true one: the same characters but where cleaning the copy twice dropped
    or changed a few (a dialogue dash, a noise mark); after a difference, the first place both run on again."""
    out: dict[int, int] = {}
    i = j = 0
    while i < len(guess) and j < len(true):
        if guess[i] == true[j]:
            out[i] = j
            i, j = i + 1, j + 1
            continue
        skips = ((di, dj) for total in range(1, 2 * reach) for di in range(total + 1) for dj in (total - di,))
        found = next(
            (
                (di, dj)
                for di, dj in skips
                if di <= reach and dj <= reach and guess[i + di : i + di + probe] == true[j + dj : j + dj + probe]
            ),
            None,
        )
        if found is None:
            break
        i, j = i + found[0], j + found[1]
    return out


def _key(name: str) -> str:
    return re.sub(r"\W+", "", name).casefold()


def score(truth: list[tuple[str, str]], inferred: list[tuple[str, str]], roles: set[str]) -> Score:
    """Compare inferred (speaker, text) turns with the truth; `roles` are the inferred speakers that are no names."""
    true_text, word_at, word_speaker, sentence_starts = _tokens(tuple(truth))
    guess_text = "".join(re.sub(r"\s+", "", text) for _, text in inferred)
    to_true = _align(guess_text, true_text)

    def true_offset(guess: int) -> int:
        while guess not in to_true and guess < len(guess_text):
            guess += 1
        return to_true.get(guess, len(true_text))

    def sentence(offset: int) -> int:
        return bisect.bisect_right(sentence_starts, offset)

    true_changes = [sentence(t) for t in _changes(truth)]
    guessed = [sentence(true_offset(g)) for g in _changes(inferred)]
    by_sentence: dict[int, list[int]] = {}
    for j, t in enumerate(true_changes):
        by_sentence.setdefault(t, []).append(j)
    pairs = sorted(
        (abs(g - true_changes[j]), i, j)
        for i, g in enumerate(guessed)
        for near in (g - 1, g, g + 1)
        for j in by_sentence.get(near, [])
    )
    used_g, used_t = set(), set()
    for _, i, j in pairs:
        if i not in used_g and j not in used_t:
            used_g.add(i)
            used_t.add(j)
    hits = len(used_g)
    precision = hits / len(guessed) if guessed else 1.0
    recall = hits / len(true_changes) if true_changes else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    # Words: who said each true word, under the best one-to-one mapping of inferred to real speakers.
    from_true = {b: a for a, b in to_true.items()}
    starts, names = _speaker_at(inferred)
    pair_counts: Counter[tuple[str, str]] = Counter()
    for offset, real in zip(word_at, word_speaker, strict=True):
        if offset in from_true:
            guess = names[bisect.bisect_right(starts, from_true[offset]) - 1]
            pair_counts[guess, real] += 1
    guessed_speakers = list(dict.fromkeys(names))
    real_speakers = list(dict.fromkeys(word_speaker))
    best, mapping = -1, {}
    small, large = sorted([guessed_speakers, real_speakers], key=len)
    for perm in itertools.permutations(large, len(small)):
        pairing = dict(zip(small, perm, strict=True))
        if small is not guessed_speakers:
            pairing = {v: k for k, v in pairing.items()}
        total = sum(pair_counts[g, r] for g, r in pairing.items())
        if total > best:
            best, mapping = total, pairing
    recovered = sorted(r for g, r in mapping.items() if g not in roles and _key(g) == _key(r))
    wrong = sorted(g for g in guessed_speakers if g not in roles and _key(g) != _key(mapping.get(g, "")))
    return Score(
        round(precision, 3),
        round(recall, 3),
        round(f1, 3),
        round(best / len(word_at), 3) if word_at else 0.0,
        len(guessed_speakers),
        recovered,
        wrong,
    )


def question_baseline(stripped_turns: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Alternate two speakers after every sentence that ends in a question mark."""
    out: list[tuple[str, str]] = []
    speaker = 0
    for _, text in stripped_turns:
        for paragraph in text.split("\n"):
            for sentence in split_sentences(paragraph):
                out.append((f"Speaker {speaker + 1}", sentence))
                if is_question(sentence, unmarked=False):
                    speaker = 1 - speaker
    return out


def evaluate_file(path: Path, aliases: AliasTable | None) -> FileResult:
    """Strip one labelled file, infer its speakers back, and score that and the question-mark baseline."""
    aliases = aliases or AliasTable()
    stripped = strip_labels(path, aliases)
    transcript = parse_transcript(stripped.data, stripped.name, aliases=aliases)
    inferred = [(t.speaker, t.text) for t in transcript.turns]
    roles = {t.speaker for t in transcript.turns if is_role(t.speaker)}
    baseline = question_baseline(inferred)
    return FileResult(
        path.name,
        len({s for s, _ in stripped.truth}),
        len(_changes(stripped.truth)),
        score(stripped.truth, inferred, roles),
        score(stripped.truth, baseline, {s for s, _ in baseline}),
    )


def development_files(shared: Path) -> tuple[list[Path], list[Path]]:
    """The default files to score (corpus 01, 04, 08, seeds 001, 003) and the other seeds, used only for fitting."""

    def pick(folder: str, *prefixes: str) -> list[Path]:
        return [path for prefix in prefixes for path in sorted((shared / folder).glob(f"{prefix}_*"))]

    return pick("corpus", "01", "04", "08") + pick("seeds", "001", "003"), pick("seeds", "000", "002", "004")


def _mean(scores: list[Score]) -> Score:
    def avg(values: list[float]) -> float:
        return round(sum(values) / len(values), 3) if values else 0.0

    return Score(
        avg([s.precision for s in scores]),
        avg([s.recall for s in scores]),
        avg([s.f1 for s in scores]),
        avg([s.words_right for s in scores]),
        0,
        [n for s in scores for n in s.names_recovered],
        [n for s in scores for n in s.names_wrong],
    )


def _row(name: str, speakers: str, changes: str, label: str, s: Score, names: bool) -> str:
    named = ", ".join(s.names_recovered) or "—"
    if s.names_wrong:
        named += f" (wrong: {', '.join(s.names_wrong)})"
    return (
        f"| {name} | {speakers} | {changes} | {label} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} "
        f"| {s.words_right:.0%} | {named if names else '—'} |"
    )


def format_table(results: list[FileResult], loo: list[tuple[str, Score]] | None = None) -> str:
    """A Markdown table: per file, the inferred attribution (and its leave-one-file-out figures) and the baseline."""
    rows = [
        "| file | speakers (real / found) | turn changes | system | P | R | F1 | words right | names recovered |",
        "| --- | --- | ---: | --- | ---: | ---: | ---: | ---: | --- |",
    ]
    held_out = dict(loo or [])
    for r in results:
        name, changes = r.name[:36], str(r.true_changes)
        rows.append(_row(name, f"{r.real_speakers} / {r.system.speakers}", changes, "inferred", r.system, True))
        if r.name in held_out:
            s = held_out[r.name]
            rows.append(_row(name, f"{r.real_speakers} / {s.speakers}", changes, "inferred, file left out", s, True))
        rows.append(_row(name, f"{r.real_speakers} / 2", changes, "baseline: turn at every `?`", r.baseline, False))
    rows.append(_row("**mean**", "", "", "inferred", _mean([r.system for r in results]), False))
    if loo:
        rows.append(_row("**mean**", "", "", "inferred, file left out", _mean([s for _, s in loo]), False))
    rows.append(_row("**mean**", "", "", "baseline", _mean([r.baseline for r in results]), False))
    return "\n".join(rows)


@dataclass
class Labelled:
    """A stripped file cut into units as inference sees it, each with who really said it."""

    name: str
    units: list[Unit]
    speakers: list[str]
    truth: list[tuple[str, str]]
    context: str
    found: Evidence
    title: str = ""


def labelled_units(path: Path, aliases: AliasTable) -> Labelled:
    """The units of the stripped copy, each given the real speaker of most of its characters."""
    stripped = strip_labels(path, aliases)
    parsed, blocks = read_blocks(stripped.data, aliases=aliases)
    units = split_units(blocks, parsed.joiner)
    true_text = _tokens(tuple(stripped.truth))[0]
    starts, names = _speaker_at(stripped.truth)
    guess = [re.sub(r"\s+", "", u.text) for u in units]
    to_true = _align("".join(guess), true_text)
    speakers, at = [], 0
    for text in guess:
        votes = Counter(
            names[bisect.bisect_right(starts, to_true[k]) - 1] for k in range(at, at + len(text)) if k in to_true
        )
        speakers.append(votes.most_common(1)[0][0] if votes else "")
        at += len(text)
    context = "\n".join(filter(None, [parsed.title, parsed.context]))
    return Labelled(path.name, units, speakers, stripped.truth, context, evidence(units), parsed.title or "")


def _host(file: Labelled) -> str:
    """The speaker who asks the most questions."""
    asked = Counter(s for s, q in zip(file.speakers, asks([u.text for u in file.units]), strict=True) if q)
    return asked.most_common(1)[0][0] if asked else file.speakers[0]


def _logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, rounds: int = 50) -> tuple[float, ...]:
    """Weights (intercept first) of an L2-regularised logistic regression, by Newton's method."""
    x1 = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(x1.shape[1])
    penalty = np.eye(len(w)) * l2
    penalty[0, 0] = 0.0
    for _ in range(rounds):
        p = 1.0 / (1.0 + np.exp(-(x1 @ w)))
        gradient = x1.T @ (p - y) + penalty @ w
        hessian = (x1 * (p * (1 - p))[:, None]).T @ x1 + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return tuple(round(float(v), 3) for v in w)


# The two weights of the Viterbi pass are chosen from these by the summed F1 and words right on the training files.
EMISSION_GRID = (1.0, 2.0, 3.0, 4.0)
BIAS_GRID = (0.0, 0.5, 1.0, 1.5)


def fit(files: list[Labelled]) -> SpeakerModel:
    """Both logistic models on the files' units, then the Viterbi weights that score best on the same files."""
    change_y, host_y = [], []
    for file in files:
        change_y += [a != b for a, b in itertools.pairwise(file.speakers)]
        host = _host(file)
        host_y += [s == host for s in file.speakers]
    change = _logistic(np.vstack([f.found.change for f in files]), np.array(change_y, dtype=float))
    host = _logistic(np.vstack([f.found.host for f in files]), np.array(host_y, dtype=float))

    def quality(weights: tuple[float, float]) -> float:
        model = SpeakerModel(change, host, *weights)
        scores = [score_speakers(file, [str(r) for r in decode(file.found, model)], set()) for file in files]
        return sum(s.f1 + s.words_right for s in scores)

    return SpeakerModel(change, host, *max(itertools.product(EMISSION_GRID, BIAS_GRID), key=quality))


def score_speakers(file: Labelled, speakers: list[str], roles: set[str] | None = None) -> Score:
    """Score a speaker per unit against the truth (turns are runs of one speaker); `roles` default to ours."""
    inferred: list[tuple[str, str]] = []
    for unit, speaker in zip(file.units, speakers, strict=True):
        if inferred and inferred[-1][0] == speaker:
            inferred[-1] = (speaker, f"{inferred[-1][1]} {unit.text}")
        else:
            inferred.append((speaker, unit.text))
    return score(file.truth, inferred, {s for s in speakers if is_role(s)} if roles is None else roles)


def leave_one_out(files: list[Labelled], extra: list[Labelled], aliases: AliasTable) -> list[tuple[str, Score]]:
    """Each file attributed (names included) by a model fitted on all the others and the extra training files."""
    out = []
    for file in files:
        model = fit([f for f in files if f is not file] + extra)
        speakers = name_speakers(file.units, decode(file.found, model), file.context, aliases, file.title)
        out.append((file.name, score_speakers(file, speakers)))
    return out


def fit_all(
    scored: list[Path], extra: list[Path], aliases: AliasTable | None
) -> tuple[list[tuple[str, Score]], SpeakerModel]:
    """Leave-one-file-out scores of the scored files and the weights fitted on every file."""
    aliases = aliases or AliasTable()
    files = [labelled_units(path, aliases) for path in scored]
    more = [labelled_units(path, aliases) for path in extra]
    return leave_one_out(files, more, aliases), fit(files + more)
