"""Checking uploads by content: the time ``check_upload`` takes per format and size, against
the baseline of reading the same bytes and hashing them (what any upload costs).

    python bench/uploads.py [--repeat 5]

Files are built in memory: a PDF padded to size, a noisy PNG, a JPEG, an XLSX of many rows,
a DOCX, a CSV. Each is checked ``--repeat`` times; the table gives medians in milliseconds.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meute.settings")


def _files() -> list[tuple[str, str, bytes]]:
    from openpyxl import Workbook
    from PIL import Image

    rng = random.Random(1)
    pdf_body = b"%PDF-1.4\n1 0 obj\n<< /Length 0 >>\nstream\n"
    files = []
    for size in (1, 9):
        pad = bytes(rng.getrandbits(8) for _ in range(1024)) * (size * 1024)
        files.append((f"PDF {size} MB", "a.pdf", pdf_body + pad + b"\nendstream\nendobj\n%%EOF\n"))
    for side in (600, 1800):
        noise = Image.frombytes("RGB", (side, side), bytes(rng.getrandbits(8) for _ in range(side * side * 3)))
        out = io.BytesIO()
        noise.save(out, format="PNG")
        files.append((f"PNG {side}×{side} (noise)", "a.png", out.getvalue()))
        out = io.BytesIO()
        noise.save(out, format="JPEG", quality=90)
        files.append((f"JPEG {side}×{side} (noise)", "a.jpg", out.getvalue()))
    book = Workbook()
    for row in range(20_000):
        book.active.append([row, f"ligne {row}", row * 1.5, "prévention"])
    out = io.BytesIO()
    book.save(out)
    files.append(("XLSX 20,000 rows", "a.xlsx", out.getvalue()))
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
    from tests.files.samples import docx_bytes

    files.append(("DOCX (small)", "a.docx", docx_bytes()))
    files.append(("CSV 9 MB", "a.csv", ("nom;métier;ville\n" + "Dupont;avocat;Poitiers\n" * 400_000).encode()))
    return files


def _median_ms(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from meute.files.checks import check_upload

    print("| file | size | baseline ms (read + sha256) | check_upload ms | overhead ms |")
    print("|---|---|---|---|---|")
    for label, name, data in _files():
        def baseline(data=data, name=name):
            upload = SimpleUploadedFile(name, data)
            hashlib.sha256(upload.read()).hexdigest()

        def check(data=data, name=name):
            check_upload(SimpleUploadedFile(name, data), max_bytes=20 * 1024 * 1024)

        base, checked = _median_ms(baseline, args.repeat), _median_ms(check, args.repeat)
        print(f"| {label} | {len(data) / 1_048_576:.1f} MB | {base:.1f} | {checked:.1f} | {checked - base:.1f} |")


if __name__ == "__main__":
    main()
