"""An invoice as a PDF (reportlab). Pure: takes plain values, returns bytes; no Flask, no database."""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .amounts import GST_PERCENT, grouped, in_words


@dataclass(frozen=True)
class Line:
    description: str
    quantity: int
    rate: int
    amount: int


@dataclass(frozen=True)
class InvoicePaper:
    number: str
    issued_on: date
    paid_on: date | None
    seller_name: str
    seller_email: str
    buyer_name: str
    buyer_email: str
    assessment_year: str | None
    lines: list[Line]
    subtotal: int
    gst: int
    total: int


def _rs(rupees: int) -> str:
    return f"Rs. {grouped(rupees)}"


def render(paper: InvoicePaper) -> bytes:
    """An A4 invoice (more pages if the lines need them); identical input gives identical bytes."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=f"Invoice {paper.number}", author="TaxDesk",
                            invariant=1)
    styles = getSampleStyleSheet()
    body, small = styles["BodyText"], styles["Normal"]

    def para(text: str, style=body) -> Paragraph:
        return Paragraph(escape(text), style)

    status = f"Paid on {paper.paid_on:%d %b %Y}" if paper.paid_on else "Unpaid"
    story = [
        Paragraph("Invoice", styles["Title"]),
        Table(
            [[para(f"Invoice number: {paper.number}"), para(f"Date: {paper.issued_on:%d %b %Y}")],
             [para(f"Status: {status}"),
              para(f"Assessment year: {paper.assessment_year}" if paper.assessment_year else "")]],
            colWidths=[87 * mm, 87 * mm],
        ),
        Spacer(1, 6 * mm),
        Table(
            [[para("From", styles["Heading4"]), para("Billed to", styles["Heading4"])],
             [para(paper.seller_name), para(paper.buyer_name)],
             [para(paper.seller_email, small), para(paper.buyer_email, small)]],
            colWidths=[87 * mm, 87 * mm],
        ),
        Spacer(1, 6 * mm),
    ]
    rows = [["Description", "Qty", "Rate", "Amount"]]
    rows += [[para(line.description), str(line.quantity), _rs(line.rate), _rs(line.amount)] for line in paper.lines]
    first_total = len(rows)
    rows += [
        ["", "", "Subtotal", _rs(paper.subtotal)],
        ["", "", f"GST @ {GST_PERCENT}%", _rs(paper.gst)],
        ["", "", "Total", _rs(paper.total)],
    ]
    items = Table(rows, colWidths=[94 * mm, 16 * mm, 32 * mm, 32 * mm], repeatRows=1)
    items.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEABOVE", (2, first_total), (-1, first_total), 0.5, colors.grey),
        ("FONTNAME", (2, -1), (-1, -1), "Helvetica-Bold"),
        ("LINEABOVE", (2, -1), (-1, -1), 0.8, colors.black),
    ]))
    story += [items, Spacer(1, 6 * mm), para(f"Amount in words: {in_words(paper.total)}"),
              para("All amounts in Indian rupees.", small)]
    doc.build(story)
    return buffer.getvalue()
