"""Write a checked import in bulk: powers (new versions on change), delegations, responsibilities."""

from django.utils import timezone

from jiceng.core.audit import snapshot
from jiceng.org.models import Level, Region

from .access import county_of
from .actions import POWER_FIELDS, RESPONSIBILITY_FIELDS, power_data
from .index import powers_changed
from .models import Delegation, ItemVersion, PowerItem, ResponsibilityItem, VersionKind

BATCH = 500


def _user(by):
    return by if getattr(by, "pk", None) else None


def _owner(by) -> Region | None:
    county = county_of(by)
    return Region.objects.filter(code=county).first() if county else None


def apply_powers(rows, powers: dict, by, filename: str, now) -> tuple[int, int, list[str]]:
    from .importer import power_fields  # the row → fields rule lives with the checks

    owner, new, changed, versions = _owner(by), [], [], []
    for row in rows:
        fields = power_fields(row)
        item = powers.get(row.values["code"])
        if item is None:
            item = PowerItem(code=row.values["code"], owner=owner, updated_at=now, **fields)
            new.append((row.number, item))
            powers[item.code] = item
        elif any(getattr(item, k) != v for k, v in fields.items()):
            for k, v in fields.items():
                setattr(item, k, v)
            item.version += 1
            item.updated_at = now
            changed.append((row.number, item))
    PowerItem.objects.bulk_create([i for _, i in new], batch_size=BATCH)
    PowerItem.objects.bulk_update(
        [i for _, i in changed],
        [f for f in POWER_FIELDS if f not in ("code", "owner_id", "status")]
        + ["version", "updated_at"],
        batch_size=BATCH,
    )
    for number, item in new + changed:
        versions.append(
            ItemVersion(
                kind=VersionKind.POWER,
                item_id=item.pk,
                version=item.version,
                data=power_data(item),
                changed_by=_user(by),
                changed_at=now,
                reason=f"导入 {filename} 第{number}行"[:300],
            )
        )
    ItemVersion.objects.bulk_create(versions, batch_size=BATCH)
    return len(new), len(changed), [i.code for _, i in new + changed]


def apply_delegations(new: list[dict], changed: list[dict], powers: dict) -> None:
    rows = []
    for spec in new:
        power = powers[spec["code"]]
        rows.append(
            Delegation(
                power=power,
                target=spec["target"],
                effective_from=spec["effective_from"],
                effective_to=spec["effective_to"],
                document=spec["document"],
                mode=spec["mode"],
                from_level=power.default_level,
            )
        )
    Delegation.objects.bulk_create(rows, batch_size=BATCH)
    updates = []
    for spec in changed:
        d = spec["delegation"]
        d.effective_to, d.document, d.mode = spec["effective_to"], spec["document"], spec["mode"]
        updates.append(d)
    Delegation.objects.bulk_update(updates, ["effective_to", "document", "mode"], batch_size=BATCH)


def apply_responsibilities(rows, powers, regions, by, filename, now) -> tuple[int, int]:
    wanted: dict[tuple[int, str], dict] = {}
    for row in rows:
        name = row.values["responsibility"]
        if not name:
            continue
        for code in row.targets:
            key = (regions[code].pk, name)
            entry = wanted.setdefault(
                key, {"acc": row.values["accountability"], "codes": set(), "row": row.number}
            )
            entry["codes"].add(row.values["code"])
    if not wanted:
        return 0, 0
    existing = {
        (r.region_id, r.name): r
        for r in ResponsibilityItem.objects.filter(
            level=Level.TOWNSHIP,
            region_id__in={k[0] for k in wanted},
            name__in={k[1] for k in wanted},
        ).prefetch_related("powers")
    }
    created, updated, links, versions = [], [], [], []
    for (region_id, name), entry in wanted.items():
        item = existing.get((region_id, name))
        have = {p.code for p in item.powers.all()} if item else set()
        if item is None:
            item = ResponsibilityItem(
                region_id=region_id, level=Level.TOWNSHIP, name=name, accountability=entry["acc"]
            )
            created.append((item, entry))
        elif item.accountability != entry["acc"] or not entry["codes"] <= have:
            item.accountability, item.version, item.updated_at = entry["acc"], item.version + 1, now
            updated.append((item, entry))
        entry["all"] = sorted(have | entry["codes"])
    ResponsibilityItem.objects.bulk_create([i for i, _ in created], batch_size=BATCH)
    ResponsibilityItem.objects.bulk_update(
        [i for i, _ in updated], ["accountability", "version", "updated_at"], batch_size=BATCH
    )
    through = ResponsibilityItem.powers.through
    for item, entry in created + updated:
        for code in entry["codes"]:
            links.append(through(responsibilityitem_id=item.pk, poweritem_id=powers[code].pk))
        data = snapshot(item, RESPONSIBILITY_FIELDS) | {"powers": entry["all"]}
        versions.append(
            ItemVersion(
                kind=VersionKind.RESPONSIBILITY,
                item_id=item.pk,
                version=item.version,
                data=data,
                changed_by=_user(by),
                changed_at=now,
                reason=f"导入 {filename} 第{entry['row']}行"[:300],
            )
        )
    through.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
    ItemVersion.objects.bulk_create(versions, batch_size=BATCH)
    return len(created), len(updated)


def apply_plan(rows, found, new, changed, *, by, filename: str) -> tuple[dict, list[str]]:
    now = timezone.now()
    powers = found["powers"]
    n_new, n_changed, touched = apply_powers(rows, powers, by, filename, now)
    apply_delegations(new, changed, powers)
    r_new, r_changed = apply_responsibilities(rows, powers, found["regions"], by, filename, now)
    counts = {
        "new_powers": n_new,
        "changed_powers": n_changed,
        "new_delegations": len(new),
        "changed_delegations": len(changed),
        "new_responsibilities": r_new,
        "changed_responsibilities": r_changed,
    }
    if n_new or n_changed or new or changed:
        powers_changed()
    return counts, touched
