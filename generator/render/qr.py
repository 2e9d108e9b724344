"""A QR code flowable drawn straight onto the canvas.

ReportLab's QR widget builds one shape object per module and searches all eight mask patterns: about 100 ms
per code, more than the rest of a handout. Here the matrix is encoded once with a fixed mask (every mask is
valid; the search only tunes contrast) and the dark modules are drawn as one filled rectangle per horizontal
run, in whole module units. ReportLab's encoder also rebuilds the Reed-Solomon generator polynomial for every
block of every code, which is most of its time; `codewords` computes the same codewords with the polynomials
built once, and the modules that do not depend on the data (finder, timing and format patterns, the mask) are
placed once per version. The codes are the ones ReportLab would make (tests/render/test_qr.py checks the matrix
against its encoder and the drawing against the matrix; tests/serve/test_verify_page.py reads a printed code
back with zbarimg).
"""

from __future__ import annotations

from functools import cache
from itertools import chain, zip_longest

from reportlab.graphics.barcode import qrencoder
from reportlab.platypus import Flowable

from generator.content.memo import Memo
from generator.render import tagging

QUIET_ZONE = 4  # modules of white border the QR standard asks for
PADDING = (0xEC, 0x11)  # the QR standard's filler bytes, alternating
EXP = qrencoder.EXP_TABLE  # GF(256) antilogarithms and logarithms, as the encoder uses them
LOG = qrencoder.LOG_TABLE
MATRICES: Memo[list[list[bool]]] = Memo(256)  # by payload: the same handout for many clinics has one code


def matrix(payload: str) -> list[list[bool]]:
    """The QR modules for a payload (error correction level M, mask 0): what qrencoder's makeImpl makes."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(segment(payload))
    version = code.calculate_version()
    template, positions = _template(version)
    modules = [list(row) for row in template]
    # The template holds every data module as a zero bit, masked; a one bit flips its module.
    index = 0
    for byte in codewords(version, code.errorCorrectLevel, code.dataList):
        for shift in range(7, -1, -1):
            if byte >> shift & 1:
                col, row = positions[index]
                modules[row][col] = not modules[row][col]
            index += 1
    return modules


def segment(payload: str) -> str | qrencoder.QR:
    """The payload, or its bytes segment when it ends in a line break: ReportLab picks the digits or letters
    mode with a pattern whose `$` also matches before a final line break, then cannot encode it."""
    return qrencoder.QR8bitByte(payload) if payload.endswith("\n") else payload


@cache
def _template(version: int) -> tuple[tuple[tuple[bool, ...], ...], tuple[tuple[int, int], ...]]:
    """A version's matrix with no data (finder, timing, alignment, format and version patterns; every data
    module a zero bit under mask 0) and the data modules' positions, (column, row) in placing order: the same
    for every code of that version, so worked out once, by qrencoder's own makeImpl."""
    code = qrencoder.QRCode(version, qrencoder.QRErrorCorrectLevel.M)
    code.dataCache = []
    code.makeImpl(False, 0)
    return tuple(tuple(row) for row in code.modules), tuple(code.dataPosIterator())


def codewords(version: int, level: int, data: list[qrencoder.QR]) -> list[int]:
    """Data and error correction codewords, interleaved: exactly what qrencoder.QRCode.createData returns."""
    blocks = qrencoder.QRRSBlock.getRSBlocks(version, level)
    capacity = 8 * sum(block.dataCount for block in blocks)
    buffer = _Bits()
    for segment in data:
        segment.write(buffer, version)
    if buffer.getLengthInBits() > capacity:
        raise ValueError(f"QR payload too long ({buffer.getLengthInBits()} > {capacity} bits)")
    if buffer.getLengthInBits() + 4 <= capacity:
        buffer.put(0, 4)  # terminator
    while buffer.getLengthInBits() % 8:
        buffer.putBit(False)
    filler = 0
    while buffer.getLengthInBits() < capacity:
        buffer.put(PADDING[filler % 2], 8)
        filler += 1
    data_blocks, ec_blocks, offset = [], [], 0
    whole = buffer.buffer
    for block in blocks:
        data_blocks.append(whole[offset:offset + block.dataCount])
        offset += block.dataCount
        ec_blocks.append(_remainder(data_blocks[-1], block.totalCount - block.dataCount))
    return [c for group in chain(zip_longest(*data_blocks), zip_longest(*ec_blocks)) for c in group if c is not None]


class _Bits:
    """qrencoder.QRBitBuffer's put, putBit and buffer, on one integer (it sets one bit per Python call)."""

    def __init__(self) -> None:
        self.value = 0
        self.length = 0

    def put(self, num: int, length: int) -> None:
        self.value = self.value << length | num & ((1 << length) - 1)
        self.length += length

    def putBit(self, bit: bool) -> None:  # noqa: N802 - qrencoder's name
        self.put(1 if bit else 0, 1)

    def getLengthInBits(self) -> int:  # noqa: N802 - qrencoder's name
        return self.length

    @property
    def buffer(self) -> list[int]:
        """The bits as bytes, the last one filled with zero bits."""
        pad = -self.length % 8
        return list((self.value << pad).to_bytes((self.length + pad) // 8, "big"))


@cache
def _generator_logs(degree: int) -> tuple[int, ...]:
    """log of each coefficient after the leading 1 of the generator polynomial (x - a^0)...(x - a^(degree-1))."""
    poly = [1]
    for i in range(degree):
        factor = EXP[i]
        nxt = poly + [0]
        for j, coef in enumerate(poly):
            if coef:
                nxt[j + 1] ^= EXP[(LOG[coef] + LOG[factor]) % 255]
        poly = nxt
    return tuple(LOG[c] for c in poly[1:])


_EXP_TWICE = [EXP[i % 255] for i in range(510)]  # a^(i mod 255) for any sum of two logarithms: no modulo


def _remainder(data: list[int], degree: int) -> list[int]:
    """The error correction codewords: data times x^degree, modulo the generator polynomial."""
    logs = _generator_logs(degree)
    rest = list(data) + [0] * degree
    exp, log_of = _EXP_TWICE, LOG
    for i in range(len(data)):
        coef = rest[i]
        if coef:
            base = log_of[coef]
            terms = [exp[base + log] for log in logs]
            rest[i + 1:i + 1 + degree] = [a ^ b for a, b in zip(rest[i + 1:i + 1 + degree], terms, strict=True)]
    return rest[len(data):]


class QRCode(Flowable):
    """A square QR code of `size` points, quiet zone included."""

    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        self.modules = MATRICES.get(payload, lambda: matrix(payload))  # never changed once made
        self.size = size
        self.tag: tagging.Node | None = None  # the Figure element, with what the code is for

    def draw(self) -> None:
        with tagging.marked(self.canv, self.tag):
            self._draw()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def _draw(self) -> None:
        count = len(self.modules)
        side = count + 2 * QUIET_ZONE  # the code's side in modules, quiet zone included
        canv = self.canv
        canv.saveState()
        # One module per unit: every run of dark modules is "x y w 1 re f" in small whole numbers (ReportLab
        # would format some 500 decimal coordinates in pure Python). Each run is filled on its own: a renderer
        # aligns a lone rectangle to the pixel grid, so that the code stays sharp, and readable, at low
        # resolution; one path of every run would be smoothed at its edges instead (zbarimg then failed at
        # 100 dpi).
        canv.scale(self.size / side, self.size / side)
        canv.setFillColorRGB(0, 0, 0)
        canv.addLiteral(self.path())
        canv.restoreState()

    def path(self) -> str:
        """The dark modules as filled rectangles in module units, origin at the bottom left of the quiet zone:
        one "x y w 1 re f" per horizontal run of dark modules."""
        count = len(self.modules)
        parts = []
        for row, cells in enumerate(self.modules):
            y = count + QUIET_ZONE - 1 - row
            col = 0
            while col < count:
                if not cells[col]:
                    col += 1
                    continue
                start = col
                while col < count and cells[col]:
                    col += 1
                parts.append(f"{start + QUIET_ZONE} {y} {col - start} 1 re f")
        return "\n".join(parts)
