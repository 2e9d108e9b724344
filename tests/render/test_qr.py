"""The QR code: our faster encoding and drawing give exactly what ReportLab's own encoder and canvas.rect give."""

from __future__ import annotations

import io

from hypothesis import example, given, settings
from hypothesis import strategies as st
from reportlab.graphics.barcode import qrencoder
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas

from generator.render import qr

PAYLOAD = ("patient-handouts:verify:v1;handout=ketamine-assisted-therapy;lang=en;version=1.3.0;"
           "fingerprint=sha256:80d929ae4274c1f0e4a6b5d3c2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3;review=draft")


def reference(payload: str) -> list[list[bool]]:
    """ReportLab's encoder end to end (its createData), with the same version and fixed mask."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(qr.segment(payload))  # ReportLab's own choice fails on a final line break
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


def drawn_modules(path: str, count: int) -> list[list[bool]]:
    """The matrix drawn: every "x y w 1 re f" in module units, checked not to overlap."""
    grid = [[False] * count for _ in range(count)]
    for line in path.splitlines():
        x, y, width, height, op, paint = line.split()
        assert (op, paint) == ("re", "f") and height == "1" and int(width) >= 1
        row = count + qr.QUIET_ZONE - 1 - int(y)
        for col in range(int(x) - qr.QUIET_ZONE, int(x) - qr.QUIET_ZONE + int(width)):
            assert not grid[row][col], (row, col)
            grid[row][col] = True
    return grid


def test_the_drawn_path_paints_exactly_the_dark_modules() -> None:
    code = qr.QRCode(PAYLOAD, 62.4)
    assert drawn_modules(code.path(), len(code.modules)) == reference(PAYLOAD)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
@example("\n").via("a final line break: ReportLab picked a mode it cannot encode it in")
@example("12\n").via("the same with digits")
def test_any_code_is_drawn_exactly(payload: str) -> None:
    code = qr.QRCode(payload, 50.0)
    assert drawn_modules(code.path(), len(code.modules)) == reference(payload)


def test_the_code_is_drawn_in_module_units_scaled_to_its_size() -> None:
    """One module per unit in a scaled coordinate system, each run filled on its own (sharp when printed at
    low resolution), inside a saved graphics state."""
    size = 62.4
    code = qr.QRCode(PAYLOAD, size)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=0)
    code.drawOn(canvas, 100, 500)
    canvas.showPage()
    canvas.save()
    stream = buffer.getvalue().decode("latin-1")
    side = len(code.modules) + 2 * qr.QUIET_ZONE
    scale = fp_str(size / side)  # as ReportLab writes every number
    start = stream.index(f"q\n{scale} 0 0 {scale} 0 0 cm\n0 0 0 rg\n")
    body = stream[start:stream.index("\nQ", start)]
    assert body.count(" re f") == len(code.path().splitlines()) > 100
    assert code.path() in body
