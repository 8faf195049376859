"""Synthetic tax documents for tests and benchmarks: text PDFs drawn with reportlab in several
layouts, their scanned versions, and malformed inputs. Nothing here is committed as a binary.

Every `make_*_pdf` returns the fields the extractor should read from the document it wrote
(amounts rounded to the rupee), so a test can compare exactly.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
from PIL import Image, ImageChops, ImageFilter
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

Number = int | float | Decimal
PAGE_W, PAGE_H = A4
LEFT, RIGHT = 40.0, PAGE_W - 40.0

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
_DEJAVU_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")


def _rupee_font() -> tuple[str, str, str]:
    """(regular, bold, rupee sign): DejaVu Sans has the ₹ glyph; without it, 'Rs.'."""
    if _DEJAVU.exists() and _DEJAVU_BOLD.exists():
        if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont("DejaVuSans", str(_DEJAVU)))
            pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(_DEJAVU_BOLD)))
        return "DejaVuSans", "DejaVuSans-Bold", "₹"
    return "Helvetica", "Helvetica-Bold", "Rs."


def rupees(value: Number) -> int:
    """What the extractor must report for a printed amount: paise rounded half up."""
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _group_indian(n: int) -> str:
    s = str(n)
    if len(s) <= 3:
        return s
    head, tail = s[:-3], s[-3:]
    parts = []
    while len(head) > 2:
        parts.insert(0, head[-2:])
        head = head[:-2]
    if head:
        parts.insert(0, head)
    return ",".join(parts) + "," + tail


def fmt_amount(value: Number, style: str, prefix: str = "") -> str:
    """Format an amount: 'plain' 1450000.00, 'indian' 14,50,000.00, 'western' 1,450,000.00,
    and the same without paise as 'plain0', 'indian0', 'western0'."""
    d = Decimal(str(value)).quantize(Decimal("0.01"))
    whole, paise = int(d), f"{d:.2f}".split(".")[1]
    base = style.rstrip("0")
    if base == "indian":
        text = _group_indian(whole)
    elif base == "western":
        text = f"{whole:,}"
    else:
        text = str(whole)
    if not style.endswith("0"):
        text += "." + paise
    elif paise != "00":
        raise ValueError(f"{value} has paise but style {style} prints none")
    return prefix + text


class _Sheet:
    """A reportlab canvas with a y cursor and a few table-ish helpers."""

    def __init__(
        self, path: Path, password: str | None, font: str = "Helvetica", bold: str = "Helvetica-Bold", size: float = 9.5
    ) -> None:
        encrypt = StandardEncryption(password, ownerPassword=password + "-owner", strength=128) if password else None
        self.c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt, invariant=1)
        self.font, self.bold, self.size = font, bold, size
        self.y = PAGE_H - 50
        self.c.setFont(font, size)

    def text(self, x: float, s: str, *, bold: bool = False, size: float | None = None, align: str = "left") -> None:
        self.c.setFont(self.bold if bold else self.font, size or self.size)
        draw = {"left": self.c.drawString, "right": self.c.drawRightString, "centre": self.c.drawCentredString}[align]
        draw(x, self.y, s)

    def row(
        self,
        cells: Sequence[tuple[float, str] | tuple[float, str, str]],
        *,
        bold: bool = False,
        lead: float = 16,
        size: float | None = None,
    ) -> None:
        for cell in cells:
            x, s = cell[0], cell[1]
            align = cell[2] if len(cell) > 2 else "left"  # type: ignore[misc]
            self.text(x, s, bold=bold, align=align, size=size)
        self.y -= lead

    def title(self, s: str, size: float = 13, lead: float = 20) -> None:
        self.text(PAGE_W / 2, s, bold=True, size=size, align="centre")
        self.y -= lead

    def rule(self, lead: float = 8) -> None:
        self.c.setLineWidth(0.5)
        self.c.line(LEFT, self.y + 10, RIGHT, self.y + 10)
        self.y -= lead

    def gap(self, h: float = 8) -> None:
        self.y -= h

    def new_page(self) -> None:
        self.c.showPage()
        self.y = PAGE_H - 50

    def save(self) -> None:
        self.c.save()


# ---------------------------------------------------------------------------------------------
# Form 16


FORM16_DEFAULTS: dict[str, Any] = {
    "employee_pan": "ABCPE1234F",
    "employee_name": "RAVI KUMAR SHARMA",
    "employer_name": "ACME SOFTWARE PRIVATE LIMITED",
    "employer_pan": "AAACA1234C",
    "employer_tan": "MUMA12345B",
    "assessment_year": "2025-26",
    "gross_salary": 1450000,
    "perquisites": 0,
    "hra_exempt": 120000,
    "other_exemptions": 0,
    "standard_deduction": 75000,
    "professional_tax": 2500,
    "tds": 89700,
}
FORM16_FIELDS = (
    "employee_pan", "employer_tan", "employer_name", "assessment_year", "gross_salary", "hra_exempt",
    "standard_deduction", "professional_tax", "taxable_salary", "tds",
)  # fmt: skip


def _years(ay: str) -> tuple[int, str, str]:
    """(first year of the FY, 'YYYY-YY' FY, 'YYYY-YYYY' AY) from an AY like '2025-26'."""
    start = int(ay[:4])
    return start - 1, f"{start - 1}-{start % 100:02d}", f"{start}-{start + 1}"


def _form16_values(fields: dict[str, Any]) -> dict[str, Any]:
    v = {**FORM16_DEFAULTS, **fields}
    if "taxable_salary" not in fields:
        v["taxable_salary"] = (
            Decimal(str(v["gross_salary"])) - Decimal(str(v["hra_exempt"])) - Decimal(str(v["other_exemptions"]))
            - Decimal(str(v["standard_deduction"])) - Decimal(str(v["professional_tax"]))
        )  # fmt: skip
    v["salary_17_1"] = Decimal(str(v["gross_salary"])) - Decimal(str(v["perquisites"]))
    v["s10_total"] = Decimal(str(v["hra_exempt"])) + Decimal(str(v["other_exemptions"]))
    v["s16_total"] = Decimal(str(v["standard_deduction"])) + Decimal(str(v["professional_tax"]))
    return v


def _expected(v: dict[str, Any], names: Sequence[str], amounts: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        value = v.get(name)
        if value is None:
            continue
        out[name] = rupees(value) if name in amounts else value
    return out


_F16_AMOUNTS = ("gross_salary", "hra_exempt", "standard_deduction", "professional_tax", "taxable_salary", "tds")


def _quarters(total: Number) -> list[Decimal]:
    t = Decimal(str(total))
    q = (t / 4).quantize(Decimal("0.01"))
    return [q, q, q, t - 3 * q]


def _form16_traces(s: _Sheet, v: dict[str, Any]) -> None:
    """Layout 0: the TRACES download. Part A and Part B on separate pages, plain amounts with
    paise, header cells with values underneath, quarterly TDS table, numbered Part B rows."""
    fy_start, _fy, _ay_long = _years(v["assessment_year"])
    a = lambda x: fmt_amount(x, "plain")  # noqa: E731
    s.title("FORM NO. 16")
    s.row([(PAGE_W / 2, "[See rule 31(1)(a)]", "centre")])
    s.row([(PAGE_W / 2, "PART A", "centre")], bold=True)
    s.row(
        [
            (
                PAGE_W / 2,
                "Certificate under section 203 of the Income-tax Act, 1961 for tax deducted at source on salary",
                "centre",
            )
        ],
        size=8.5,
    )
    s.rule()
    s.row([(LEFT, "Certificate No. QWERTYU"), (300, "Last updated on 12-Jun-2025")])
    s.row([(LEFT, "Name and address of the Employer"), (300, "Name and address of the Employee")], bold=True)
    s.row([(LEFT, v["employer_name"]), (300, v["employee_name"])])
    s.row([(LEFT, "Plot 12, MIDC Andheri East, Mumbai 400093"), (300, "Flat 4B, Shanti Nagar, Pune 411001")])
    s.gap()
    s.row([(LEFT, "PAN of the Deductor"), (190, "TAN of the Deductor"), (340, "PAN of the Employee")], bold=True)
    s.row([(LEFT, v["employer_pan"]), (190, v["employer_tan"]), (340, v["employee_pan"])])
    s.gap()
    s.row([(LEFT, "CIT (TDS)"), (190, "Assessment Year"), (340, "Period with the Employer")], bold=True)
    s.row(
        [
            (LEFT, "Mumbai"),
            (190, v["assessment_year"] or ""),
            (340, f"From 01-Apr-{fy_start}"),
            (450, f"To 31-Mar-{fy_start + 1}"),
        ]
    )
    s.gap()
    s.row(
        [(LEFT, "Summary of amount paid/credited and tax deducted at source thereon in respect of the employee")],
        bold=True,
    )
    s.row(
        [
            (LEFT, "Quarter(s)"),
            (110, "Receipt Numbers of"),
            (250, "Amount paid/"),
            (360, "Amount of tax"),
            (470, "Amount of tax deposited/"),
        ],
        bold=True,
        lead=11,
    )
    s.row(
        [(110, "original statements"), (250, "credited"), (360, "deducted (Rs.)"), (470, "remitted (Rs.)")], bold=True
    )
    tds = v["tds"] if v["tds"] is not None else 0
    for q, (paid, ded) in enumerate(zip(_quarters(v["gross_salary"]), _quarters(tds), strict=True), 1):
        s.row(
            [
                (LEFT, f"Q{q}"),
                (110, f"QRSTU{q}AB"),
                (330, a(paid), "right"),
                (440, a(ded), "right"),
                (550, a(ded), "right"),
            ]
        )
    if v["tds"] is not None:
        s.row(
            [
                (LEFT, "Total (Rs.)"),
                (330, a(v["gross_salary"]), "right"),
                (440, a(tds), "right"),
                (550, a(tds), "right"),
            ],
            bold=True,
        )
    s.new_page()
    s.title("PART B (Annexure)")
    s.row([(LEFT, "Details of Salary Paid and any other income and tax deducted")], bold=True)
    rows: list[tuple[str, Any]] = [
        ("1. Gross Salary", None),
        ("(a) Salary as per provisions contained in section 17(1)", v["salary_17_1"]),
        ("(b) Value of perquisites under section 17(2) (as per Form No. 12BA, wherever applicable)", v["perquisites"]),
        ("(c) Profits in lieu of salary under section 17(3) (as per Form No. 12BA, wherever applicable)", 0),
        ("(d) Total", v["gross_salary"]),
        ("(e) Reported total amount of salary received from other employer(s)", 0),
        ("2. Less: Allowances to the extent exempt under section 10", None),
        ("(a) Travel concession or assistance under section 10(5)", 0),
        ("(b) Death-cum-retirement gratuity under section 10(10)", 0),
        ("(e) House rent allowance under section 10(13A)", v["hra_exempt"]),
        ("(f) Amount of any other exemption under section 10", v["other_exemptions"]),
        ("(j) Total amount of exemption claimed under section 10", v["s10_total"]),
        (
            "3. Total amount of salary received from current employer [1(d)-2(j)]",
            Decimal(str(v["gross_salary"])) - v["s10_total"],
        ),
        ("4. Less: Deductions under section 16", None),
        ("(a) Standard deduction under section 16(ia)", v["standard_deduction"]),
        ("(b) Entertainment allowance under section 16(ii)", 0),
        ("(c) Tax on employment under section 16(iii)", v["professional_tax"]),
        ("5. Total amount of deductions under section 16 [4(a)+4(b)+4(c)]", v["s16_total"]),
        ('6. Income chargeable under the head "Salaries" [(3+1(e)-5]', v["taxable_salary"]),
        ("7. Add: Any other income reported by the employee under as per section 192 (2B)", 0),
    ]
    for label, value in rows:
        if label.startswith("6.") and value is None:
            continue
        cells: list[tuple[float, str] | tuple[float, str, str]] = [(LEFT, label)]
        if value is not None:
            cells.append((RIGHT, a(value), "right"))
        s.row(cells, size=8.5, lead=15)
    s.gap()
    s.row([(LEFT, "Verification")], bold=True)
    s.row(
        [
            (
                LEFT,
                "I, SUNITA RAO, working in the capacity of DIRECTOR do hereby certify that the information given above is true.",
            )
        ],
        size=8,
    )


def _form16_keyvalue(s: _Sheet, v: dict[str, Any]) -> None:
    """Layout 1: an employer's own one-page certificate, 'Label: value' rows, Rs. prefix,
    Indian grouping without paise, 'A.Y. 2025-2026' style year."""
    _fy_start, _fy, ay_long = _years(v["assessment_year"])
    a = lambda x: fmt_amount(x, "indian0", "Rs. ")  # noqa: E731
    s.title("Form 16 - Certificate of Tax Deducted at Source on Salary", size=12)
    s.row([(PAGE_W / 2, "(Part A and Part B)", "centre")])
    s.gap()
    kv = [
        ("Employer name", v["employer_name"]),
        ("Employer address", "14th Floor, Tech Park, Whitefield, Bengaluru 560066"),
        ("TAN of Employer", v["employer_tan"]),
        ("PAN of Employer", v["employer_pan"]),
        ("Employee name", v["employee_name"]),
        ("Employee PAN", v["employee_pan"]),
        ("Assessment Year", f"A.Y. {ay_long}"),
    ]
    for label, value in kv:
        s.row([(LEFT, f"{label}:"), (180, value)])
    s.gap()
    s.row([(LEFT, "Salary details")], bold=True)
    money = [
        ("Total gross salary", v["gross_salary"]),
        ("HRA exempt u/s 10(13A)", v["hra_exempt"]),
        ("Standard deduction u/s 16(ia)", v["standard_deduction"]),
        ("Professional tax u/s 16(iii)", v["professional_tax"]),
        ("Net taxable salary", v["taxable_salary"]),
        ("Total tax deducted", v["tds"]),
    ]
    for label, value in money:
        if value is not None:
            s.row([(LEFT, f"{label}:"), (330, a(value), "right")])
    s.gap()
    s.row([(LEFT, "This certificate is issued under section 203 of the Income-tax Act, 1961.")], size=8)


def _form16_rupee_table(s: _Sheet, v: dict[str, Any]) -> None:
    """Layout 2: a payroll provider's table, ₹ sign, western grouping with paise, gross shown
    only as 'Salary as per provisions contained in section 17(1)', year as a period."""
    fy_start, _fy, _ay = _years(v["assessment_year"])
    font, _bold, sign = _rupee_font()
    a = lambda x: fmt_amount(x, "western", sign + " ")  # noqa: E731
    s.title("FORM NO. 16")
    s.row([(PAGE_W / 2, "Certificate under section 203 for tax deducted at source on salary", "centre")])
    s.rule()
    s.row([(LEFT, "Deductor (Employer) Name"), (220, v["employer_name"])])
    s.row([(LEFT, "Deductor TAN"), (220, v["employer_tan"])])
    s.row([(LEFT, "PAN of Employee"), (220, v["employee_pan"])])
    s.row([(LEFT, "Name of Employee"), (220, v["employee_name"])])
    s.row([(LEFT, "Period"), (220, f"01-04-{fy_start} to 31-03-{fy_start + 1}")])
    s.gap()
    s.row([(LEFT, "Particulars"), (RIGHT, "Amount", "right")], bold=True)
    s.rule()
    saved = s.font
    s.font = font
    money = [
        ("Salary as per provisions contained in section 17(1)", v["gross_salary"]),
        ("House Rent Allowance u/s 10(13A)", v["hra_exempt"]),
        ("Standard Deduction u/s 16(ia)", v["standard_deduction"]),
        ("Tax on employment (Professional Tax) u/s 16(iii)", v["professional_tax"]),
        ("Income chargeable under the head Salaries", v["taxable_salary"]),
        ("Tax Deducted at Source (TDS)", v["tds"]),
    ]
    for label, value in money:
        if value is not None:
            s.row([(LEFT, label), (RIGHT, a(value), "right")])
    s.font = saved


def _form16_grid(s: _Sheet, v: dict[str, Any]) -> None:
    """Layout 3: two label/value pairs per row, 'INR' prefix, Indian grouping with paise,
    bare 'AY 2025-26'."""
    a = lambda x: fmt_amount(x, "indian", "INR ")  # noqa: E731
    s.title("FORM 16")
    s.row([(PAGE_W / 2, "TDS certificate for salaried employees - Part A & Part B", "centre")])
    s.gap()
    s.row([(LEFT, "Name of the Employer:"), (150, v["employer_name"])])
    s.row([(LEFT, "Employee PAN:"), (150, v["employee_pan"]), (320, "Employer TAN:"), (420, v["employer_tan"])])
    s.row([(LEFT, "AY"), (150, v["assessment_year"]), (320, "Employee:"), (420, v["employee_name"])])
    s.gap()
    money = [
        ("Gross Salary", v["gross_salary"]),
        ("Exempt HRA", v["hra_exempt"]),
        ("Standard deduction", v["standard_deduction"]),
        ("Professional tax", v["professional_tax"]),
        ("Taxable salary", v["taxable_salary"]),
        ("Total TDS", v["tds"]),
    ]
    pairs = [m for m in money if m[1] is not None]
    for i in range(0, len(pairs), 2):
        cells: list[tuple[float, str] | tuple[float, str, str]] = [(LEFT, pairs[i][0]), (290, a(pairs[i][1]), "right")]
        if i + 1 < len(pairs):
            cells += [(320, pairs[i + 1][0]), (RIGHT, a(pairs[i + 1][1]), "right")]
        s.row(cells)


_FORM16_LAYOUTS: list[Callable[[_Sheet, dict[str, Any]], None]] = [
    _form16_traces,
    _form16_keyvalue,
    _form16_rupee_table,
    _form16_grid,
]
FORM16_LAYOUTS = len(_FORM16_LAYOUTS)


def make_form16_pdf(
    path: str | Path, fields: dict[str, Any], layout: int = 0, password: str | None = None
) -> dict[str, Any]:
    """Write a Form 16 (Part A and Part B) text PDF and return the fields to expect.

    `fields` overrides FORM16_DEFAULTS (contract names plus employee_name, employer_pan,
    perquisites, other_exemptions); a field set to None is not printed. taxable_salary is
    computed unless given, so passing a wrong one makes an inconsistent form."""
    v = _form16_values(fields)
    s = _Sheet(Path(path), password)
    _FORM16_LAYOUTS[layout](s, v)
    s.save()
    return _expected(v, FORM16_FIELDS, _F16_AMOUNTS)


# ---------------------------------------------------------------------------------------------
# Form 16A


FORM16A_DEFAULTS: dict[str, Any] = {
    "deductor_name": "HORIZON CONSULTANTS LLP",
    "deductor_tan": "DELH09876K",
    "deductor_pan": "AAFFH5678Q",
    "deductee_pan": "BCDPK4321M",
    "deductee_name": "PRIYA KRISHNAN",
    "assessment_year": "2025-26",
    "section": "194J",
    "amount_paid": 250000,
    "tds": 25000,
}
FORM16A_FIELDS = ("deductor_name", "deductor_tan", "deductee_pan", "assessment_year", "section", "amount_paid", "tds")
_F16A_AMOUNTS = ("amount_paid", "tds")


def _form16a_traces(s: _Sheet, v: dict[str, Any]) -> None:
    """Layout 0: TRACES Form 16A with payment and tax summary tables."""
    fy_start, _fy, _ay = _years(v["assessment_year"])
    a = lambda x: fmt_amount(x, "plain")  # noqa: E731
    s.title("FORM NO. 16A")
    s.row([(PAGE_W / 2, "[See rule 31(1)(b)]", "centre")])
    s.row(
        [
            (
                PAGE_W / 2,
                "Certificate under section 203 of the Income-tax Act, 1961 for tax deducted at source",
                "centre",
            )
        ],
        size=8.5,
    )
    s.rule()
    s.row([(LEFT, "Certificate No. ZXCVBNM"), (300, "Last updated on 30-May-2025")])
    s.row([(LEFT, "Name and address of the Deductor"), (300, "Name and address of the Deductee")], bold=True)
    s.row([(LEFT, v["deductor_name"]), (300, v["deductee_name"])])
    s.row([(LEFT, "Connaught Place, New Delhi 110001"), (300, "MG Road, Kochi 682016")])
    s.gap()
    s.row([(LEFT, "PAN of the Deductor"), (190, "TAN of the Deductor"), (340, "PAN of the Deductee")], bold=True)
    s.row([(LEFT, v["deductor_pan"]), (190, v["deductor_tan"]), (340, v["deductee_pan"])])
    s.gap()
    s.row([(LEFT, "CIT (TDS)"), (190, "Assessment Year"), (340, "Period")], bold=True)
    s.row(
        [
            (LEFT, "Delhi"),
            (190, v["assessment_year"]),
            (340, f"From 01-Apr-{fy_start}"),
            (450, f"To 31-Mar-{fy_start + 1}"),
        ]
    )
    s.gap()
    s.row([(LEFT, "Summary of payment")], bold=True)
    s.row(
        [
            (LEFT, "Sl. No."),
            (90, "Amount paid/credited"),
            (220, "Nature of payment"),
            (330, "Deductee Reference No."),
            (460, "Date of payment/credit"),
        ],
        bold=True,
    )
    halves = [(Decimal(str(v["amount_paid"])) / 2).quantize(Decimal("0.01"))]
    halves.append(Decimal(str(v["amount_paid"])) - halves[0])
    for i, part in enumerate(halves, 1):
        s.row(
            [
                (LEFT, str(i)),
                (190, a(part), "right"),
                (220, v["section"]),
                (330, f"REF00{i}"),
                (460, f"15-0{5 + i}-{fy_start}"),
            ]
        )
    s.row([(LEFT, "Total (Rs.)"), (190, a(v["amount_paid"]), "right")], bold=True)
    s.gap()
    s.row([(LEFT, "Summary of tax deducted at source in respect of deductee")], bold=True)
    s.row(
        [
            (LEFT, "Quarter"),
            (110, "Receipt Numbers"),
            (250, "Amount of tax deducted"),
            (400, "Amount of tax deposited/remitted"),
        ],
        bold=True,
        lead=11,
    )
    s.row(
        [(110, "of original statements"), (250, "in respect of the deductee"), (400, "in respect of the deductee")],
        bold=True,
    )
    s.row([(LEFT, "Q1"), (110, "QQWERT1A"), (340, a(v["tds"]), "right"), (500, a(v["tds"]), "right")])
    s.row([(LEFT, "Total (Rs.)"), (340, a(v["tds"]), "right"), (500, a(v["tds"]), "right")], bold=True)


def _form16a_keyvalue(s: _Sheet, v: dict[str, Any]) -> None:
    """Layout 1: a short key-value certificate, 'Rs.' and Indian grouping."""
    _fy_start, _fy, ay_long = _years(v["assessment_year"])
    a = lambda x: fmt_amount(x, "indian0", "Rs. ")  # noqa: E731
    s.title("Form 16A - TDS Certificate", size=12)
    s.row([(PAGE_W / 2, "(for tax deducted at source on income other than salary)", "centre")])
    s.gap()
    for label, value in [
        ("Deductor name", v["deductor_name"]),
        ("Deductor TAN", v["deductor_tan"]),
        ("Deductee name", v["deductee_name"]),
        ("Deductee PAN", v["deductee_pan"]),
        ("A.Y.", ay_long),
        ("Section", v["section"]),
        ("Amount paid/credited", a(v["amount_paid"])),
        ("Tax deducted", a(v["tds"])),
    ]:
        s.row([(LEFT, f"{label}:"), (200, value)])


def _form16a_bank(s: _Sheet, v: dict[str, Any]) -> None:
    """Layout 2: a bank's Form 16A, year as financial year, section table with ₹ amounts and a
    total row."""
    fy_start, _fy, _ay = _years(v["assessment_year"])
    font, _bold, sign = _rupee_font()
    a = lambda x: fmt_amount(x, "western", sign + " ")  # noqa: E731
    s.title("FORM 16A")
    s.row([(PAGE_W / 2, f"Certificate of deduction of tax at source u/s {v['section']}", "centre")])
    s.gap()
    s.row([(LEFT, "Name of the Deductor"), (200, v["deductor_name"])])
    s.row([(LEFT, "TAN of Deductor"), (200, v["deductor_tan"])])
    s.row([(LEFT, "PAN of Deductee"), (200, v["deductee_pan"])])
    s.row([(LEFT, "Financial Year"), (200, f"{fy_start}-{fy_start + 1}")])
    s.gap()
    s.row(
        [
            (LEFT, "Section"),
            (200, "Amount paid/credited", "right"),
            (330, "TDS deducted", "right"),
            (480, "TDS deposited", "right"),
        ],
        bold=True,
    )
    saved = s.font
    s.font = font
    s.row(
        [
            (LEFT, v["section"]),
            (200, a(v["amount_paid"]), "right"),
            (330, a(v["tds"]), "right"),
            (480, a(v["tds"]), "right"),
        ]
    )
    s.row(
        [(LEFT, "Total"), (200, a(v["amount_paid"]), "right"), (330, a(v["tds"]), "right"), (480, a(v["tds"]), "right")]
    )
    s.font = saved


_FORM16A_LAYOUTS: list[Callable[[_Sheet, dict[str, Any]], None]] = [_form16a_traces, _form16a_keyvalue, _form16a_bank]
FORM16A_LAYOUTS = len(_FORM16A_LAYOUTS)


def make_form16a_pdf(
    path: str | Path, fields: dict[str, Any], layout: int = 0, password: str | None = None
) -> dict[str, Any]:
    """Write a Form 16A text PDF and return the fields to expect."""
    v = {**FORM16A_DEFAULTS, **fields}
    s = _Sheet(Path(path), password)
    _FORM16A_LAYOUTS[layout](s, v)
    s.save()
    return _expected(v, FORM16A_FIELDS, _F16A_AMOUNTS)


# ---------------------------------------------------------------------------------------------
# Interest certificates


INTEREST_DEFAULTS: dict[str, Any] = {
    "bank_name": "STATE BANK OF INDIA",
    "pan": "CDEPS6789K",
    "customer_name": "ANIL SHARMA",
    "financial_year": "2024-25",
    "accounts": [("32145678901", "Fixed Deposit", 30000, 3000), ("10987654321", "Savings", 15678, 1568)],
}
INTEREST_FIELDS = ("bank_name", "pan", "financial_year", "interest_amount", "tds")
_INT_AMOUNTS = ("interest_amount", "tds")


def _interest_values(fields: dict[str, Any]) -> dict[str, Any]:
    v = {**INTEREST_DEFAULTS, **fields}
    v["interest_amount"] = sum(Decimal(str(acc[2])) for acc in v["accounts"])
    v["tds"] = sum(Decimal(str(acc[3])) for acc in v["accounts"])
    v["fy_start"] = int(v["financial_year"][:4])
    return v


def _interest_keyvalue(s: _Sheet, v: dict[str, Any]) -> None:
    """Layout 0: letterhead, key-value summary with totals, 'Rs.' Indian grouping with paise."""
    a = lambda x: fmt_amount(x, "indian", "Rs. ")  # noqa: E731
    s.title(v["bank_name"], size=14)
    s.row([(PAGE_W / 2, "Branch: Koramangala, Bengaluru    IFSC: SBIN0001234", "centre")])
    s.gap()
    s.title("INTEREST CERTIFICATE", size=12)
    for label, value in [
        ("Customer name", v["customer_name"]),
        ("PAN", v["pan"]),
        ("Financial Year", v["financial_year"]),
        ("Total interest paid", a(v["interest_amount"])),
        ("Total TDS", a(v["tds"])),
    ]:
        s.row([(LEFT, f"{label}:"), (200, value)])
    s.gap()
    s.row([(LEFT, "This is a computer generated certificate and does not need a signature.")], size=8)


def _interest_table(s: _Sheet, v: dict[str, Any]) -> None:
    """Layout 1: accounts table with a total row, ₹ western grouping, period as dates."""
    font, _bold, sign = _rupee_font()
    a = lambda x: fmt_amount(x, "western", sign + " ")  # noqa: E731
    fy = v["fy_start"]
    s.row([(LEFT, v["bank_name"])], bold=True, size=14, lead=20)
    s.row([(LEFT, "Registered office: Senapati Bapat Marg, Mumbai")], size=8)
    s.gap()
    s.title("Interest Certificate", size=12)
    s.row([(LEFT, f"For the period 01/04/{fy} to 31/03/{fy + 1}")])
    s.row([(LEFT, "Customer:"), (150, v["customer_name"])])
    s.row([(LEFT, "PAN of the Customer:"), (150, v["pan"])])
    s.gap()
    s.row([(LEFT, "Account No."), (150, "Type"), (390, "Interest", "right"), (RIGHT, "TDS", "right")], bold=True)
    saved = s.font
    s.font = font
    for number, kind, interest, tds in v["accounts"]:
        s.row([(LEFT, number), (150, kind), (390, a(interest), "right"), (RIGHT, a(tds), "right")])
    s.row([(LEFT, "Total"), (390, a(v["interest_amount"]), "right"), (RIGHT, a(v["tds"]), "right")], bold=True)
    s.font = saved


def _interest_letter(s: _Sheet, v: dict[str, Any]) -> None:
    """Layout 2: a letter in prose, no title; amounts inside sentences."""
    fy = v["fy_start"]
    s.row([(LEFT, v["bank_name"])], bold=True, size=13, lead=20)
    s.row([(LEFT, "Sector 17 Branch, Chandigarh")])
    s.gap(12)
    s.row([(LEFT, "TO WHOM IT MAY CONCERN")], bold=True)
    s.gap()
    s.row([(LEFT, f"This is to certify that {v['customer_name']} (PAN {v['pan']}) holds deposits with our bank.")])
    s.row(
        [(LEFT, f"During the financial year {v['financial_year']} (01-04-{fy} to 31-03-{fy + 1}) the deposits earned")]
    )
    s.row([(LEFT, f"interest of Rs. {fmt_amount(v['interest_amount'], 'indian')} which was credited to the account,")])
    s.row([(LEFT, f"and tax of Rs. {fmt_amount(v['tds'], 'indian')} was deducted at source under section 194A.")])
    s.gap()
    s.row([(LEFT, "Branch Manager")])


def _interest_accounts(s: _Sheet, v: dict[str, Any]) -> None:
    """Layout 3: one block per account and no total, year as 'A.Y.'."""
    ay = v["fy_start"] + 1
    s.title("Certificate of Interest", size=12)
    s.row([(LEFT, "Bank name:"), (160, v["bank_name"])])
    s.row([(LEFT, "Depositor:"), (160, v["customer_name"])])
    s.row([(LEFT, "PAN No.:"), (160, v["pan"])])
    s.row([(LEFT, "Relevant A.Y.:"), (160, f"{ay}-{(ay + 1) % 100:02d}")])
    for number, kind, interest, tds in v["accounts"]:
        s.gap()
        s.row([(LEFT, f"Account {number} ({kind})")], bold=True)
        s.row(
            [
                (LEFT, "Interest paid:"),
                (
                    300,
                    fmt_amount(interest, "indian0", "Rs. ")
                    if Decimal(str(interest)) % 1 == 0
                    else fmt_amount(interest, "indian", "Rs. "),
                    "right",
                ),
            ]
        )
        s.row(
            [
                (LEFT, "TDS deducted:"),
                (
                    300,
                    fmt_amount(tds, "indian0", "Rs. ")
                    if Decimal(str(tds)) % 1 == 0
                    else fmt_amount(tds, "indian", "Rs. "),
                    "right",
                ),
            ]
        )


_INTEREST_LAYOUTS: list[Callable[[_Sheet, dict[str, Any]], None]] = [
    _interest_keyvalue,
    _interest_table,
    _interest_letter,
    _interest_accounts,
]
INTEREST_LAYOUTS = len(_INTEREST_LAYOUTS)


def make_interest_certificate_pdf(
    path: str | Path, fields: dict[str, Any], layout: int = 0, password: str | None = None
) -> dict[str, Any]:
    """Write a bank interest certificate text PDF and return the fields to expect.
    `fields["accounts"]` is a list of (number, type, interest, tds); the certificate's
    interest_amount and tds are their sums."""
    v = _interest_values(fields)
    s = _Sheet(Path(path), password)
    _INTEREST_LAYOUTS[layout](s, v)
    s.save()
    return _expected(v, INTEREST_FIELDS, _INT_AMOUNTS)


# ---------------------------------------------------------------------------------------------
# Documents that must classify as something else


def _payslip(s: _Sheet, layout: int) -> None:
    if layout == 0:
        s.title("ACME SOFTWARE PRIVATE LIMITED")
        s.title("Payslip for the month of March 2025", size=11)
        s.row([(LEFT, "Employee name: RAVI KUMAR SHARMA"), (300, "PAN: ABCPE1234F")])
        s.row([(LEFT, "Employee ID: E1042"), (300, "Designation: Engineer")])
        s.gap()
        s.row([(LEFT, "Earnings"), (300, "Deductions")], bold=True)
        s.row([(LEFT, "Basic"), (250, "60,000.00", "right"), (300, "Provident Fund"), (RIGHT, "7,200.00", "right")])
        s.row([(LEFT, "HRA"), (250, "30,000.00", "right"), (300, "Professional Tax"), (RIGHT, "200.00", "right")])
        s.row(
            [
                (LEFT, "Special allowance"),
                (250, "30,833.00", "right"),
                (300, "Income Tax (TDS)"),
                (RIGHT, "7,475.00", "right"),
            ]
        )
        s.row(
            [
                (LEFT, "Gross Salary"),
                (250, "1,20,833.00", "right"),
                (300, "Total deductions"),
                (RIGHT, "14,875.00", "right"),
            ],
            bold=True,
        )
        s.row([(LEFT, "Net pay: Rs. 1,05,958.00")], bold=True)
    elif layout == 1:
        s.title("SALARY SLIP - APRIL 2024")
        s.row([(LEFT, "Employer: Horizon Consultants LLP"), (300, "TAN: DELH09876K")])
        s.row([(LEFT, "Employee: Priya Krishnan"), (300, "PAN: BCDPK4321M")])
        s.gap()
        for label, value in [
            ("Gross salary", "Rs. 95,000"),
            ("Tax deducted at source", "Rs. 6,250"),
            ("Take home", "Rs. 82,150"),
        ]:
            s.row([(LEFT, label), (300, value, "right")])
    else:
        s.row([(LEFT, "GLOBAL BANK LTD - Pay statement")], bold=True, size=12, lead=20)
        s.row([(LEFT, "Pay period: 01-01-2025 to 31-01-2025")])
        s.row([(LEFT, "PAN ABCPE1234F    Assessment Year 2025-26")])
        s.row([(LEFT, "Earnings total"), (300, "1,50,000.00", "right")])
        s.row([(LEFT, "TDS"), (300, "12,000.00", "right")])
        s.row([(LEFT, "Net pay"), (300, "1,38,000.00", "right")])


PAYSLIP_LAYOUTS = 3


def make_payslip_pdf(path: str | Path, layout: int = 0, password: str | None = None) -> dict[str, Any]:
    """Write a payslip (PAN, TDS and gross salary on it, yet not a certificate): `unknown`."""
    s = _Sheet(Path(path), password)
    _payslip(s, layout)
    s.save()
    return {}


RENT_LAYOUTS = 2


def make_rent_receipt_pdf(path: str | Path, layout: int = 0, password: str | None = None) -> dict[str, Any]:
    """Write a house rent receipt (classified `rent_receipt`, no fields yet)."""
    s = _Sheet(Path(path), password)
    if layout == 0:
        s.title("RENT RECEIPT")
        s.row(
            [
                (
                    LEFT,
                    "Received with thanks from Ravi Kumar Sharma a sum of Rs. 25,000 (Rupees twenty five thousand only)",
                )
            ]
        )
        s.row(
            [(LEFT, "towards house rent for the month of June 2024 for the premises at Flat 4B, Shanti Nagar, Pune.")]
        )
        s.row([(LEFT, "Landlord: Meena Joshi    PAN of landlord: AEJPJ1122N")])
    else:
        s.title("House Rent Receipt", size=12)
        s.row([(LEFT, "Tenant: Priya Krishnan"), (300, "Landlord: K. Varghese")])
        s.row([(LEFT, "Rent for the month of May 2024"), (300, "Rs. 18,500", "right")])
        s.row([(LEFT, "Paid by bank transfer on 05-05-2024")])
    s.save()
    return {}


# ---------------------------------------------------------------------------------------------
# Scans


def _noise(size: tuple[int, int], amount: float, rng: random.Random) -> Image.Image:
    """Uniform grey noise of +-amount*127 levels around 128, reproducible from `rng`."""
    raw = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    return raw.point(lambda p: int(128 + (p - 128) * amount))


def _speckle(size: tuple[int, int], density: float, rng: random.Random) -> Image.Image:
    """Mask of random specks (255) covering about `density` of the pixels."""
    raw = Image.frombytes("L", size, rng.randbytes(size[0] * size[1]))
    cut = 255 - int(density * 256)
    return raw.point(lambda p: 255 if p > cut else 0)


def degrade(
    image: Image.Image,
    *,
    rotate: int = 0,
    skew: float = 0.0,
    noise: float = 0.0,
    blur: float = 0.0,
    jpeg_quality: int | None = None,
    seed: int = 7,
) -> Image.Image:
    """What a scanner or phone does to a page: tilt by `skew` degrees (counter-clockwise), blur,
    grain (`noise` 0..1) with dark specks, JPEG artefacts, and a quarter-turn `rotate`."""
    rng = random.Random(seed)
    im = image.convert("L")
    if skew:
        im = im.rotate(skew, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    if blur:
        im = im.filter(ImageFilter.GaussianBlur(blur))
    if noise:
        im = ImageChops.add(im, _noise(im.size, noise, rng), scale=1.0, offset=-128)
        specks = _speckle(im.size, noise / 200, rng)
        im = ImageChops.darker(im, ImageChops.invert(specks).point(lambda p: 90 if p == 0 else 255))
    if jpeg_quality:
        buf = io.BytesIO()
        im.save(buf, format="JPEG", quality=jpeg_quality)
        buf.seek(0)
        im = Image.open(buf).convert("L")
    if rotate % 360:
        im = im.rotate(rotate % 360, expand=True)
    return im


def render_pdf(pdf_path: str | Path, dpi: int, password: str | None = None) -> list[Image.Image]:
    """Each page of a PDF as a greyscale image at `dpi`."""
    pdf = pdfium.PdfDocument(str(pdf_path), password=password)
    try:
        out = []
        for page in pdf:
            bitmap = page.render(scale=dpi / 72, grayscale=True)
            out.append(bitmap.to_pil().copy())
            bitmap.close()
            page.close()
        return out
    finally:
        pdf.close()


def make_scan(
    pdf_path: str | Path,
    out_path: str | Path,
    *,
    rotate: int = 0,
    skew: float = 0.0,
    noise: float = 0.0,
    blur: float = 0.0,
    jpeg_quality: int | None = None,
    dpi: int = 200,
    seed: int = 7,
) -> Path:
    """Scan a text PDF: render at `dpi`, degrade (see `degrade`), and save by the suffix of
    `out_path`: .png/.jpg (pages stacked into one tall image), .tif (one frame per page) or
    .pdf (image-only PDF, one image per page)."""
    out = Path(out_path)
    pages = [
        degrade(p, rotate=rotate, skew=skew, noise=noise, blur=blur, jpeg_quality=jpeg_quality, seed=seed + i)
        for i, p in enumerate(render_pdf(pdf_path, dpi))
    ]
    suffix = out.suffix.lower()
    if suffix in (".png", ".jpg", ".jpeg"):
        image = pages[0]
        if len(pages) > 1:
            image = Image.new("L", (max(p.width for p in pages), sum(p.height for p in pages)), 255)
            y = 0
            for p in pages:
                image.paste(p, (0, y))
                y += p.height
        if suffix == ".png":
            image.save(out, format="PNG", dpi=(dpi, dpi))
        else:
            image.save(out, format="JPEG", quality=jpeg_quality or 85, dpi=(dpi, dpi))
    elif suffix in (".tif", ".tiff"):
        pages[0].save(
            out, format="TIFF", save_all=True, append_images=pages[1:], dpi=(dpi, dpi), compression="tiff_deflate"
        )
    elif suffix == ".pdf":
        pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=float(dpi))
    else:
        raise ValueError(f"unsupported scan format {suffix}")
    return out


# ---------------------------------------------------------------------------------------------
# Bad inputs


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def make_png_bomb(path: str | Path, width: int = 100_000, height: int = 100_000) -> Path:
    """A tiny PNG whose header declares width x height pixels (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    data = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")
    Path(path).write_bytes(data)
    return Path(path)


def make_many_pages_pdf(path: str | Path, pages: int) -> Path:
    """A text PDF with `pages` pages (for the page cap)."""
    s = _Sheet(Path(path), None)
    for i in range(pages):
        s.row([(LEFT, f"Page {i + 1} of a long statement")])
        s.new_page()
    s.save()
    return Path(path)


def make_pdf_zip_polyglot(path: str | Path, pdf_path: str | Path) -> Path:
    """A valid PDF with a ZIP archive appended: opens as both."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("payload.txt", "not a certificate")
    Path(path).write_bytes(Path(pdf_path).read_bytes() + buf.getvalue())
    return Path(path)


def make_pdf_magic_garbage(path: str | Path, size: int = 4096, seed: int = 3) -> Path:
    """PDF magic bytes followed by random garbage."""
    Path(path).write_bytes(b"%PDF-1.7\n" + random.Random(seed).randbytes(size))
    return Path(path)


def make_truncated(path: str | Path, source: str | Path, keep: float = 0.6) -> Path:
    """The first `keep` fraction of another file, as an interrupted download leaves it."""
    data = Path(source).read_bytes()
    Path(path).write_bytes(data[: int(len(data) * keep)])
    return Path(path)


def render_pdf_text_page(dpi: int = 150) -> Image.Image:
    """A rendered page of Form 16 text, for image-level tests (skew, noise)."""
    buf = io.BytesIO()
    s = _Sheet(Path("unused.pdf"), None)
    s.c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    _form16_traces(s, _form16_values({}))
    s.save()
    pdf = pdfium.PdfDocument(buf.getvalue())
    try:
        page = pdf[0]
        bitmap = page.render(scale=dpi / 72, grayscale=True)
        image = bitmap.to_pil().copy()
        bitmap.close()
        page.close()
        return image
    finally:
        pdf.close()
