"""Legal clocks of the penalty procedure, as dated rules (which rule applies is decided by date).

Sources (《中华人民共和国行政处罚法》, revised 2021, in force from 2021-07-15, 第八十六条):
- 第六十条: the decision within 90 days of 立案 (natural days: 第八十五条 names only 2/3/5/7).
- 第六十四条 + 第八十五条: a hearing may be asked for within 5 days of 告知; "五日" is working days.
- 第六十四条第二项 + 第八十五条: the party learns of a hearing 7 working days before it is held, so
  it is held no earlier than the 7th working day after it was asked for.
- 第六十一条 + 第八十五条: a decision not handed over on the spot is served within 7 working days.
- 第六十七条: a fine is paid within 15 days of receiving the decision (natural days).
- 第七十一条 + 第八十五条: a fine collected on the spot reaches the agency within 2 days of its
  collection (on water: of reaching the shore); "二日" is working days.
- 立案: 第五十四条 only says "及时立案"; the platform uses 15 working days from discovery
  (the figure of 《市场监督管理行政处罚程序规定》第十八条), a platform rule, not a statute.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from jiceng.core.calendar import add_working_days

LAW_2021 = dt.date(2021, 7, 15)


@dataclass(frozen=True)
class Clock:
    name: str
    label: str
    amount: int
    unit: str  # "working_days" or "days" (natural days, ending at midnight)
    basis: str
    effective_from: dt.date


CLOCKS = [
    Clock(
        "filing",
        "立案",
        15,
        "working_days",
        "平台规则：自发现之日起15个工作日内立案（《行政处罚法》第五十四条要求及时立案）",
        LAW_2021,
    ),
    Clock(
        "decision",
        "作出处罚决定",
        90,
        "days",
        "《行政处罚法》第六十条：自立案之日起九十日内作出行政处罚决定",
        LAW_2021,
    ),
    Clock(
        "hearing",
        "陈述、申辩和要求听证",
        5,
        "working_days",
        "《行政处罚法》第六十四条、第八十五条：告知后五个工作日内可要求听证",
        LAW_2021,
    ),
    Clock(
        "hearing_notice",
        "听证通知",
        7,
        "working_days",
        "《行政处罚法》第六十四条第二项、第八十五条：举行听证的七个工作日前通知当事人",
        LAW_2021,
    ),
    Clock(
        "service",
        "送达",
        7,
        "working_days",
        "《行政处罚法》第六十一条、第八十五条：当事人不在场的，七个工作日内送达",
        LAW_2021,
    ),
    Clock(
        "performance",
        "履行",
        15,
        "days",
        "《行政处罚法》第六十七条：自收到处罚决定书之日起十五日内缴纳罚款",
        LAW_2021,
    ),
    Clock(
        "handin",
        "当场收缴的罚款交至行政机关",
        2,
        "working_days",
        "《行政处罚法》第七十一条、第八十五条：当场收缴的罚款自收缴之日起二个工作日内交至行政机关"
        "（在水上当场收缴的，自抵岸之日起二个工作日内）",
        LAW_2021,
    ),
]


def rule(name: str, on: dt.date) -> Clock | None:
    """The rule of that name in force on a date (the latest that started by then)."""
    found = [c for c in CLOCKS if c.name == name and c.effective_from <= on]
    return max(found, key=lambda c: c.effective_from) if found else None


def deadline(name: str, start: dt.datetime) -> dt.datetime | None:
    """When the clock started at `start` runs out; None if no rule applied on that day."""
    local = timezone.localtime(start)
    clock = rule(name, local.date())
    if clock is None:
        return None
    if clock.unit == "working_days":
        return add_working_days(local, clock.amount)
    return end_of_day(local.date() + dt.timedelta(days=clock.amount))


def end_of_day(day: dt.date) -> dt.datetime:
    """A limit in natural days runs to midnight at the end of its last day."""
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    return timezone.make_aware(end)


def filing_due(discovered_on: dt.date) -> dt.date | None:
    start = timezone.make_aware(dt.datetime.combine(discovered_on, dt.time(9)))
    due = deadline("filing", start)
    return timezone.localtime(due).date() if due else None


def _two_years_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 2)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 2, day=28)


def limitation_note(act_date: dt.date, discovered_on: dt.date) -> str:
    """《行政处罚法》第三十六条: acts found more than two years later are not punished, unless the
    act continues (an unremoved building does); a warning for the officer, not a refusal."""
    if discovered_on <= _two_years_after(act_date):
        return ""
    return _(
        "违法行为发生至发现已超过二年（《行政处罚法》第三十六条）：仅当违法行为有连续或者继续状态"
        "（如违法建筑未拆除）时方可处罚，期限自行为终了之日起计算，请在调查中核实"
    )
