"""How fast the PDF and Word readers are: pages per second and reports per second.

    .venv/bin/python bench/readers_bench.py          # best of 5 rounds each
    .venv/bin/python bench/readers_bench.py -n 3 --no-doc

On ``tests/fixtures/pdf/huaian-2024.pdf`` (a real 6-page report with ruled tables), read from
the page's geometry (pdfplumber) and, for comparison, from its text layer (pypdf, the path of
PDFs without ruling lines); on a ruled PDF and a .docx made from the city-2025 HTML sample
(tests/pdf_documents.py, tests/word_documents.py: needs the test extra), and on a .doc made
from that .docx when LibreOffice is installed (the conversion by soffice dominates). CPU time
of this process (wall time for the .doc, whose work is in soffice), the best of the rounds.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import gongkai  # noqa: E402
from gongkai.engine.plugin_types import ReadOptions  # noqa: E402
from gongkai.plugins import pdf_reader, word_reader  # noqa: E402
from gongkai.read.pipetext import text_to_source  # noqa: E402

HUAIAN = ROOT / "tests" / "fixtures" / "pdf" / "huaian-2024.pdf"
CITY = ROOT / "tests" / "fixtures" / "samples" / "city-2025.html"


def best(fn: Callable[[], object], rounds: int, clock=time.process_time) -> float:
    fn()  # warm: imports, fonts, the grammar
    times = []
    for _ in range(rounds):
        start = clock()
        fn()
        times.append(clock() - start)
    return min(times)


def pages(data: bytes) -> int:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def row(name: str, seconds: float, n_pages: int | None = None) -> None:
    per_page = f"{n_pages / seconds:8.1f}" if n_pages else "       -"
    print(f"{name:<44} {seconds * 1000:9.1f} ms {per_page} pages/s {1 / seconds:8.2f} "
          "reports/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--rounds", type=int, default=5)
    parser.add_argument("--no-doc", action="store_true", help="skip the .doc (LibreOffice)")
    args = parser.parse_args()
    options = ReadOptions(filename="report.pdf")

    huaian = HUAIAN.read_bytes()
    n = pages(huaian)
    print(f"{'input, what is timed':<44} {'CPU':>12} {'':>8} {'':>7} {'':>8}")
    row("huaian-2024.pdf: read, page geometry", best(
        lambda: pdf_reader.read(huaian, options), args.rounds), n)
    row("huaian-2024.pdf: read, text layer (pypdf)", best(
        lambda: text_to_source(pdf_reader.extract_text(huaian), "pdf"), args.rounds), n)
    row("huaian-2024.pdf: whole conversion", best(
        lambda: gongkai.convert_bytes(huaian, filename="huaian.pdf"), args.rounds), n)

    try:
        import pdf_documents
        import word_documents
    except ImportError as exc:
        print(f"(the made PDF and Word files need the test extra: {exc})")
        return
    parts = pdf_documents.html_tables(CITY.read_bytes())
    city_pdf = pdf_documents.build(parts)
    row("city-2025, ruled PDF: whole conversion", best(
        lambda: gongkai.convert_bytes(city_pdf, filename="city.pdf"), args.rounds),
        pages(city_pdf))
    city_docx = word_documents.build_docx(parts)
    row("city-2025.docx: read", best(
        lambda: word_reader.read(city_docx, ReadOptions(filename="city.docx")), args.rounds))
    row("city-2025.docx: whole conversion", best(
        lambda: gongkai.convert_bytes(city_docx, filename="city.docx"), args.rounds))
    if args.no_doc or shutil.which("soffice") is None:
        print("(.doc skipped: LibreOffice is not installed or --no-doc)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        source = os.path.join(tmp, "city.docx")
        Path(source).write_bytes(city_docx)
        subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                        "--convert-to", "doc", "--outdir", tmp, source], check=True,
                       capture_output=True, timeout=300)
        city_doc = Path(tmp, "city.doc").read_bytes()
    row("city-2025.doc: whole conversion (wall)", best(
        lambda: gongkai.convert_bytes(city_doc, filename="city.doc"), min(args.rounds, 3),
        clock=time.perf_counter))


if __name__ == "__main__":
    main()
