"""Read training or evaluation rows from a CSV file (pure Python, no Django)."""

import csv
from dataclasses import dataclass
from pathlib import Path

from . import errors
from .features import compose


@dataclass
class Rows:
    """Texts and labels read from a CSV; `alt_texts` holds the last text column alone."""

    texts: list[str]
    labels: list[str]
    alt_texts: list[str] | None
    skipped: int


def read_csv_rows(path: str | Path, text_columns: list[str], label_column: str) -> Rows:
    """Rows whose composed text and label are both non-empty; others are counted as skipped."""
    records, fields = _read(Path(path))
    missing = [c for c in [*text_columns, label_column] if c not in fields]
    if missing:
        raise errors.missing_columns(missing, fields)
    texts, alts, labels, skipped = [], [], [], 0
    for rec in records:
        parts = [(rec.get(c) or "").strip() for c in text_columns]
        text, label = compose(parts), (rec.get(label_column) or "").strip()
        if not text or not label:
            skipped += 1
            continue
        texts.append(text)
        alts.append(parts[-1] or text)
        labels.append(label)
    return Rows(texts, labels, alts if len(text_columns) > 1 else None, skipped)


def read_hint_rows(path: str | Path) -> list[tuple[str, str]]:
    """(text, label) hints from a CSV whose first column is the label and the rest its words.

    Made for the organiser's label tree (level1,level2,level3): each row says what a
    first-level label covers, e.g. ("安全生产 安全隐患", "城乡建设").
    """
    records, fields = _read(Path(path))
    if len(fields) < 2:
        raise errors.bad_hints(str(path), fields)
    label, words = fields[0], fields[1:]
    rows = [
        (
            " ".join((rec.get(c) or "").strip() for c in words).strip(),
            (rec.get(label) or "").strip(),
        )
        for rec in records
    ]
    return [(text, y) for text, y in rows if text and y]


def _read(path: Path) -> tuple[list[dict], list[str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            return list(reader), list(reader.fieldnames or [])
    except FileNotFoundError:
        raise errors.bad_file(str(path), "文件不存在 / file not found") from None
    except UnicodeDecodeError:
        raise errors.bad_file(str(path), "不是 UTF-8 编码 / not UTF-8 encoded") from None
    except (OSError, csv.Error) as exc:
        raise errors.bad_file(str(path), str(exc)) from None
