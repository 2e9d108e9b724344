"""A QR code flowable drawn straight onto the canvas.

ReportLab's QR widget builds one shape object per module and searches all eight mask patterns: about 100 ms
per code, more than the rest of a handout. Here the matrix is encoded once with a fixed mask (every mask
is valid; the search only tunes contrast) and dark modules are drawn as one rectangle per horizontal run.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

QUIET_ZONE = 4  # modules of white border the QR standard asks for


def matrix(payload: str) -> list[list[bool]]:
    """The QR modules for a payload (error correction level M)."""
    from reportlab.graphics.barcode import qrencoder

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(payload)
    code.version = code.calculate_version()
    code.makeImpl(False, 0)
    return code.modules


class QRCode(Flowable):
    """A square QR code of `size` points, quiet zone included."""

    def __init__(self, payload: str, size: float) -> None:
        super().__init__()
        self.modules = matrix(payload)
        self.size = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        count = len(self.modules)
        unit = self.size / (count + 2 * QUIET_ZONE)
        canv = self.canv
        canv.setFillColorRGB(0, 0, 0)
        for row, cells in enumerate(self.modules):
            y = self.size - (row + QUIET_ZONE + 1) * unit
            col = 0
            while col < count:
                if not cells[col]:
                    col += 1
                    continue
                start = col
                while col < count and cells[col]:
                    col += 1
                canv.rect((start + QUIET_ZONE) * unit, y, (col - start) * unit, unit, stroke=0, fill=1)
