"""The 听证笔录 and the 听证报告 as documents (《行政处罚法》第六十四条第七、八项, 第六十五条): fields
from the record of the hearing; what it lacks is None, a blank to fill in by hand."""

from .docfmt import cn_date, cn_moment, latest
from .models import PenaltyCase, Signature


def _names(people) -> str | None:
    return "、".join(p.name for p in people) or None


def record(pc: PenaltyCase, steps) -> dict:
    """听证笔录: who took part, what the investigators and the party said, the signature (or the
    chair's note of a refusal)."""
    refused = pc.hearing_signature == Signature.REFUSED
    return {
        "at": cn_moment(pc.hearing_held_at),
        "place": pc.hearing_place or None,
        "chair": pc.hearing_host.name if pc.hearing_host_id else None,
        "clerk": pc.hearing_clerk.name if pc.hearing_clerk_id else None,
        "presenters": _names(pc.hearing_presenters.order_by("name")),
        "members": _names(pc.hearing_members.order_by("name")),
        "interpreter": pc.hearing_interpreter or None,
        "party_present": pc.hearing_party_present or None,
        "case_presented": pc.hearing_case_presented or None,
        "defence": pc.hearing_defence or None,
        "final_statement": pc.hearing_final_statement or None,
        "signed": pc.hearing_signature == Signature.SIGNED,
        "refused": refused,
        "refusal_note": pc.hearing_signature_note or None,
        "other": pc.hearing_note or None,
    }


def report(pc: PenaltyCase, steps) -> dict:
    """听证报告: the chair's opinion on the facts and evidence, the law and the penalty."""
    step = latest(steps, "hearing_report")
    return {
        **record(pc, steps),
        "facts_opinion": pc.hearing_report_facts or None,
        "law_opinion": pc.hearing_report_law or None,
        "penalty_opinion": pc.hearing_report_penalty or None,
        "reported_on": cn_date(pc.hearing_reported_at),
        "reporter": step.actor_name if step and step.actor_name else None,
    }
