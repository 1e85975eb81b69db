"""Read training or evaluation rows from a CSV or Excel file (pure Python, no Django)."""

import csv
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from jiceng.core.tables import read_sheet

from . import errors
from .features import compose


@dataclass
class Rows:
    """Texts and labels read from a CSV; `alt_texts` holds the last text column alone.

    `parts` keeps each row's text columns as they were (for a report that shows the rows).
    """

    texts: list[str]
    labels: list[str]
    alt_texts: list[str] | None
    skipped: int
    parts: list[list[str]] = field(default_factory=list)


def split_columns(names: str) -> list[str]:
    """Column names from "title,body" (a full-width comma, as a Chinese keyboard types it, too)."""
    return [c.strip() for c in names.replace("，", ",").split(",") if c.strip()]


def read_csv_rows(path: str | Path, text_columns: list[str], label_column: str) -> Rows:
    """Rows whose composed text and label are both non-empty; others are counted as skipped."""
    path = Path(path)
    return rows_from_sheet(*_read(str(path), _bytes(path)), text_columns, label_column)


def read_uploaded_rows(name: str, data: bytes, text_columns: list[str], label_column: str) -> Rows:
    """The same as read_csv_rows, for a file someone uploaded (its name and content)."""
    return rows_from_sheet(*_read(name, data), text_columns, label_column)


def rows_from_sheet(records, fields, text_columns: list[str], label_column: str) -> Rows:
    missing = [c for c in [*text_columns, label_column] if c not in fields]
    if missing:
        raise errors.missing_columns(missing, fields)
    texts, alts, labels, kept, skipped = [], [], [], [], 0
    for rec in records:
        parts = [_cell(rec, c) for c in text_columns]
        text, label = compose(parts), _cell(rec, label_column)
        if not text or not label:
            skipped += 1
            continue
        texts.append(text)
        alts.append(parts[-1] or text)
        labels.append(label)
        kept.append(parts)
    return Rows(texts, labels, alts if len(text_columns) > 1 else None, skipped, kept)


def read_hint_rows(path: str | Path) -> list[tuple[str, str]]:
    """(text, label) hints from a CSV whose first column is the label and the rest its words.

    Made for the organiser's label tree (level1,level2,level3): each row says what a
    first-level label covers, e.g. ("安全生产 安全隐患", "城乡建设").
    """
    path = Path(path)
    return hint_rows_from_sheet(str(path), *_read(str(path), _bytes(path)))


def read_uploaded_hints(name: str, data: bytes) -> list[tuple[str, str]]:
    """The same as read_hint_rows, for a file someone uploaded."""
    return hint_rows_from_sheet(name, *_read(name, data))


def hint_rows_from_sheet(name: str, records, fields) -> list[tuple[str, str]]:
    if len(fields) < 2:
        raise errors.bad_hints(name, fields)
    label, words = fields[0], fields[1:]
    rows = [
        (" ".join(w for w in (_cell(rec, c) for c in words) if w), _cell(rec, label))
        for rec in records
    ]
    return [(text, y) for text, y in rows if text and y]


def _cell(rec: dict, column: str) -> str:
    value = rec.get(column)
    return "" if value is None else str(value).strip()


def _bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise errors.bad_file(str(path), "文件不存在", "file not found") from None
    except OSError as exc:
        raise errors.bad_file(str(path), str(exc)) from None


def _read(name: str, data: bytes) -> tuple[list[dict], list[str]]:
    """Rows and header of a .csv (UTF-8 or GB18030) or .xlsx file; a clear error otherwise."""
    try:
        header, records = read_sheet(name, data)
    except UnicodeDecodeError:
        raise errors.bad_file(
            name, "既不是 UTF-8 也不是 GB18030 编码", "neither UTF-8 nor GB18030 text"
        ) from None
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise errors.bad_file(
            name, f"不是有效的 Excel 文件（{exc}）", f"not a valid .xlsx ({exc})"
        ) from None
    except (OSError, csv.Error) as exc:
        raise errors.bad_file(name, str(exc)) from None
    return records, [h for h in header if h]
