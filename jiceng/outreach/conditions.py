"""Rule conditions: a JSON tree, checked against a whitelist and compiled to one Q object.

    {"all": [node, ...]}   {"any": [node, ...]}   {"not": node}
    {"field": "business.industry", "op": "eq", "value": "餐饮"}

Values are bound parameters of the ORM query; nothing a person typed becomes SQL text. Dates may
be relative: "today", "today+30d", "today-80y", "month_start-80y", "month_end" (units d/w/m/y).
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from .models import Certificate
from .subjects import (
    BIRTH,
    CHOICE,
    DATE,
    LATEST,
    OP_LABELS,
    OPS_BY_TYPE,
    STR,
    TAGS,
    FieldSpec,
    subject_spec,
)

REL_DATE = re.compile(
    r"^(today|month_start|month_end|year_start|year_end)((?:[+-]\d{1,4}[dwmy])*)$"
)
OFFSET = re.compile(r"([+-])(\d{1,4})([dwmy])")
NO_VALUE_OPS = {"expired"}
INT_OPS = {"age_ge": (0, 150), "expires_within_days": (0, 3650)}
MAX_NODES = 200


class ConditionError(ValueError):
    """A condition a person wrote that cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Context:
    today: dt.date

    @classmethod
    def now(cls) -> "Context":
        return cls(today=timezone.localdate())


def add_months(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def resolve_date(raw, ctx: Context) -> dt.date:
    """An ISO date or a relative expression, resolved against the context's today."""
    if isinstance(raw, dt.date):
        return raw
    if not isinstance(raw, str):
        raise ConditionError(f"“{raw}”不是日期（例：2024-05-01、today+30d）")
    text = raw.strip().replace(" ", "")
    m = REL_DATE.match(text)
    if not m:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ConditionError(
                f"“{raw}”不是日期（例：2024-05-01、today、today+30d、month_start-80y）"
            ) from None
    anchor, offsets = m.groups()
    t = ctx.today
    day = {
        "today": t,
        "month_start": t.replace(day=1),
        "month_end": t.replace(day=calendar.monthrange(t.year, t.month)[1]),
        "year_start": t.replace(month=1, day=1),
        "year_end": t.replace(month=12, day=31),
    }[anchor]
    for sign, amount, unit in OFFSET.findall(offsets):
        n = int(amount) * (1 if sign == "+" else -1)
        if unit in "dw":
            day += dt.timedelta(days=n * (7 if unit == "w" else 1))
            continue
        at_end = day.day == calendar.monthrange(day.year, day.month)[1] and anchor == "month_end"
        day = add_months(day, n * (12 if unit == "y" else 1))
        if at_end:  # the end of a month stays the end of a month (Feb 28 → Feb 29 in a leap year)
            day = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    return day


def _int(raw, op: str) -> int:
    lo, hi = INT_OPS[op]
    if isinstance(raw, bool) or not isinstance(raw, int | str) or not str(raw).strip().isdigit():
        raise ConditionError(f"“{OP_LABELS[op]}”需要一个整数，收到“{raw}”")
    n = int(raw)
    if not lo <= n <= hi:
        raise ConditionError(f"“{OP_LABELS[op]}”的数值应在{lo}到{hi}之间，收到{n}")
    return n


def _scalar(spec: FieldSpec, raw, ctx: Context):
    if spec.type in (DATE, BIRTH, LATEST):
        return resolve_date(raw, ctx)
    if not isinstance(raw, str) or not raw.strip():
        raise ConditionError(f"“{spec.label}”需要一个非空的文字值")
    if spec.type == CHOICE and raw not in spec.choices:
        raise ConditionError(f"“{spec.label}”没有“{raw}”这个取值，可选：{'、'.join(spec.choices)}")
    return raw.strip()


def leaf_value(spec: FieldSpec, op: str, raw, ctx: Context):
    """The checked, resolved value of one comparison (a date, a string, a list, a bool, an int)."""
    if op in NO_VALUE_OPS:
        return None
    if op in INT_OPS:
        return _int(raw, op)
    if op == "is_null":
        if raw is None:
            return True
        if not isinstance(raw, bool):
            raise ConditionError("“为空”的值应为 true 或 false")
        return raw
    if op == "in":
        if not isinstance(raw, list) or not raw:
            raise ConditionError(f"“{spec.label}”的“属于其中之一”需要一个非空列表")
        return [_scalar(spec, v, ctx) for v in raw]
    if op == "between":
        if not isinstance(raw, list) or len(raw) != 2:
            raise ConditionError(f"“{spec.label}”的“介于”需要两个值 [起, 止]")
        lo, hi = (_scalar(spec, v, ctx) for v in raw)
        if lo > hi:
            raise ConditionError(f"“{spec.label}”的“介于”起点晚于终点：{lo} > {hi}")
        return [lo, hi]
    if op == "contains" and spec.type == TAGS and isinstance(raw, str) and "," in raw:
        raise ConditionError("标签不能含逗号；多个标签请用多个条件")
    return _scalar(spec, raw, ctx)


def _plain_q(spec: FieldSpec, op: str, v, ctx: Context) -> Q:
    p = spec.path
    if op == "is_null":
        empty = Q(**{f"{p}__isnull": True})
        if spec.type in (STR, TAGS):
            empty |= Q(**{p: ""})
        return empty if v else ~empty
    if op == "contains":
        return Q(**{f"{p}__contains": f",{v}," if spec.type == TAGS else v})
    if op == "ne":
        return ~Q(**{p: v})
    if op == "age_ge":
        return Q(**{f"{p}__lte": add_months(ctx.today, -12 * v)})
    if op == "expires_within_days":
        return Q(**{f"{p}__lte": ctx.today + dt.timedelta(days=v)})
    if op == "expired":
        return Q(**{f"{p}__lt": ctx.today})
    lookup = {"eq": "exact", "in": "in", "lt": "lt", "le": "lte", "gt": "gt", "ge": "gte"}
    if op == "between":
        return Q(**{f"{p}__range": v})
    return Q(**{f"{p}__{lookup[op]}": v})


def _latest_q(spec: FieldSpec, op: str, v, ctx: Context) -> Q:
    """Compare the latest expiry among the holder's certificates of one kind.

    "latest ≤ d" is "has one expiring by d, and none expires after d"; a certificate without an
    expiry date never expires. EXISTS / NOT EXISTS let the database use semi- and anti-joins;
    bounding the EXISTS side (expires ≤ d rather than any certificate) keeps its hash small:
    the few certificates expiring soon, not all of them.
    """

    def has(**bound) -> Q:
        qs = Certificate.objects.filter(**{spec.holder_fk: OuterRef(spec.path)}, kind=spec.kind)
        if bound:
            ((key, d),) = bound.items()
            if key in ("gt", "gte"):  # no expiry date = later than any date
                qs = qs.filter(Q(**{f"expires__{key}": d}) | Q(expires__isnull=True))
            else:
                qs = qs.filter(**{f"expires__{key}": d})
        return Q(Exists(qs))

    if op == "is_null":
        return ~has() if v else has()
    if op == "gt":
        return has(gt=v)
    if op == "ge":
        return has(gte=v)
    if op == "expired":
        return has(lt=ctx.today) & ~has(gte=ctx.today)
    if op == "expires_within_days":
        d = ctx.today + dt.timedelta(days=v)
        return has(lte=d) & ~has(gt=d)
    if op == "lt":
        return has(lt=v) & ~has(gte=v)
    if op == "le":
        return has(lte=v) & ~has(gt=v)
    if op == "eq":
        return has(exact=v) & ~has(gt=v)
    if op == "between":
        return has(range=v) & ~has(gt=v[1])
    raise ConditionError(f"“{spec.label}”不支持“{op}”")


def _field(subject: str, node: dict) -> tuple[FieldSpec, str]:
    spec = subject_spec(subject)
    name, op = node.get("field"), node.get("op")
    if name not in spec.fields:
        raise ConditionError(
            f"“{spec.label}”没有字段“{name}”，可用字段："
            + "、".join(f"{k}（{f.label}）" for k, f in spec.fields.items())
        )
    field = spec.fields[name]
    allowed = OPS_BY_TYPE[field.type]
    if op not in allowed:
        raise ConditionError(
            f"字段“{field.label}”不能用运算“{op}”，可用："
            + "、".join(f"{o}（{OP_LABELS[o]}）" for o in allowed)
        )
    return field, op


def compile_leaf(subject: str, node: dict, ctx: Context) -> Q:
    field, op = _field(subject, node)
    unknown = set(node) - {"field", "op", "value"}
    if unknown:
        raise ConditionError(f"有无法识别的键：{'、'.join(sorted(unknown))}")
    value = leaf_value(field, op, node.get("value"), ctx)
    return (_latest_q if field.type == LATEST else _plain_q)(field, op, value, ctx)


def _where(path: list[int]) -> str:
    return "条件" + ".".join(str(i + 1) for i in path) if path else "条件"


def _compile(subject: str, node, ctx: Context, path: list[int], budget: list[int]) -> Q:
    budget[0] += 1
    if budget[0] > MAX_NODES:
        raise ConditionError(f"条件过多（最多{MAX_NODES}个）")
    if not isinstance(node, dict) or not node:
        raise ConditionError(f"{_where(path)}：应为一个条件对象")
    try:
        if "all" in node or "any" in node:
            key = "all" if "all" in node else "any"
            children = node[key]
            if len(node) != 1 or not isinstance(children, list):
                raise ConditionError(f"“{key}”应只含一个条件列表")
            qs = [_compile(subject, c, ctx, path + [i], budget) for i, c in enumerate(children)]
            out = Q() if key == "all" else Q(pk__in=[])
            for q in qs:
                out = (out & q) if key == "all" else (out | q)
            return out
        if "not" in node:
            if len(node) != 1:
                raise ConditionError("“not”应只含一个条件")
            return ~_compile(subject, node["not"], ctx, path + [0], budget)
        if "field" in node:
            return compile_leaf(subject, node, ctx)
        raise ConditionError("应为 all / any / not 或 field+op+value")
    except ConditionError as exc:
        if str(exc).startswith("条件"):
            raise
        raise ConditionError(f"{_where(path)}：{exc}") from None


def compile_condition(subject: str, tree, ctx: Context | None = None) -> Q:
    """The whole tree as one Q; raises ConditionError (in Chinese) for anything not allowed."""
    subject_spec(subject)
    return _compile(subject, tree, ctx or Context.now(), [], [0])


def leaves(tree, path=()):
    """Every node with its depth and path, parents before children (for explanations)."""
    if not isinstance(tree, dict):
        return
    yield path, tree
    for key in ("all", "any"):
        for i, child in enumerate(tree.get(key) or []):
            yield from leaves(child, path + (i,))
    if "not" in tree:
        yield from leaves(tree["not"], path + (0,))
