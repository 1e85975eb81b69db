"""The rule builder's form: rows of field / operator / value, or a JSON tree for nesting."""

import json
import re

from .subjects import OP_LABELS, OPS_BY_TYPE, SUBJECTS

LIST_SPLIT = re.compile(r"\s*[,，、]\s*")


def _row_value(op: str, raw: str):
    raw = (raw or "").strip()
    if op == "expired":
        return None
    if op == "is_null":
        return raw.lower() not in ("false", "否", "0", "no")
    if op == "in":
        return [v for v in LIST_SPLIT.split(raw) if v]
    if op == "between":
        return LIST_SPLIT.split(raw) if raw else []
    return raw


def condition_from_post(post) -> tuple[dict, str]:
    """The condition tree from the form, and the error if the JSON box cannot be read."""
    text = (post.get("condition_json") or "").strip()
    if post.get("mode") == "json" and text:
        try:
            tree = json.loads(text)
        except json.JSONDecodeError as exc:
            return {}, f"条件JSON格式错误：第{exc.lineno}行第{exc.colno}列"
        if not isinstance(tree, dict):
            return {}, '条件JSON须是一个对象，以 { 开头，例如 {"all": [...]}'
        return tree, ""
    nodes = []
    for field, op, value in zip(
        post.getlist("row_field"), post.getlist("row_op"), post.getlist("row_value"), strict=False
    ):
        if not field:
            continue
        node = {"field": field, "op": op}
        v = _row_value(op, value)
        if v is not None:
            node["value"] = v
        if post.get(f"row_not_{len(nodes)}"):
            node = {"not": node}
        nodes.append(node)
    if not nodes:
        return {}, ""
    combinator = "any" if post.get("combinator") == "any" else "all"
    return {combinator: nodes}, ""


def rows_from_condition(tree: dict) -> tuple[str, list[dict], bool]:
    """(combinator, rows, flat) — flat is False when the tree needs the JSON box."""
    if not tree:
        return "all", [], True
    key = "all" if "all" in tree else "any" if "any" in tree else None
    children = tree[key] if key else [tree]
    rows = []
    for node in children:
        negated = isinstance(node, dict) and set(node) == {"not"}
        inner = node["not"] if negated else node
        if not isinstance(inner, dict) or "field" not in inner:
            return key or "all", [], False
        value = inner.get("value", "")
        if isinstance(value, list):
            value = ", ".join(map(str, value))
        elif isinstance(value, bool):
            value = "true" if value else "false"
        rows.append(
            {"field": inner["field"], "op": inner.get("op"), "value": value, "not": negated}
        )
    return key or "all", rows, True


def test_cases_from_post(post) -> tuple[list, str]:
    text = (post.get("test_cases") or "").strip()
    if not text:
        return [], ""
    try:
        cases = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], f"测试用例JSON格式错误：第{exc.lineno}行第{exc.colno}列"
    if not isinstance(cases, list):
        return [], '测试用例应为列表：[{"name": …, "record": {…}, "expect": true}]'
    return cases, ""


def builder_catalog() -> dict:
    """Fields and operators per subject, for the page's script (labels in Chinese)."""
    return {
        key: {
            "label": spec.label,
            "fields": [
                {
                    "name": n,
                    "label": f.label,
                    "ops": OPS_BY_TYPE[f.type],
                    "choices": list(f.choices),
                }
                for n, f in spec.fields.items()
            ],
        }
        for key, spec in SUBJECTS.items()
    } | {"_ops": {k: str(v) for k, v in OP_LABELS.items()}}
