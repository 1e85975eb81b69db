"""A rule's stored test cases (sample records and whether each must match), and explanations
of why one subject matches: each condition, the value it met, personal data masked."""

import datetime as dt
import uuid

from django.db import transaction

from jiceng.org.models import Region

from .conditions import ConditionError, Context, compile_condition, leaves, resolve_date
from .ids import mask_name
from .models import Business, Certificate, CertificateKind, Employment, Resident, Rule
from .screening import matches
from .subjects import BIRTH, DATE, LATEST, OP_LABELS, TAGS, FieldSpec, subject_spec


class _Rollback(Exception):
    pass


def _date(raw, ctx: Context):
    return None if raw in (None, "") else resolve_date(raw, ctx)


def _pick(record: dict, prefix: str) -> dict:
    return {k[len(prefix) :]: v for k, v in record.items() if k.startswith(prefix) and k != prefix}


def _resident(values: dict, community: Region, ctx: Context) -> Resident:
    tags = values.get("tags") or []
    tags = tags.split(",") if isinstance(tags, str) else tags
    return Resident.objects.create(
        name=values.get("name", "测试居民"),
        id_hash=uuid.uuid4().hex,
        id_masked="测试用例",
        birth_date=_date(values.get("birth_date"), ctx) or dt.date(1980, 1, 1),
        gender=values.get("gender", "F"),
        tags="," + ",".join(t for t in tags if t) + "," if tags else "",
        address=values.get("address", ""),
        community=community,
    )


def _business(values: dict, community: Region) -> Business:
    return Business.objects.create(
        name=values.get("name", "测试单位"),
        credit_code=uuid.uuid4().hex[:18].upper(),
        industry=values.get("industry", "其他"),
        address=values.get("address", ""),
        community=community,
    )


def _cert(kind: str, expires, ctx: Context, **holder) -> None:
    Certificate.objects.create(
        kind=kind, number=uuid.uuid4().hex[:20], expires=_date(expires, ctx), **holder
    )


def build_sample(subject: str, record: dict, community: Region, ctx: Context):
    """Create the rows one sample record describes (inside a transaction that is rolled back)."""
    if subject == "resident":
        obj = _resident(record, community, ctx)
        if "health_cert_expires" in record and record["health_cert_expires"] is not None:
            _cert(CertificateKind.HEALTH, record["health_cert_expires"], ctx, holder_resident=obj)
        return obj
    if subject == "business":
        obj = _business(record, community)
        if record.get("food_license_expires") is not None:
            _cert(
                CertificateKind.FOOD_LICENSE,
                record["food_license_expires"],
                ctx,
                holder_business=obj,
            )
        return obj
    if subject == "employee":
        person = _resident(_pick(record, "resident."), community, ctx)
        obj = Employment.objects.create(
            resident=person,
            business=_business(_pick(record, "business."), community),
            role=record.get("role", ""),
            start_date=_date(record.get("start_date"), ctx),
            end_date=_date(record.get("end_date"), ctx),
        )
        if record.get("health_cert_expires") is not None:
            _cert(
                CertificateKind.HEALTH, record["health_cert_expires"], ctx, holder_resident=person
            )
        return obj
    holder = {}
    if _pick(record, "holder_business.") or not _pick(record, "holder_resident."):
        holder["holder_business"] = _business(_pick(record, "holder_business."), community)
    if _pick(record, "holder_resident."):
        holder = {"holder_resident": _resident(_pick(record, "holder_resident."), community, ctx)}
    return Certificate.objects.create(
        kind=record.get("kind", "其他"),
        number=record.get("number") or uuid.uuid4().hex[:20],
        issued=_date(record.get("issued"), ctx),
        expires=_date(record.get("expires"), ctx),
        **holder,
    )


def _check_case(rule: Rule, case: dict, community: Region, ctx: Context) -> dict:
    name = str(case.get("name") or "未命名")
    expect = bool(case.get("expect"))
    record = case.get("record")
    if not isinstance(record, dict):
        return {"name": name, "expect": expect, "ok": False, "error": "record 应为字段到值的对象"}
    unknown = [k for k in record if k not in _sample_keys(rule.subject)]
    if unknown:
        return {
            "name": name,
            "expect": expect,
            "ok": False,
            "error": f"样例中有规则对象没有的字段：{'、'.join(unknown)}",
        }
    try:
        with transaction.atomic():
            obj = build_sample(rule.subject, record, community, ctx)
            got = matches(rule, ctx).filter(pk=obj.pk).exists()
            raise _Rollback(got)
    except _Rollback as done:
        got = done.args[0]
    except (ConditionError, ValueError) as exc:
        return {"name": name, "expect": expect, "ok": False, "error": str(exc)}
    return {"name": name, "expect": expect, "got": got, "ok": got == expect}


def _sample_keys(subject: str) -> set[str]:
    return set(subject_spec(subject).fields)


def run_test_cases(rule: Rule, ctx: Context | None = None) -> list[dict]:
    """Run every stored case against the compiled query on throw-away rows; nothing is kept."""
    ctx = ctx or Context.now()
    community = (
        Region.objects.filter(code__startswith=rule.region.code[:12], level="community")
        .order_by("code")
        .first()
    )
    if community is None:
        return [{"name": "—", "ok": False, "error": "适用区域内没有社区，无法运行测试用例"}]
    return [_check_case(rule, case, community, ctx) for case in rule.test_cases or []]


def _show(spec: FieldSpec, value, unmasked: bool) -> str:
    if value in (None, ""):
        return "（空）"
    if spec.type == TAGS:
        return "、".join(t for t in str(value).split(",") if t) or "（无）"
    if spec.personal and not unmasked:
        if spec.type in (BIRTH, DATE):
            return f"{value:%Y-%m}-**"
        return mask_name(str(value)) if spec.path.endswith("name") else str(value)[:4] + "…"
    return str(value)


def _actual(model, pk: int, spec: FieldSpec):
    if spec.type == LATEST:
        holder = model.objects.filter(pk=pk).values_list(spec.path, flat=True).first()
        certs = Certificate.objects.filter(**{spec.holder_fk: holder, "kind": spec.kind})
        dates = list(certs.values_list("expires", flat=True))
        if not dates:
            return None
        return "长期有效" if None in dates else max(dates)
    return model.objects.filter(pk=pk).values_list(spec.path, flat=True).first()


def _describe(spec: FieldSpec, node: dict) -> str:
    op = node.get("op")
    value = node.get("value")
    if op == "expired":
        return f"{spec.label} {OP_LABELS[op]}"
    if op == "expires_within_days":
        return f"{spec.label} 已过期或{value}天内到期"
    if op == "is_null":
        return f"{spec.label} {'为空' if value in (None, True) else '不为空'}"
    if isinstance(value, list):
        value = " 至 ".join(map(str, value)) if op == "between" else "、".join(map(str, value))
    return f"{spec.label} {OP_LABELS.get(op, op)} {value}"


def explain(rule: Rule, obj, *, unmasked: bool = False, ctx: Context | None = None) -> list[dict]:
    """One line per node of the tree: what it asks, the subject's value, and whether it holds."""
    ctx = ctx or Context.now()
    spec = subject_spec(rule.subject)
    base = spec.model.objects.filter(pk=obj.pk)
    lines = []
    for path, node in leaves(rule.condition):
        q = compile_condition(rule.subject, node, ctx)
        ok = base.filter(q).exists()
        if "field" in node:
            field = spec.fields[node["field"]]
            text = _describe(field, node)
            actual = _show(field, _actual(spec.model, obj.pk, field), unmasked)
        else:
            key = next(iter(node))
            text = {"all": "以下全部满足", "any": "以下任一满足", "not": "以下不成立"}[key]
            actual = ""
        lines.append({"depth": len(path), "text": text, "actual": actual, "ok": ok})
    return lines
