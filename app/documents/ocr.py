"""Scanned pages: image loading with a pixel cap, tesseract per page, orientation and skew.

Speed matters here (the contract asks for raw tesseract speed), so a clean upright page costs
exactly one tesseract run plus a few milliseconds of checks on a reduced copy: grain (smoothed
first, as it slows tesseract several-fold) and skew (corrected when a degree or more, as a
tilt makes tesseract misread digits in narrow columns). Orientation is searched only when that
first read is poor, which is what an upside-down or sideways scan produces, or when the page is
landscape.
"""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageFilter, ImageOps, ImageStat, UnidentifiedImageError

from app.documents.base import ExtractionError, Limits, Line, Word, group_lines

TESSERACT = shutil.which("tesseract") or "/usr/bin/tesseract"
_ENV = {**os.environ, "OMP_THREAD_LIMIT": "1"}
_PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "tiff": "TIFF"}
_DAMAGED_IMAGE = "This image is damaged and cannot be read; upload it again or use another copy."
_PASSTHROUGH_MODES = frozenset({"1", "L", "RGB"})
_PNG_END = b"IEND\xaeB`\x82"
_CLEAN_BYTES_PER_PIXEL = 0.08

GOOD_CONFIDENCE = 70.0
"""Mean word confidence (0-100) below which a page is retried with orientation detection."""
_USABLE_CONFIDENCE = 50.0
_PROBE_FRACTION = 0.25
_LANDSCAPE = 1.1
_SKEW_WIDTH = 320  # reduced width for skew estimation; rows stay a few pixels apart
_MIN_SKEW = 1.0  # tesseract reads a tilt under a degree as well as none
_MAX_SKEW = 6
_PAPER_LEVEL = 170
_NOISE_STDDEV = 10.0
_DENOISE_RADIUS = 0.8
_MIN_WORDS = 3


class PageTimeout(Exception):
    """Reading one page took longer than the per-page limit."""


@dataclass
class PageImage:
    """One page to OCR: an 8-bit greyscale image, or a clean PNG file that tesseract can read
    as it is (decoded here only if the first read calls for a second one)."""

    image: Image.Image | None = None
    path: Path | None = None
    file_size: tuple[int, int] = (0, 0)

    @property
    def size(self) -> tuple[int, int]:
        """Width and height in pixels."""
        return self.image.size if self.image is not None else self.file_size

    def load(self) -> Image.Image:
        """The page as an 8-bit greyscale image."""
        if self.image is None:
            assert self.path is not None
            with _open_image(self.path.read_bytes(), "png") as im:
                try:
                    im.load()
                except (OSError, ValueError, SyntaxError):
                    raise ExtractionError(_DAMAGED_IMAGE) from None
                grey = to_grey(im)
                self.image = grey.copy() if grey is im else grey
        return self.image


@dataclass
class OcrPage:
    """Recognised rows of one page and how well they were read."""

    lines: list[Line]
    mean_conf: float
    words: int
    slope: float = 0.0


# ---------------------------------------------------------------------------------------------
# Loading images


def _bomb(width: int, height: int, limits: Limits) -> ExtractionError:
    return ExtractionError(
        f"This image is too large to read safely ({width} × {height} pixels; the limit is "
        f"{limits.max_pixels / 1_000_000:g} million pixels a page). Scan it again at 300 dpi or less."
    )


def _open_image(data: bytes, kind: str | None) -> Image.Image:
    """Open (header only) with decompression-bomb warnings turned into errors."""
    formats = [_PIL_FORMATS[kind]] if kind else list(_PIL_FORMATS.values())
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            return Image.open(io.BytesIO(data), formats=formats)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            size = re.findall(r"\d+", str(exc))
            raise ExtractionError(
                "This image is too large to read safely"
                + (f" ({size[0]} pixels)" if size else "")
                + ". Scan it again at 300 dpi or less."
            ) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise ExtractionError(_DAMAGED_IMAGE) from None


def to_grey(im: Image.Image) -> Image.Image:
    """8-bit greyscale with transparency flattened onto white and 16-bit depth scaled down."""
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        im = im.point(lambda v: v * (1 / 256)).convert("L")
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = Image.alpha_composite(background, rgba)
    return im if im.mode == "L" else im.convert("L")


def _clean_png(data: bytes, im: Image.Image) -> bool:
    """A complete, plain PNG of a digitally clean page (a rendering or screenshot rather than a
    camera or scanner image): it compresses to a few hundredths of a byte a pixel, where any
    grain costs ten times that. Tesseract can read such a file itself, saving a decode."""
    width, height = im.size
    return (
        im.format == "PNG"
        and im.mode in _PASSTHROUGH_MODES
        and data.endswith(_PNG_END)
        and len(data) < _CLEAN_BYTES_PER_PIXEL * width * height
    )


def image_pages(data: bytes, kind: str, limits: Limits, path: Path | None = None) -> tuple[int, Iterator[PageImage]]:
    """Page count and a generator of pages of a PNG, JPEG or (multi-page) TIFF, each checked
    against the pixel cap before it is decoded. With `path`, a clean single-page PNG is handed
    to tesseract as it is."""
    im = _open_image(data, kind)
    frames = 0
    try:
        while True:
            width, height = im.size
            if width * height > limits.max_pixels:
                raise _bomb(width, height, limits)
            frames += 1
            if frames > limits.max_pages:
                raise ExtractionError(
                    f"This image has more than {limits.max_pages} pages; upload only the pages of the certificate."
                )
            try:
                im.seek(frames)
            except (EOFError, AttributeError):
                break
            except (OSError, ValueError):
                raise ExtractionError(_DAMAGED_IMAGE) from None
    except BaseException:
        im.close()
        raise

    def pages() -> Iterator[PageImage]:
        try:
            if frames == 1 and path is not None and _clean_png(data, im):
                yield PageImage(path=path, file_size=im.size)
                return
            for index in range(frames):
                im.seek(index)
                try:
                    im.load()
                    frame = ImageOps.exif_transpose(im) if kind == "jpeg" else im
                    grey = to_grey(frame)
                    if grey is im and frames > 1:
                        grey = im.copy()  # the frame object is reused by the next seek
                except (OSError, ValueError, SyntaxError):
                    raise ExtractionError(_DAMAGED_IMAGE) from None
                yield PageImage(image=grey)
        finally:
            im.close()

    return frames, pages()


# ---------------------------------------------------------------------------------------------
# Running tesseract


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise PageTimeout
    return left


def _tesseract(args: list[str], deadline: float) -> str:
    try:
        done = subprocess.run(  # noqa: S603 - fixed executable, arguments built here
            [TESSERACT, *args],
            capture_output=True,
            env=_ENV,
            timeout=_remaining(deadline),
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PageTimeout from None
    except OSError as exc:
        raise RuntimeError(f"tesseract could not be started: {exc}") from None
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace")
        if "pixRead" in err or "cannot be read" in err or "Unsupported image" in err:
            raise ExtractionError(_DAMAGED_IMAGE)
        raise RuntimeError(f"tesseract failed ({done.returncode}): {err.strip()[-300:]}")
    return done.stdout.decode("utf-8", "replace")


def _save_pgm(image: Image.Image, tmp: Path, name: str) -> Path:
    # PGM is written ~10x faster than PNG and tesseract reads it as fast.
    target = tmp / f"{name}.pgm"
    image.save(target, format="PPM")
    return target


def _parse_tsv(tsv: str, page_no: int, size: tuple[int, int]) -> OcrPage:
    width = float(size[0] or 1)
    upright = sideways = 0
    words: list[tuple[Word, float, float]] = []
    by_line: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    confs: list[float] = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        if not text:
            continue
        try:
            left, top, w, h, conf = int(cols[6]), int(cols[7]), int(cols[8]), int(cols[9]), float(cols[10])
        except ValueError:
            continue
        conf = max(conf, 0.0)
        if sum(c.isalnum() for c in text) >= 2:
            confs.append(conf)
        if len(text) >= 3:
            upright += w > h
            sideways += h > w
        words.append((Word(text, left / width, (left + w) / width, conf / 100), (top + h / 2) / width, h / width))
        by_line.setdefault((cols[2], cols[3], cols[4]), []).append((left + w / 2, top + h))
    slope = _line_slope(by_line)
    mean = statistics.fmean(confs) if confs else 0.0
    if sideways > upright:
        # Tesseract sometimes reads a sideways page by turning it internally; its word boxes
        # then run down the page and cannot be put into rows, so count it as a failed read.
        mean = 0.0
    return OcrPage(group_lines(page_no, words, slope, ocr=True), mean, len(confs), slope=slope)


def _line_slope(by_line: dict[tuple[str, str, str], list[tuple[float, float]]]) -> float:
    """Median tilt of tesseract's own text lines (word bottoms against x), so rows can be
    rebuilt across columns on a skewed scan."""
    slopes = []
    for points in by_line.values():
        if len(points) < 3:
            continue
        (x0, y0), (x1, y1) = points[0], points[-1]
        if x1 - x0 > 50:
            slopes.append((y1 - y0) / (x1 - x0))
    return statistics.median(slopes) if slopes else 0.0


def _recognise(source: Path, page_no: int, size: tuple[int, int], deadline: float) -> OcrPage:
    tsv = _tesseract([str(source), "stdout", "--psm", "3", "tsv"], deadline)
    return _parse_tsv(tsv, page_no, size)


def _inkiest_band(image: Image.Image, fraction: float) -> tuple[int, int]:
    """Top and bottom of the horizontal band of `fraction` of the height holding most ink."""
    dark = _reduced(image).point(lambda v: 255 if v < 160 else 0)
    profile = list(dark.resize((1, dark.height), Image.Resampling.BOX).tobytes())
    window = max(1, int(len(profile) * fraction))
    sums = [sum(profile[:window])]
    for i in range(window, len(profile)):
        sums.append(sums[-1] + profile[i] - profile[i - window])
    top = max(range(len(sums)), key=sums.__getitem__)
    scale = image.height / len(profile)
    return int(top * scale), min(image.height, int((top + window) * scale))


def _probe(image: Image.Image, turn: int, tmp: Path, deadline: float) -> float:
    """Mean word confidence of the inkiest quarter of the page turned by `turn` degrees
    clockwise: a quarter of the cost of a full read, enough to tell which way is up."""
    turned = image.rotate(-turn, expand=True) if turn else image
    top, bottom = _inkiest_band(turned, _PROBE_FRACTION)
    band = turned.crop((0, top, turned.width, bottom))
    page = _recognise(_save_pgm(band, tmp, f"probe{turn}"), 0, band.size, deadline)
    return page.mean_conf if page.words >= _MIN_WORDS else 0.0


def find_orientation(image: Image.Image, tmp: Path, deadline: float, candidates: tuple[int, ...]) -> int:
    """Which clockwise quarter-turn of `candidates` reads best, or 0 if none reads well.

    Tesseract's own orientation detection (--psm 0) was tried first and dropped: on sparse
    forms it took longer than a full read and often named the wrong side (see bench/)."""
    best, best_conf = 0, 0.0
    for turn in candidates:
        conf = _probe(image, turn, tmp, deadline)
        if conf >= GOOD_CONFIDENCE:
            return turn
        if conf > best_conf:
            best, best_conf = turn, conf
    return best if best_conf >= _USABLE_CONFIDENCE else 0


def _reduced(image: Image.Image) -> Image.Image:
    factor = max(1, image.width // _SKEW_WIDTH)
    return image.reduce(factor) if factor > 1 else image


def estimate_skew(image: Image.Image) -> float:
    """Skew in degrees (counter-clockwise positive, as PIL's rotate takes it) that makes text
    rows horizontal: the angle whose row profile of ink is sharpest, on a reduced copy. A
    coarse pass every 1.5 degrees, then halving steps around the best: 13 profiles."""
    ink = _reduced(image).point(lambda v: 255 if v < 160 else 0)
    scores: dict[float, float] = {}

    def sharpness(angle: float) -> float:
        if angle not in scores:
            turned = ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0)
            profile = turned.resize((1, turned.height), Image.Resampling.BOX)
            scores[angle] = ImageStat.Stat(profile).var[0]
        return scores[angle]

    best = max((step * 1.5 for step in range(-4, 5)), key=sharpness)
    for delta in (0.75, 0.375):
        best = max((best - delta, best, best + delta), key=sharpness)
    return best if scores[best] > scores[0.0] else 0.0


def is_noisy(image: Image.Image) -> bool:
    """True when the paper itself is grainy (phone photos, dirty scans): tesseract then slows
    down several-fold and misses text unless the grain is smoothed first. Sampled on a band
    across the middle of the page."""
    w, h = image.size
    band = image.crop((w // 8, h * 7 // 16, w * 7 // 8, h * 9 // 16))
    paper = band.point(lambda v: 255 if v > _PAPER_LEVEL else 0)
    stats = ImageStat.Stat(band, paper)
    return bool(stats.count[0]) and stats.stddev[0] > _NOISE_STDDEV


def has_ink(image: Image.Image) -> bool:
    """True unless the page is blank (under 0.1% dark pixels once reduced)."""
    dark = _reduced(image).point(lambda v: 255 if v < 128 else 0)
    return ImageStat.Stat(dark).mean[0] > 255 * 0.001


def prepare(image: Image.Image, tmp: Path, deadline: float) -> tuple[Image.Image, int, bool]:
    """Smooth grain, stand a landscape page upright, and straighten a tilt of a degree or
    more. Returns the image, the quarter-turn applied, and whether the image was changed at all."""
    changed = False
    if is_noisy(image):
        image = image.filter(ImageFilter.GaussianBlur(_DENOISE_RADIUS))
        changed = True
    rotate = 0
    if _landscape(image.size):
        # Certificates are portrait: a landscape page is probably sideways.
        rotate = find_orientation(image, tmp, deadline, (0, 90, 270))
        if rotate:
            image = image.rotate(-rotate, expand=True)
            changed = True
    angle = estimate_skew(image)
    if abs(angle) >= _MIN_SKEW:
        image = image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
        changed = True
    return image, rotate, changed


def _landscape(size: tuple[int, int]) -> bool:
    return size[0] > size[1] * _LANDSCAPE


def ocr_page(page: PageImage, page_no: int, limits: Limits) -> OcrPage:
    """Recognise one page within `limits.page_timeout` seconds."""
    deadline = time.monotonic() + limits.page_timeout
    with tempfile.TemporaryDirectory(prefix="taxdesk-ocr-") as tmpdir:
        tmp = Path(tmpdir)
        direct: OcrPage | None = None
        if page.path is not None and not _landscape(page.size):
            direct = _recognise(page.path, page_no, page.size, deadline)
            tilt = abs(math.degrees(math.atan(direct.slope)))
            if _read_well(direct) and tilt < _MIN_SKEW:
                return direct
        return _read_prepared(page.load(), page_no, tmp, deadline, direct)


def _read_well(page: OcrPage) -> bool:
    return page.mean_conf >= GOOD_CONFIDENCE and page.words >= _MIN_WORDS


def _read_prepared(image: Image.Image, page_no: int, tmp: Path, deadline: float, direct: OcrPage | None) -> OcrPage:
    """Prepare a page image (grain, orientation, skew), read it (unless preparing changed
    nothing and `direct` is that read already), and if that reads poorly look for the side
    that is up."""
    image, rotate, changed = prepare(image, tmp, deadline)
    if direct is not None and not changed:
        first = direct
    else:
        first = _recognise(_save_pgm(image, tmp, "page"), page_no, image.size, deadline)
    if _read_well(first):
        return first
    if first.words < _MIN_WORDS and not has_ink(image):
        return first  # a blank page
    # A poor read of a page with ink: most likely upside down or sideways.
    turn = find_orientation(image, tmp, deadline, (180,) if rotate else (180, 90, 270))
    if not turn:
        return first
    turned = image.rotate(-turn, expand=True)
    second = _recognise(_save_pgm(turned, tmp, "turned"), page_no, turned.size, deadline)
    return second if second.mean_conf > first.mean_conf else first
