"""Small PDFs written byte by byte, with whatever content streams a test needs.

A hostile PDF is small on disk and large in work: a content stream compressed a thousandfold
(two million rectangles in 51 KB), or thousands of pages. reportlab would not write these, so
this writes the objects and the cross-reference table itself.
"""

from __future__ import annotations

import zlib

__all__ = ["content_pdf", "rectangles", "text_runs"]


def content_pdf(content: bytes, *, pages: int = 1) -> bytes:
    """A PDF of ``pages`` pages, all drawing one Flate-compressed content stream."""
    stream = zlib.compress(content, 9)
    content_id, font_id = 3 + pages, 4 + pages
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{' '.join(f'{3 + i} 0 R' for i in range(pages))}] "
        f"/Count {pages} >>".encode(),
        *[f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {content_id} 0 R "
          f"/Resources << /Font << /F1 {font_id} 0 R >> >> >>".encode() for _ in range(pages)],
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def rectangles(count: int) -> bytes:
    """A content stream stroking ``count`` rectangles."""
    return b"0 0 1 1 re S\n" * count


def text_runs(count: int) -> bytes:
    """A content stream showing ``count`` one-letter strings."""
    return b"BT /F1 1 Tf 10 10 Td (a) Tj ET\n" * count
