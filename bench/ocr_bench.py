"""OCR throughput: our extraction pipeline against raw tesseract on the same scanned pages.

Generates N clean 300 dpi scanned pages (PNG) from the synthetic certificates, then times, with
two worker processes (one per core, as the OCR queue runs):
  * raw:  `tesseract page.png stdout` with OMP_THREAD_LIMIT=1;
  * ours: `extract_file(page)` in long-lived workers, as the RQ worker calls it (decoding, grain
          and skew checks, tesseract, parsing, classification).
The two are interleaved page by page on the same two workers, so load from other programs on
the machine falls on both alike, and pages/s is pages / (summed task seconds / workers). The
command line is timed end to end too (two `python -m app.documents.extract` processes, each
given half the pages, start-up included), and text-layer PDFs through `extract_file` (no OCR).
Writes bench/results/ocr.json.

    .venv/bin/python bench/ocr_bench.py [--pages 20] [--repeats 2]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.documents.extract import extract_file  # noqa: E402
from tests.unit.documents import generate as g  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "ocr.json"
WORKERS = 2  # one per core on the reference machine
TESSERACT_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
MAKERS = (
    (g.make_form16_pdf, g.FORM16_LAYOUTS),
    (g.make_form16a_pdf, g.FORM16A_LAYOUTS),
    (g.make_interest_certificate_pdf, g.INTEREST_LAYOUTS),
)


def make_documents(workdir: Path, count: int) -> list[Path]:
    """`count` text PDFs cycling through every layout of every certificate."""
    docs: list[Path] = []
    while len(docs) < count:
        for make, layouts in MAKERS:
            for layout in range(layouts):
                if len(docs) == count:
                    return docs
                path = workdir / f"doc{len(docs):03d}.pdf"
                make(path, {}, layout=layout)
                docs.append(path)
    return docs


def make_pages(workdir: Path, docs: list[Path], count: int) -> list[Path]:
    """`count` single-page 300 dpi PNG scans taken from the documents' pages in turn."""
    pages: list[Path] = []
    for doc in docs:
        for i, image in enumerate(g.render_pdf(doc, 300)):
            if len(pages) == count:
                return pages
            path = workdir / f"page{len(pages):03d}-{doc.stem}-{i}.png"
            image.save(path, format="PNG", dpi=(300, 300))
            pages.append(path)
    return pages


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_raw(pages: list[Path]) -> float:
    """Seconds for raw tesseract over all pages, WORKERS processes at a time."""

    def one(page: Path) -> None:
        subprocess.run(  # noqa: S603
            ["tesseract", str(page), "stdout"], env=TESSERACT_ENV, capture_output=True, check=True
        )

    start = time.perf_counter()
    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(one, pages))
    return time.perf_counter() - start


def time_ours(pages: list[Path]) -> tuple[float, list[dict[str, Any]]]:
    """Seconds for our command line over all pages in WORKERS processes, and its output."""
    shares = [pages[i::WORKERS] for i in range(WORKERS)]
    start = time.perf_counter()
    procs = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "app.documents.extract", *map(str, share)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for share in shares
    ]
    outputs = [p.communicate() for p in procs]
    elapsed = time.perf_counter() - start
    results = [json.loads(line) for out, _err in outputs for line in out.splitlines()]
    if any(p.returncode != 0 for p in procs):
        raise SystemExit(f"extract failed: {[err[-500:] for _out, err in outputs]}")
    return elapsed, results


def _task(job: tuple[str, str]) -> tuple[str, float, str]:
    """One timed page in a worker process: raw tesseract or our whole pipeline."""
    kind, page = job
    start = time.perf_counter()
    if kind == "raw":
        subprocess.run(["tesseract", page, "stdout"], env=TESSERACT_ENV, capture_output=True, check=True)  # noqa: S603
        doc_type = ""
    else:
        doc_type = extract_file(page)["document_type"]
    return kind, time.perf_counter() - start, doc_type


def time_paired(pages: list[Path], repeats: int) -> dict[str, Any]:
    """Raw and ours interleaved page by page on WORKERS long-lived processes."""
    jobs: list[tuple[str, str]] = []
    for r in range(repeats):
        for i, page in enumerate(pages):
            pair = [("raw", str(page)), ("ours", str(page))]
            jobs.extend(pair if (i + r) % 2 == 0 else pair[::-1])
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(WORKERS) as pool:
        pool.map(_task, [("ours", str(pages[0]))] * WORKERS)  # warm up imports in each worker
        done = pool.map(_task, jobs, chunksize=1)
    raw = sum(t for kind, t, _ in done if kind == "raw")
    ours = sum(t for kind, t, _ in done if kind == "ours")
    n = len(pages) * repeats
    return {
        "raw_pages_per_s": n / (raw / WORKERS),
        "ours_pages_per_s": n / (ours / WORKERS),
        "typed": sum(1 for kind, _, doc_type in done if kind == "ours" and doc_type != "unknown") // repeats,
    }


def time_text_layer(docs: list[Path]) -> tuple[float, int]:
    """Seconds and pages for text-layer PDFs through extract_file in this process."""
    extract_file(docs[0])  # warm up imports and PDFium
    start = time.perf_counter()
    pages = sum(extract_file(doc)["pages"] for doc in docs)
    return time.perf_counter() - start, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=2, help="passes over the pages in the interleaved run")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ocr-bench-") as tmp:
        workdir = Path(tmp)
        docs = make_documents(workdir, args.pages)
        pages = make_pages(workdir, docs, args.pages)
        paired = time_paired(pages, args.repeats)
        cpu = _child_cpu()
        raw_cli = time_raw(pages)
        raw_cpu = _child_cpu() - cpu
        cpu = _child_cpu()
        ours_cli, _results = time_ours(pages)
        ours_cpu = _child_cpu() - cpu
        text_seconds, text_pages = time_text_layer(docs)

    raw_rate, our_rate = paired["raw_pages_per_s"], paired["ours_pages_per_s"]
    summary = {
        "pages": len(pages),
        "dpi": 300,
        "workers": WORKERS,
        "cpus": os.cpu_count(),
        "repeats": args.repeats,
        "raw_pages_per_s": round(raw_rate, 3),
        "ours_pages_per_s": round(our_rate, 3),
        "ratio": round(our_rate / raw_rate, 3),
        "pages_typed": paired["typed"],
        "cli": {
            "raw_seconds": round(raw_cli, 3),
            "ours_seconds": round(ours_cli, 3),
            "ratio": round(raw_cli / ours_cli, 3),
            "raw_cpu_seconds": round(raw_cpu, 3),
            "ours_cpu_seconds": round(ours_cpu, 3),
        },
        "text_layer_pages": text_pages,
        "text_layer_seconds": round(text_seconds, 3),
        "text_layer_pages_per_s": round(text_pages / text_seconds, 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n")
    print(
        f"OCR, {len(pages)} pages at 300 dpi x {args.repeats}, {WORKERS} workers, interleaved: raw tesseract "
        f"{raw_rate:.2f} pages/s, ours {our_rate:.2f} pages/s (ratio {our_rate / raw_rate:.2f}); "
        f"{paired['typed']}/{len(pages)} pages typed"
    )
    print(
        f"Command line end to end: raw {raw_cli:.1f} s, ours {ours_cli:.1f} s (ratio {raw_cli / ours_cli:.2f}); "
        f"CPU raw {raw_cpu:.1f} s, ours {ours_cpu:.1f} s"
    )
    print(f"Text-layer PDFs, 1 process: {text_pages / text_seconds:.1f} pages/s")
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
