"""Region outlines (Jawa Timur, Jawa Tengah) as GeoJSON, read from the raw nusa tables.

The files hold one ring (a few regions: several, for islands) of [lat, lon] pairs per region (Kemendagri codes, which equal the BPS
codes in these two provinces); GeoJSON wants [lon, lat]. Rings too short to draw are left out.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from .errors import OutlineError

OUTLINE_FILES = ("nusa_regencies_35_jawa_timur.csv", "nusa_regencies_33_jawa_tengah.csv")
#: Points closer than this (degrees, about 400 m) to the last kept one are dropped: the map is a
#: rough overview, and fewer points make each figure lighter to build and to send to the browser.
TOLERANCE = 0.004


def _rings(value: list) -> list[list[list[float]]]:
    """One ring, or a list of rings (islands), of [lat, lon] -> closed rings of [lon, lat]."""
    raw = [value] if value and not isinstance(value[0][0], list) else value
    rings = []
    for ring in raw:
        if not all(isinstance(p, list) and len(p) == 2 for p in ring):
            continue  # a stray point among the rings (Kota Semarang has some)
        points = [[round(float(lon), 5), round(float(lat), 5)] for lat, lon in ring]
        if len(points) > 1 and points[0] == points[-1]:
            points.pop()
        thinned = _thin(points)
        points = thinned if len(thinned) >= 3 else points  # a small city keeps every point
        if len(points) >= 3:  # shorter rings cannot be drawn
            rings.append(points + [points[0]])
    return rings


def _thin(points: list[list[float]]) -> list[list[float]]:
    kept = points[:1]
    for p in points[1:]:
        if abs(p[0] - kept[-1][0]) > TOLERANCE or abs(p[1] - kept[-1][1]) > TOLERANCE:
            kept.append(p)
    return kept


def load_outlines(raw_dir: Path) -> dict:
    """A GeoJSON FeatureCollection, one feature per region, feature id = 4-digit region code."""
    features = []
    csv.field_size_limit(10_000_000)
    for name in OUTLINE_FILES:
        path = raw_dir / name
        try:
            with path.open(encoding="utf-8", newline="") as f:
                rows = list(csv.DictReader(f))
        except OSError as exc:
            raise OutlineError(f"Cannot read outlines {path}: {exc}") from exc
        for line, row in enumerate(rows, start=2):
            try:
                rings = _rings(json.loads(row["coordinates"]))
            except (KeyError, TypeError, ValueError, IndexError) as exc:
                raise OutlineError(f"{path.name} line {line}: column 'coordinates' is not [lat, lon] rings ({exc})") from exc
            if rings:
                geometry = {"type": "MultiPolygon", "coordinates": [[ring] for ring in rings]}
                features.append({"type": "Feature", "id": row["code"], "properties": {"name": row["name"]}, "geometry": geometry})
    return {"type": "FeatureCollection", "features": features}
