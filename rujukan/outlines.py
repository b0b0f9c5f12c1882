"""Region outlines as GeoJSON, keyed by BPS code, for the maps.

- All Indonesia (data/SOURCES.md §14): one file per kab/kota under data/raw/outlines_indonesia_kabkota,
  keyed by Kemendagri code and joined to BPS codes through the code bridge (never by digits); the
  build writes them, already simplified by their source, to data/outlines.geojson, with a feature
  of null geometry for each region the source has no outline for.
- Jawa Timur and Jawa Tengah in more detail (the raw nusa tables): one ring (a few regions: several,
  for islands) of [lat, lon] pairs per region, Kemendagri codes equal to the BPS codes in these two
  provinces; GeoJSON wants [lon, lat]. Rings too short to draw are left out. Used for a province map.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from . import national_sources as national
from .errors import DuplicateRegionError, JoinError, OutlineError, SourceFormatError

OUTLINE_FILES = ("nusa_regencies_35_jawa_timur.csv", "nusa_regencies_33_jawa_tengah.csv")
#: Provinces whose detailed (nusa) outlines a province map uses.
DETAILED_PROVINCES = ("33", "35")
NATIONAL_FOLDER = "outlines_indonesia_kabkota"
#: The built national outlines (data/), written by rujukan.databuild.
NATIONAL_FILE = "outlines.geojson"
#: Files of the national folder that are not one kab/kota (data/SOURCES.md §14), each with why it is left out.
NATIONAL_JUNK = {
    "Jawa_Timur/Kabupaten_Jawa_Timur.json": "no code and no geometry: not a kab/kota",
    "Gorontalo/Kabupaten_Pahuwato.json": "a misspelt duplicate of Kabupaten_Pohuwato.json (same code 75.04), without geometry",
    "Nusa_Tenggara_Barat/Kabupaten_Sumbawa-Sumbawa_Barat.json": "two regencies merged (52.04, 52.07); each has its own file",
    "Sulawesi_Utara/Kabupaten_Minahasa_Selatan-Bolaang_Mongondwo_Timur.json": "two regencies merged (71.05, 71.10); each has its own file",
}
#: Decimals kept of a coordinate (4: about 11 m, far finer than the source's simplified shapes).
NATIONAL_DECIMALS = 4
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


def _national_rings(geometry: dict, where: str) -> list[list[list[float]]]:
    """The outer ring of each polygon as [[lon, lat], ...] (holes are not drawn: the enclave inside,
    a city in its regency, is drawn over its regency by the map)."""
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else None
    if not isinstance(polygons, list):
        raise SourceFormatError(f"{where}: geometry type {kind!r} is not Polygon or MultiPolygon")
    rings = []
    for polygon in polygons:
        try:
            ring = [[round(float(lon), NATIONAL_DECIMALS), round(float(lat), NATIONAL_DECIMALS)] for lon, lat, *_ in polygon[0]]
        except (TypeError, ValueError, IndexError) as exc:
            raise SourceFormatError(f"{where}: a polygon is not a list of [lon, lat] points ({exc})") from exc
        ring = [p for i, p in enumerate(ring) if i == 0 or p != ring[i - 1]]
        if len(ring) >= 4:
            rings.append(ring if ring[0] == ring[-1] else ring + [ring[0]])
    return rings


def read_national_outlines(raw_dir: Path, regions: dict[str, dict[str, str]], bridge: dict[str, tuple[str, str]]) -> dict:
    """The national outline folder as a FeatureCollection of every region (id = BPS code), joined
    through the bridge; a region the source has no geometry for gets `"geometry": null`. Fails
    naming the file when one is not a kab/kota outline, does not join, or joins a region twice."""
    folder = raw_dir / NATIONAL_FOLDER / "Kabupaten"
    files = sorted(folder.glob("*/*.json"))
    if not files:
        raise SourceFormatError(f"{folder} holds no outline files; copy the folder unchanged from shared/data/sources/ (see data/SOURCES.md)")
    papua = national.papua_names(bridge)
    geometry: dict[str, dict | None] = {}
    where: dict[str, str] = {}
    for path in files:
        relative = f"{path.parent.name}/{path.name}"
        if relative in NATIONAL_JUNK:
            continue
        try:
            features = json.loads(path.read_text(encoding="utf-8"))["features"]
            (feature,) = features
            properties = feature["properties"]
            dotted, name = properties["KDPKAB"], properties["WADMKK"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise SourceFormatError(f"{relative}: not a FeatureCollection of one kab/kota with KDPKAB and WADMKK ({exc!r})") from exc
        if not isinstance(dotted, str) or not re.fullmatch(r"\d{2}\.\d{2}", dotted):
            raise SourceFormatError(f"{relative}: KDPKAB {dotted!r} is not a Kemendagri kab/kota code such as 33.28")
        kind = "kota" if path.name.startswith("Kota_") else "kabupaten"
        name_key = national.kind_and_name(str(name))[1]  # WADMKK: "Kota Jayapura" or "Jayapura"; the kind is in the file name
        code = national.bps_code(dotted, (kind, name_key), bridge, papua, f"{relative}: {name}")
        if code in geometry:
            raise DuplicateRegionError(f"{relative}: {regions[code]['name']} ({code}) already has the outline {where[code]}")
        where[code] = relative
        shape = feature.get("geometry")
        rings = _national_rings(shape, relative) if shape else []
        geometry[code] = {"type": "MultiPolygon", "coordinates": [[ring] for ring in rings]} if rings else None
    absent = sorted(set(regions) - set(geometry))
    if absent:
        raise JoinError(f"{folder}: no outline file for {national.region_names(regions, absent)}")
    features = [
        {"type": "Feature", "id": code, "properties": {"name": regions[code]["name"], "province_code": regions[code]["province_code"]},
         "geometry": geometry[code]}
        for code in sorted(regions)
    ]
    return {"type": "FeatureCollection", "features": features}


def load_national(data_dir: Path) -> dict:
    """The built national outlines (data/outlines.geojson); OutlineError if missing or unusable."""
    path = Path(data_dir) / NATIONAL_FILE
    try:
        geo = json.loads(path.read_text(encoding="utf-8"))
        ids = [f["id"] for f in geo["features"]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise OutlineError(f"Cannot read outlines {path}: {exc}; rebuild them with python -m rujukan.databuild") from exc
    if len(set(ids)) != len(ids):
        raise OutlineError(f"{path}: a region appears twice; rebuild it with python -m rujukan.databuild")
    return geo


def no_outline(geo: dict) -> list[str]:
    """Codes of the regions the outline source has no shape for."""
    return [f["id"] for f in geo["features"] if not f.get("geometry")]
