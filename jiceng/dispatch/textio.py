"""Read training or evaluation rows from a CSV or Excel file (pure Python, no Django)."""

import csv
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from jiceng.core.tables import read_sheet

from . import errors
from .features import compose


@dataclass
class Rows:
    """Texts and labels read from a CSV; `alt_texts` holds the last text column alone.

    `parts` keeps each row's text columns as they were (for a report that shows the rows);
    `text_columns` and `label_column` are the columns read, as named or as guessed.
    """

    texts: list[str]
    labels: list[str]
    alt_texts: list[str] | None
    skipped: int
    parts: list[list[str]] = field(default_factory=list)
    text_columns: list[str] = field(default_factory=list)
    label_column: str = ""


# Header names that say what a column holds, as the message boards, hotlines and grid systems
# export them (compared without case, spaces or underscores), best first.
TITLE_NAMES = ("title", "subject", "标题", "留言主题", "主题", "诉求标题", "事件标题", "工单标题")
BODY_NAMES = (
    "body", "text", "content", "message", "正文", "内容", "留言详情", "留言内容", "诉求内容",
    "来电内容", "工单内容", "事件描述", "问题描述", "描述", "详情",
)  # fmt: skip
LABEL_NAMES = (
    "label1", "label", "category", "class", "一级标签", "一级分类", "一级类别", "类别", "分类",
    "所属类别", "诉求类别", "事件类别", "事件类型", "类型", "标签",
)  # fmt: skip


def split_columns(names: str) -> list[str]:
    """Column names from "title,body" (a full-width comma, as a Chinese keyboard types it, too)."""
    return [c.strip() for c in names.replace("，", ",").split(",") if c.strip()]


def guess_columns(
    fields: list[str], text_columns: list[str] | None = None, label_column: str | None = None
) -> tuple[list[str], str]:
    """The text columns (a title-like one, then a body-like one) and the label column of a
    header, from the names above, where they are not given; a clear error naming the header
    when one cannot be told."""
    text = text_columns or [
        c for c in (_first(fields, TITLE_NAMES), _first(fields, BODY_NAMES)) if c
    ]
    label = label_column or _first(fields, LABEL_NAMES)
    if not text or not label:
        raise errors.columns_not_guessed(fields, text=not text, label=not label)
    return text, label


def _first(fields: list[str], names: tuple[str, ...]) -> str | None:
    by_name = {re.sub(r"[\s_]+", "", f).lower(): f for f in reversed(fields)}
    return next((by_name[n] for n in names if n in by_name), None)


def read_csv_rows(
    path: str | Path, text_columns: list[str] | None, label_column: str | None
) -> Rows:
    """Rows whose composed text and label are both non-empty; others are counted as skipped.

    text_columns / label_column None: guessed from the header (`guess_columns`)."""
    path = Path(path)
    return rows_from_sheet(*_read(str(path), _bytes(path)), text_columns, label_column)


def read_uploaded_rows(
    name: str, data: bytes, text_columns: list[str] | None, label_column: str | None
) -> Rows:
    """The same as read_csv_rows, for a file someone uploaded (its name and content)."""
    return rows_from_sheet(*_read(name, data), text_columns, label_column)


def rows_from_sheet(
    records, fields, text_columns: list[str] | None, label_column: str | None
) -> Rows:
    text_columns, label_column = guess_columns(fields, text_columns, label_column)
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
    alt_texts = alts if len(text_columns) > 1 else None
    return Rows(texts, labels, alt_texts, skipped, kept, list(text_columns), label_column)


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
