"""The QR code: our faster encoding and drawing give exactly what ReportLab's own encoder and canvas.rect give."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.graphics.barcode import qrencoder
from reportlab.pdfgen.canvas import Canvas

from generator.render import qr

PAYLOAD = ("patient-handouts:verify:v1;handout=ketamine-assisted-therapy;lang=en;version=1.3.0;"
           "fingerprint=sha256:80d929ae4274c1f0e4a6b5d3c2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3;review=draft")


def reference(payload: str) -> list[list[bool]]:
    """ReportLab's encoder end to end (its createData), with the same version and fixed mask."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(payload)
    code.version = code.calculate_version()
    code.makeImpl(False, 0)
    return code.modules


def test_the_verification_payload_encodes_as_reportlab_would() -> None:
    assert qr.matrix(PAYLOAD) == reference(PAYLOAD)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=400), st.text("0123456789", max_size=600),
                 st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 $%*+-./:", max_size=500)))
def test_any_payload_encodes_as_reportlab_would(payload: str) -> None:
    assert qr.matrix(payload) == reference(payload)


def page_with(draw: object) -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1)
    canvas.translate(100, 500)
    draw(canvas)  # type: ignore[operator]
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_the_drawn_code_is_byte_for_byte_what_canvas_rect_draws() -> None:
    size = 62.4
    code = qr.QRCode(PAYLOAD, size)

    def ours(canvas: Canvas) -> None:
        code.drawOn(canvas, 0, 0)

    def with_rect(canvas: Canvas) -> None:  # the straightforward drawing: one canvas.rect per run
        canvas.saveState()
        canvas.translate(0, 0)
        modules = reference(PAYLOAD)
        unit = size / (len(modules) + 2 * qr.QUIET_ZONE)
        canvas.setFillColorRGB(0, 0, 0)
        for row, cells in enumerate(modules):
            y = size - (row + qr.QUIET_ZONE + 1) * unit
            col = 0
            while col < len(cells):
                if cells[col]:
                    start = col
                    while col < len(cells) and cells[col]:
                        col += 1
                    canvas.rect((start + qr.QUIET_ZONE) * unit, y, (col - start) * unit, unit, stroke=0, fill=1)
                else:
                    col += 1
        canvas.restoreState()

    assert page_with(ours) == page_with(with_rect)
