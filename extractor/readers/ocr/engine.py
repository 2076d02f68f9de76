"""The recogniser: PP-OCRv4's Chinese text detector and recogniser, as the
rapidocr-onnxruntime wheel ships them (nothing is downloaded), run on the
CPU with onnxruntime.

Detection finds the text lines of a page; recognition reads a batch of line
crops. Crops are read in small batches of similar widths, each padded only to
its batch's widest crop: the recogniser's cost grows with the padded width,
and a table's cells are short.

Each reading keeps the recogniser's per-step probabilities, so that a cell
can also be read with only the characters a number may hold (`Reading.digits`):
where the free reading and the number reading differ, the recogniser saw a
look-alike (。 for 0, 】 for 1) and the cell is flagged.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import cv2
import numpy as np

from ...tables.values import parse_cell

# Characters a number cell may print: digits, sign, decimal point, thousands
# separator, a slash or dash for "none", 无.
VALUE_CHARS = "0123456789.,+-/%无"
# What the recogniser reads a printed digit or dash as, when it misreads it
# (the free reading then differs from the number reading: flagged).
LOOKALIKES = {
    **dict.fromkeys("○◯OoΟоD口囗。°", "0"),
    **dict.fromkeys("lI|丨亅】]」!", "1"),
    **dict.fromkeys("Zz", "2"),
    **dict.fromkeys("З", "3"),
    **dict.fromkeys("Ss", "5"),
    **dict.fromkeys("一—_ー~～", "-"),
}
_HEIGHT = 48  # the recogniser's input height
_INK = 32  # the height a segment's ink is scaled to
# Strips per run of the recogniser, and their padded width: larger runs are
# slower per pixel on a small CPU.
_BATCH = 8
_BATCH_WIDTH = 1600
_LOCK = threading.Lock()
# The longest side of the image the detector is given (below 1500, where
# rapidocr would scale it to 2000 itself).
_DETECT_SIDE = 1472


@dataclass(frozen=True, slots=True)
class Reading:
    text: str  # the free reading
    confidence: float  # the least probable character of the free reading (0 when nothing was read)
    digits: str  # the reading restricted to VALUE_CHARS
    digits_confidence: float


class Engine:
    def __init__(self, threads: int) -> None:
        import onnxruntime
        import rapidocr_onnxruntime
        from rapidocr_onnxruntime.ch_ppocr_det import TextDetector
        from rapidocr_onnxruntime.ch_ppocr_rec.utils import CTCLabelDecode
        from rapidocr_onnxruntime.utils import read_yaml

        root = Path(rapidocr_onnxruntime.__file__).parent
        config = read_yaml(root / "config.yaml")
        for part in ("Det", "Rec"):
            config[part]["model_path"] = str(root / config[part]["model_path"])
            config[part]["intra_op_num_threads"] = threads
            config[part]["inter_op_num_threads"] = 1
        det = config["Det"]
        # The detector gets images already scaled (`detect`); below this
        # longest side it leaves them as they are.
        det["limit_type"], det["limit_side_len"] = "max", 1500
        self._detector = TextDetector(det)
        # The recogniser's own session: with onnxruntime's memory arena (some
        # tenth faster on strips of every width than rapidocr's settings).
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads, options.inter_op_num_threads = threads, 1
        options.log_severity_level = 4
        # Threads that wait without spinning: on a shared machine spinning
        # threads only take the cores from the other processes.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        session = onnxruntime.InferenceSession(config["Rec"]["model_path"], options,
                                               providers=["CPUExecutionProvider"])
        name = session.get_inputs()[0].name
        self._session = lambda tensor: session.run(None, {name: tensor})
        characters = session.get_modelmeta().custom_metadata_map["character"].splitlines()
        self._charset: list[str] = CTCLabelDecode(character=characters).character
        self._groups = _value_groups(self._charset)
        # The blank and the spaces: no character of a number.
        self._nothing = np.array([0] + [i for i, ch in enumerate(self._charset) if ch.isspace()])

    def detect(self, image: np.ndarray, scale: float = 1.0) -> list[tuple[int, int, int, int]]:
        """The text lines of an RGB image, as (x0, y0, x1, y1) boxes, top to
        bottom. The detector looks at the image scaled by `scale` (a line of
        text needs no more than a dozen pixels to be found)."""
        # The detector's memory grows with its input (a third of a gigabyte
        # at this size): a larger page is looked at smaller.
        scale = min(scale, _DETECT_SIDE / max(image.shape[:2]))
        small = image if scale >= 1 else cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        boxes, _ = self._detector(np.ascontiguousarray(small))
        if boxes is None or len(boxes) == 0:
            return []
        out = []
        for box in boxes:
            xs, ys = box[:, 0] / min(scale, 1), box[:, 1] / min(scale, 1)
            out.append((int(xs.min()), int(ys.min()), math.ceil(xs.max()), math.ceil(ys.max())))
        out.sort(key=lambda b: (b[1], b[0]))
        return out

    def read(self, strips: list[Strip]) -> list[list[Reading]]:
        """Read each strip of segments (a table row's cells side by side, or
        one line of text): a reading per segment. A cell alone is read
        poorly (the recogniser knows lines of text, and a lone 0 is a 。 to
        it), so the cells of a row are laid out as one line with paper
        between them, and each character is given to the segment it was
        read in."""
        laid = [_lay_out(strip) for strip in strips]
        out: list[list[Reading]] = [[] for _ in laid]
        for batch in _batches(sorted(range(len(laid)), key=lambda i: laid[i][0].shape[1]),
                              [image.shape[1] for image, _ in laid]):
            width = max(laid[i][0].shape[1] for i in batch)
            # Padded to the batch's width with zeros, as the recogniser was
            # trained (a long run of paper makes it see characters there).
            tensor = np.zeros((len(batch), 3, _HEIGHT, width), np.float32)
            for k, i in enumerate(batch):
                image = laid[i][0]
                tensor[k, :, :, : image.shape[1]] = image.transpose(2, 0, 1).astype(np.float32) / 127.5 - 1.0
            probs = self._session(tensor)[0]
            for k, i in enumerate(batch):
                # Each step of the output covers the same width of the input.
                step = width / probs.shape[1]
                spans = laid[i][1]
                free = _ctc(probs[k], spans, step)
                digits = _ctc_number(probs[k], self._groups, self._nothing, spans, step)
                out[i] = [Reading(_text(f, self._charset), _least(f), _text(d, self._groups.chars), _least(d))
                          for f, d in zip(free, digits, strict=True)]
        return out


def _batches(order: list[int], widths: list[int]) -> list[list[int]]:
    """Strips, narrowest first, in runs: the recogniser is fastest on one
    wide strip at a time, or on a few narrow ones together (each padded to
    the widest of its run)."""
    out: list[list[int]] = []
    for i in order:
        if out and len(out[-1]) < _BATCH and (len(out[-1]) + 1) * widths[i] <= _BATCH_WIDTH:
            out[-1].append(i)
        else:
            out.append([i])
    return out


@dataclass(frozen=True, slots=True)
class Strip:
    """Segments read as one line, with `gap` pixels of paper between them
    (at the recogniser's scale): a cell's width apart for the cells of a
    row, a letter's spacing for the characters of a vertical label."""

    segments: list[Segment]
    gap: int = 16
    end: int = 8  # paper before the first segment and after the last


@dataclass(frozen=True, slots=True)
class Segment:
    """A crop to read as part of a strip: one cell's line of ink, or a line
    of text. `ink` is the height of its ink (pixels): segments are scaled
    so that their ink is of one height; None scales the crop to the strip."""

    image: np.ndarray  # RGB
    ink: int | None = None


def _lay_out(strip: Strip) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The segments side by side at the recogniser's height, paper between
    them; and where each one lies (x0, x1)."""
    pieces = []
    for segment in strip.segments:
        h, w = segment.image.shape[:2]
        scale = (_INK if segment.ink else _HEIGHT) / max(segment.ink or h, 1)
        size = (max(1, round(w * scale)), max(1, min(round(h * scale), _HEIGHT)))
        pieces.append(cv2.resize(segment.image, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC))
    gap = strip.gap if len(pieces) > 1 else 0
    # A little paper around the segments: the recogniser reads the end of a
    # line poorly where the batch's padding follows right after it, and sees
    # characters in long runs of paper.
    width = sum(p.shape[1] for p in pieces) + gap * (len(pieces) - 1) + 2 * strip.end
    paper = _paper(strip.segments)
    image = np.empty((_HEIGHT, width, 3), np.uint8)
    image[:] = paper
    spans = []
    x = strip.end
    for piece in pieces:
        h = piece.shape[0]
        top = (_HEIGHT - h) // 2
        image[top:top + h, x:x + piece.shape[1]] = piece
        spans.append((x, x + piece.shape[1]))
        x += piece.shape[1] + gap
    return image, spans


def _paper(strip: list[Segment]) -> np.ndarray:
    """The strip's background colour: the brightest tenth of its pixels."""
    flat = np.concatenate([s.image.reshape(-1, 3) for s in strip])
    level = flat.sum(axis=1)
    return flat[level >= np.percentile(level, 90)].mean(axis=0).astype(np.uint8)


# A character read: (class id, probability, x of its step in the strip).
_Char = tuple[int, float, float]


# Other ways of writing a digit: read as it, and not flagged.
EQUIVALENTS = {"〇": "0"}


def same_number(free: str, digits: str) -> bool:
    """Does the free reading say the same as the number reading (full-width
    digits, 〇 and spaces aside)?"""
    folded = unicodedata.normalize("NFKC", free).translate(_EQUIVALENT_TABLE).replace(" ", "")
    if folded == digits.replace(" ", ""):
        return True
    # The same number with its unit or note ("5件" for 5).
    said, read = parse_cell(folded), parse_cell(digits)
    return said.kind == "number" and read.kind == "number" and said.value == read.value


_EQUIVALENT_TABLE = str.maketrans(EQUIVALENTS)


@dataclass(frozen=True, slots=True)
class _Groups:
    """The recogniser's classes summed into the characters a number prints
    (group 0 is the blank): each class whose normal form is such a
    character, and the look-alikes of each."""

    members: list[np.ndarray]  # the classes of each group
    of: np.ndarray  # each class's group (0 for the blank and for a class of no group)
    chars: list[str]  # each group's character

    def sum(self, probs: np.ndarray) -> np.ndarray:
        """(steps x classes) probabilities into (steps x groups). Summed
        column by column, not by a matrix product: numpy's BLAS would start
        threads of its own, which spin after each product and take the cores
        from the other workers of a batch."""
        out = np.empty((len(probs), len(self.members)), np.float32)
        for g, classes in enumerate(self.members):
            out[:, g] = probs[:, classes].sum(axis=1)
        return out


def _value_groups(charset: list[str]) -> _Groups:
    chars = ["", *VALUE_CHARS]
    index = {ch: g for g, ch in enumerate(chars)}
    of = np.zeros(len(charset), np.intp)
    for c, ch in enumerate(charset[1:], start=1):
        meaning = EQUIVALENTS.get(ch) or LOOKALIKES.get(ch) or unicodedata.normalize("NFKC", ch)
        if meaning in index:
            of[c] = index[meaning]
    members = [np.array([0])] + [np.flatnonzero(of == g) for g in range(1, len(chars))]
    return _Groups(members, of, chars)


def _ctc(probs: np.ndarray, spans: list[tuple[int, int]], step: float) -> list[list[_Char]]:
    """Greedy CTC decoding (class 0 is the blank), each character given to
    the segment nearest to where it was read."""
    best = probs.argmax(axis=1)
    out: list[list[_Char]] = [[] for _ in spans]
    previous = -1
    for t, choice in enumerate(best):
        if choice != previous and choice != 0:
            x = (t + 0.5) * step
            nearest = min(range(len(spans)), key=lambda j: max(spans[j][0] - x, x - spans[j][1], 0))
            out[nearest].append((int(choice), float(probs[t, choice]), x))
        previous = choice
    return out


def _ctc_number(probs: np.ndarray, groups: _Groups, nothing: np.ndarray, spans: list[tuple[int, int]],
                step: float) -> list[list[_Char]]:
    """The number reading: where the free reading has a character (not the
    blank nor a space), the character of numbers most probable there, its
    probability that of every class that reads as it (0, ０, 〇 and 。 all
    count for 0). A character unlike any of them is still given, with the
    little probability it has."""
    grouped = groups.sum(probs)
    best = probs.argmax(axis=1)
    empty = np.isin(best, nothing)
    # The group of each step's best class (0 when it is no character of numbers).
    own = groups.of[best]
    out: list[list[_Char]] = [[] for _ in spans]
    previous = -1
    for t in range(len(probs)):
        if empty[t]:
            previous = -1
            continue
        # What the step reads as stays (a 7, or 。 as 0): many look-alikes of
        # 1, each a little probable, do not outvote a 7. Only a character
        # unlike any is replaced, by the most probable character of numbers.
        choice = int(own[t]) if own[t] else int(grouped[t, 1:].argmax()) + 1
        if choice != previous:
            x = (t + 0.5) * step
            nearest = min(range(len(spans)), key=lambda j: max(spans[j][0] - x, x - spans[j][1], 0))
            out[nearest].append((choice, float(grouped[t, choice]), x))
        previous = choice
    return out


def _text(chars: list[_Char], charset: list[str]) -> str:
    return "".join(charset[c] for c, _, _ in chars)


def _least(chars: list[_Char]) -> float:
    """The probability of the least sure character (0 when none was read)."""
    return min((p for _, p, _ in chars), default=0.0)


def threads() -> int:
    """EXTRACTOR_OCR_THREADS if set; else one thread in a worker process of
    a batch (the batch runs one process per core), every core for a single
    report."""
    if (value := os.environ.get("EXTRACTOR_OCR_THREADS", "")).isdigit() and int(value) > 0:
        return int(value)
    if multiprocessing.current_process().name != "MainProcess":
        return 1
    return max(1, os.cpu_count() or 1)


@cache
def engine() -> Engine:
    """The process's engine, loaded once (some 0.5 s). OpenCV's threads are
    bounded as onnxruntime's: one in a batch's worker (`extract batch -j 2`
    on two cores is two busy threads, not six)."""
    with _LOCK:
        count = threads()
        cv2.setNumThreads(count)
        return Engine(count)
