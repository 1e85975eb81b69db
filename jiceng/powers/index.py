"""The per-process index `holder()` answers from: powers, delegations, regions and units.

Built from the database once per PowersVersion (bumped by every write in actions/importer) and
rechecked at most every RECHECK_SECONDS, like the org grid index. Unit and region rows are
resolved lazily and memoized in the index.
"""

import datetime as dt
import threading
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, F, Max

from jiceng.org.models import Region, Unit, UnitKind

from .models import Delegation, PowerItem, PowersVersion

RECHECK_SECONDS = 2.0
_lock = threading.Lock()
_index: "PowerIndex | None" = None
_checked: tuple[float, tuple] = (0.0, ())
# The outermost atomic block of an uncommitted write; if it goes away without committing (a
# rollback, e.g. at the end of every test), the index built from the write must be dropped.
_pending_block = None


@dataclass(frozen=True)
class DelegationRow:
    id: int
    target_code: str
    effective_from: dt.date
    effective_to: dt.date | None
    document: str
    mode: str
    to_sector: str
    revoked: bool

    def covers(self, township_code: str) -> bool:
        return township_code.startswith(self.target_code)

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day < self.effective_to)


@dataclass
class PowerIndex:
    stamp: tuple
    powers: dict[str, PowerItem] = field(default_factory=dict)
    delegations: dict[int, list[DelegationRow]] = field(default_factory=dict)
    _regions: dict[str, Region | None] = field(default_factory=dict)
    _units: dict[tuple[str, str], Unit | None] = field(default_factory=dict)
    _delegation_rows: dict[int, Delegation] = field(default_factory=dict)

    def region(self, code: str) -> Region | None:
        if code not in self._regions:
            self._regions[code] = Region.objects.filter(code=code).first()
        return self._regions[code]

    def unit(self, region_code: str, sector: str) -> Unit | None:
        """The region's unit of that sector (a team or station before a department)."""
        key = (region_code, sector)
        if key not in self._units:
            units = Unit.objects.filter(region__code=region_code, sector=sector).select_related(
                "region"
            )
            order = {UnitKind.TEAM: 0, UnitKind.DEPARTMENT: 1, UnitKind.STATION: 2}
            found = sorted(units, key=lambda u: (order.get(u.kind, 9), u.name))
            if not found:
                found = list(
                    Unit.objects.filter(region__code=region_code, kind=UnitKind.GOVERNMENT)
                )
            self._units[key] = found[0] if found else None
        return self._units[key]

    def prime(self, pks) -> None:
        """Fetch the delegations about to be shown in one query instead of one each."""
        missing = [pk for pk in set(pks) if pk not in self._delegation_rows]
        for i in range(0, len(missing), 900):
            for d in Delegation.objects.select_related("power", "target", "from_unit").filter(
                pk__in=missing[i : i + 900]
            ):
                self._delegation_rows[d.pk] = d

    def delegation(self, pk: int) -> Delegation:
        if pk not in self._delegation_rows:
            self._delegation_rows[pk] = Delegation.objects.select_related(
                "power", "target", "from_unit"
            ).get(pk=pk)
        return self._delegation_rows[pk]


def _stamp() -> tuple:
    version = PowersVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0
    units = Unit.objects.aggregate(n=Count("id"), last=Max("id"))
    return (version, units["n"], units["last"])


def current_stamp() -> tuple:
    global _checked
    now = time.monotonic()
    if now - _checked[0] > RECHECK_SECONDS:
        _checked = (now, _stamp())
    return _checked[1]


def build(stamp: tuple) -> PowerIndex:
    index = PowerIndex(stamp=stamp)
    index.powers = {p.code: p for p in PowerItem.objects.all()}
    rows = Delegation.objects.values_list(
        "id",
        "power_id",
        "target__code",
        "effective_from",
        "effective_to",
        "document",
        "mode",
        "to_sector",
        "revoked_at",
    ).order_by("effective_from")
    for pk, power_id, code, start, end, doc, mode, sector, revoked in rows:
        row = DelegationRow(pk, code, start, end, doc, mode, sector, revoked is not None)
        index.delegations.setdefault(power_id, []).append(row)
    return index


def _outermost_block():
    blocks = getattr(connection, "atomic_blocks", None)
    return blocks[0] if connection.in_atomic_block and blocks else None


def _drop_if_rolled_back() -> None:
    global _pending_block
    if _pending_block is not None and _outermost_block() is not _pending_block:
        _pending_block = None
        clear_local()


def _committed() -> None:
    global _pending_block
    _pending_block = None


def get_index() -> PowerIndex:
    global _index
    _drop_if_rolled_back()
    stamp = current_stamp()
    with _lock:
        if _index is None or _index.stamp != stamp:
            _index = build(stamp)
        return _index


def clear_local() -> None:
    """Forget this process's index (tests call it; writes call powers_changed)."""
    global _index, _checked
    _index, _checked = None, (0.0, ())


def powers_changed() -> None:
    """Call after any write to powers or delegations: every process rebuilds on its next lookup."""
    if not PowersVersion.objects.filter(pk=1).update(version=F("version") + 1):
        PowersVersion.objects.create(pk=1, version=1)
    clear_local()
    global _pending_block
    _pending_block = _outermost_block()
    if _pending_block is not None:
        transaction.on_commit(_committed)
