"""The QR code: our faster codeword computation gives exactly the matrix of ReportLab's own encoder."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.graphics.barcode import qrencoder

from generator import qr

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
