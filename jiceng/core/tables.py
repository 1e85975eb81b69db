"""Reading a spreadsheet someone uploaded or named (.xlsx through openpyxl, else CSV), and
writing one.

CSV is read as UTF-8 (with or without BOM) and, failing that, as GB18030, which is what Excel
on a Chinese Windows writes when one saves "CSV". Pure Python, no Django.
"""

import csv
import io

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def read_sheet(name: str, data: bytes) -> tuple[list[str], list[dict]]:
    """The header row and the other non-empty rows as dicts keyed by it.

    Raises UnicodeDecodeError for text in neither encoding and openpyxl's or zipfile's errors
    for a broken workbook; callers turn those into a message for the person.
    """
    if name.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        ws = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        rows = iter(ws.iter_rows(values_only=True))
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030")
        rows = iter(csv.reader(io.StringIO(text)))
    header = [str(h or "").strip() for h in next(rows, [])]
    out = [
        {h: v for h, v in zip(header, values, strict=False) if h}
        for values in rows
        if any(v not in (None, "") for v in values)
    ]
    return header, out


def read_table(name: str, data: bytes) -> list[dict]:
    """The rows of read_sheet without the header."""
    return read_sheet(name, data)[1]


def workbook_bytes(sheets) -> bytes:
    """An .xlsx file with one sheet per (title, rows), in order; a sheet's first row is its header.

    rows may be any iterable (a generator streams a large export into the write-only workbook).
    """
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
