"""Small helpers shared by the bench scripts: percentiles, figures to JSON, the eval set."""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
EVAL_SET = Path(__file__).resolve().parent / "eval" / "queries.jsonl"
sys.path.insert(0, str(ROOT))


def load_eval() -> list[dict]:
    return [json.loads(line) for line in EVAL_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


def percentiles(values_ms: list[float]) -> dict[str, float]:
    arr = np.asarray(values_ms)
    return {"p50_ms": round(float(np.percentile(arr, 50)), 2), "p95_ms": round(float(np.percentile(arr, 95)), 2), "n": len(values_ms)}


def write(name: str, figures: dict) -> Path:
    """Store figures as JSON with when and where they were measured."""
    RESULTS.mkdir(exist_ok=True)
    figures = {"measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "machine": platform.platform(), **figures}
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path
