"""Small synthetic PDFs, written byte by byte for the tests (labelled
synthetic: no real report is made up here).

Chinese text uses the predefined CID font STSong-Light with the UniGB-UCS2-H
encoding, which PDF readers map to Unicode without any font file; other text
uses Helvetica. Coordinates are in points from the top-left corner.

pdfium drops a text object of a single Chinese character in a font that is
neither embedded nor installed (it cannot measure the glyph), so Chinese is
always written as whole strings here. Whether it can measure STSong-Light
depends on the fonts installed; font F3, a Type 3 font whose one glyph
(code <01>, 无) has no width, is text it never can measure, whatever fonts
are installed.
"""

from __future__ import annotations

import hashlib
import io
import math
import random
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pypdfium2 as pdfium

_CJK_RANGES = ((0x2E80, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF))


def _is_cjk(ch: str) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in _CJK_RANGES)


@dataclass
class Page:
    width: float = 595.0
    height: float = 842.0
    ops: list[str] = field(default_factory=list)
    image: tuple[int, int, bytes] | None = None  # width, height, grey pixels
    rotate: int = 0  # the page's /Rotate
    forms: list[tuple[str, str]] = field(default_factory=list)  # (cm matrix, content) of form XObjects

    def text(self, x: float, top: float, text: str, size: float = 10.0, angle: float = 0.0) -> None:
        """Text with Chinese in it is one run in the CID font (every glyph a
        full em wide); other text is placed glyph by glyph in Helvetica (half
        an em each), so that each digit is a run of its own. angle turns the
        text anticlockwise (degrees) about its first glyph."""
        baseline = self.height - top - 0.8 * size
        cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))

        def show(font: str, dx: float, data: str) -> None:
            tx, ty = x + dx * cos, baseline + dx * sin
            self.ops.append(f"BT /{font} {size} Tf {cos:.4f} {sin:.4f} {-sin:.4f} {cos:.4f} {tx:.2f} {ty:.2f} Tm "
                            f"{data} Tj ET")

        if any(_is_cjk(ch) for ch in text):
            show("F2", 0.0, "<" + "".join(f"{ord(c):04X}" for c in text) + ">")
            return
        for i, c in enumerate(text):
            if c != " ":
                escaped = c.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
                show("F1", i * 0.55 * size, f"({escaped})")

    def line(self, x0: float, top0: float, x1: float, top1: float, width: float = 0.5) -> None:
        y0, y1 = self.height - top0, self.height - top1
        self.ops.append(f"{width} w {x0:.2f} {y0:.2f} m {x1:.2f} {y1:.2f} l S")

    def grid(self, xs: list[float], ys: list[float]) -> None:
        """Every line of a plain ruled grid."""
        for y in ys:
            self.line(xs[0], y, xs[-1], y)
        for x in xs:
            self.line(x, ys[0], x, ys[-1])

    def form(self, matrix: str, content: str) -> None:
        """Content drawn in a form XObject placed with the matrix "a b c d e f"
        (in PDF units, y upwards)."""
        self.forms.append((matrix, content))

    def scan(self, width: int = 60, height: int = 80) -> None:
        """A full-page greyscale image and nothing else: a scanned page."""
        pixels = bytes((x * 7 + y * 3) % 256 for y in range(height) for x in range(width))
        self.image = (width, height, pixels)


def build(pages: list[Page], password: str | None = None) -> bytes:
    """The PDF file. With a password the file is encrypted with the standard
    security handler (revision 2), so that it cannot be opened without it."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font_ascii = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    descendant = add(b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
                     b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
                     b"/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
                     b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
                     b"/CapHeight 880 /StemV 93 >> /DW 1000 >>")
    font_cjk = add(f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
                   f"/DescendantFonts [{descendant} 0 R] >>".encode())
    # A Type 3 font whose one glyph (code 1, 无 by its ToUnicode map) has no
    # width and draws nothing: text pdfium places but cannot measure, with
    # any fonts installed or none.
    blank_glyph = add(b"<< /Length 7 >>\nstream\n0 0 d0\n\nendstream")
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Blank def "
            b"1 begincodespacerange <01> <01> endcodespacerange 1 beginbfchar <01> <65E0> endbfchar "
            b"endcmap CMapName currentdict /CMap defineresource pop end end")
    to_unicode = add(f"<< /Length {len(cmap)} >>\nstream\n".encode() + cmap + b"\nendstream")
    font_blank = add(f"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 0 0] /FontMatrix [0.001 0 0 0.001 0 0] "
                     f"/CharProcs << /g1 {blank_glyph} 0 R >> /Encoding << /Type /Encoding /Differences [1 /g1] >> "
                     f"/FirstChar 1 /LastChar 1 /Widths [0] /Resources << >> /ToUnicode {to_unicode} 0 R >>".encode())
    pages_id = len(objects) + 1
    objects.append(b"")  # the page tree, filled in below
    kids = []
    for page in pages:
        content = "\n".join(page.ops)
        resources = f"/Font << /F1 {font_ascii} 0 R /F2 {font_cjk} 0 R /F3 {font_blank} 0 R >>"
        if page.image:
            w, h, pixels = page.image
            data = zlib.compress(pixels)
            image = add(f"<< /Type /XObject /Subtype /Image /Width {w} /Height {h} /ColorSpace /DeviceGray "
                        f"/BitsPerComponent 8 /Filter /FlateDecode /Length {len(data)} >>\nstream\n".encode()
                        + data + b"\nendstream")
            resources += f" /XObject << /Im1 {image} 0 R >>"
            content += f"\nq {page.width} 0 0 {page.height} 0 0 cm /Im1 Do Q"
        names = []
        for number, (matrix, ops) in enumerate(page.forms, start=1):
            data = ops.encode()
            form = add(f"<< /Type /XObject /Subtype /Form /BBox [-10000 -10000 10000 10000] /Length {len(data)} >>"
                       f"\nstream\n".encode() + data + b"\nendstream")
            names.append(f"/Fm{number} {form} 0 R")
            content += f"\nq {matrix} cm /Fm{number} Do Q"
        if names:
            resources += f" /XObject << {' '.join(names)} >>"
        stream = content.encode()
        contents = add(f"<< /Length {len(stream)} >>\nstream\n".encode() + stream + b"\nendstream")
        kids.append(add(f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 {page.width} {page.height}] "
                        f"/Rotate {page.rotate} "
                        f"/Resources << {resources} >> /Contents {contents} 0 R >>".encode()))
    objects[pages_id - 1] = (f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] "
                             f"/Count {len(kids)} >>").encode()
    catalog = add(f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode())
    file_id = hashlib.md5(b"synthetic").digest()
    trailer = f"/Root {catalog} 0 R /ID [<{file_id.hex()}> <{file_id.hex()}>]"
    if password is not None:
        trailer += f" /Encrypt {add(_encrypt_dict(password, file_id))} 0 R"

    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} {trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _encrypt_dict(password: str, file_id: bytes) -> bytes:
    """Standard security handler, revision 2 (40-bit RC4), the user and the
    owner password the same."""
    padded = (password.encode("latin-1") + _PAD)[:32]
    owner = _rc4(hashlib.md5(padded).digest()[:5], padded)
    permissions = -4
    key = hashlib.md5(padded + owner + permissions.to_bytes(4, "little", signed=True) + file_id).digest()[:5]
    user = _rc4(key, _PAD)
    return (f"<< /Filter /Standard /V 1 /R 2 /O <{owner.hex()}> /U <{user.hex()}> "
            f"/P {permissions} >>").encode()


def damaged_stream(data: bytes, key: bytes, index: int, seed: int, insert: bool, count: int = 4) -> bytes:
    """Random bytes inserted into (or written over) the stream of the
    index-th object a font refers to under `key` (FontFile2, ToUnicode)."""
    number = [m.group(1) for m in re.finditer(rb"/" + key + rb"\s+(\d+)\s+0\s+R", data)][index]
    head = re.search(rb"\n" + number + rb" 0 obj\s*<<(.*?)>>\s*stream\r?\n", data, re.S)
    length = int(re.search(rb"/Length (\d+)", head.group(1)).group(1))
    rng = random.Random(seed)
    out = bytearray(data)
    for pos in sorted((head.end() + rng.randrange(length) for _ in range(count)), reverse=True):
        out[pos:pos + (not insert)] = bytes([rng.randrange(256)])
    return bytes(out)


def edit_pages(source: bytes, pages: list[int],
               edit: Callable[[pdfium.PdfDocument, pdfium.PdfPage, int], None]) -> bytes:
    """The PDF with `edit(pdf, page, index)` made to each of the pages
    `pages` (0-based indices), their content written again."""
    pdf = pdfium.PdfDocument(source)
    try:
        for index in pages:
            page = pdf[index]
            edit(pdf, page, index)
            page.gen_content()
            page.close()
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
    finally:
        pdf.close()


def sideways(source: bytes, pages: list[int], turn: int, rotate: bool) -> bytes:
    """The PDF with the content of pages `pages` (0-based) turned by `turn`
    degrees (90 or -90) onto a page of the turned size (a landscape page put
    onto a portrait one), or by 180 onto the same page (upside down), and
    with `rotate` a /Rotate that shows it upright again (synthetic, from a
    real file)."""
    def turned(_: pdfium.PdfDocument, page: pdfium.PdfPage, __: int) -> None:
        width, height = page.get_size()
        matrix = pdfium.PdfMatrix().rotate(turn)
        if turn == 180:
            matrix = matrix.translate(width, height)
        else:
            matrix = matrix.translate(height, 0) if turn == -90 else matrix.translate(0, width)
        for obj in list(page.get_objects(max_depth=1)):
            obj.transform(matrix)
        if turn != 180:
            page.set_mediabox(0, 0, height, width)
        if rotate:
            page.set_rotation({-90: 90, 90: 270, 180: 180}[turn])

    return edit_pages(source, pages, turned)


def tilted(source: bytes, angle: float, image: bool = True, lines: bool = False,
           turned: Callable[[int], bool] = lambda _: True) -> bytes:
    """The PDF with every page's content turned by `angle` degrees
    (anticlockwise) about the page's centre (synthetic, from a real file):
    with `image`, its text layer alone over a picture of the page turned the
    same way (a crooked page scanned and OCR'd, the OCR's text laid along
    the tilted lines); else the vector page turned, its drawing (`lines`)
    kept or dropped. `turned(i)`: whether the page's i-th text object is
    turned (the others stay level)."""
    def turn(pdf: pdfium.PdfDocument, page: pdfium.PdfPage, _: int) -> None:
        width, height = page.get_size()
        picture = page.render(scale=_SCAN_SCALE, grayscale=True) if image else None
        matrix = (pdfium.PdfMatrix().translate(-width / 2, -height / 2).rotate(angle, ccw=True)
                  .translate(width / 2, height / 2))
        texts = 0
        for obj in list(page.get_objects(max_depth=1)):
            if obj.type == pdfium.raw.FPDF_PAGEOBJ_TEXT:
                texts += 1
                if turned(texts - 1):
                    obj.transform(matrix)
            elif image or not lines:
                page.remove_obj(obj)
            else:
                obj.transform(matrix)
        if picture is not None:
            scan = pdfium.PdfImage.new(pdf)
            scan.set_bitmap(picture)
            scan.set_matrix(pdfium.PdfMatrix().scale(width, height).multiply(matrix))
            page.insert_obj(scan)

    pdf = pdfium.PdfDocument(source)
    count = len(pdf)
    pdf.close()
    return edit_pages(source, list(range(count)), turn)


# The picture under a tilted text layer: coarse (it is never read, only seen).
_SCAN_SCALE = 0.5
