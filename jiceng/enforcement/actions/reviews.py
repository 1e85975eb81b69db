"""认定重大执法决定 and 法制审核 (《行政处罚法》第五十八条)."""

from django.utils.translation import gettext as _

from .. import review
from ..errors import Conflict
from ..models import (
    MajorGround,
    PenaltyCase,
    ReviewResult,
)
from .base import _actor, _ground, _move, _name_of, _required


def penaltycase_mark_major(*, penalty_case: PenaltyCase, ground: str, note: str, by) -> PenaltyCase:
    """认定重大执法决定 (第五十八条第一款第一、三、四项) by an officer or the leader, with the ground
    and why: the decision then waits for a 法制审核 made after it."""
    ground = _ground(ground, MajorGround, _("请选择重大执法决定的情形"))
    note = _required(note, _("请说明认定为重大执法决定的理由"))

    def marked(pc, now):
        if ground in pc.major_grounds:
            raise Conflict(_("本案已按该情形认定为重大执法决定"))
        pc.major_grounds = [*pc.major_grounds, ground]
        pc.major_note = "\n".join(filter(None, [pc.major_note, note]))
        pc.major_marked_at = now

    return _move(
        penalty_case,
        "mark_major",
        by,
        note=note,
        data={"ground": ground},
        apply=marked,
        transition=False,
    )


def penaltycase_legal_review(
    *, penalty_case: PenaltyCase, result: str, opinion: str, by
) -> PenaltyCase:
    """法制审核 (第五十八条) by a 法制审核人员 of the township: 通过 or 不通过, with the opinion.
    The latest review counts; one made before a later notice, ground or hearing does not."""
    result = _ground(result, ReviewResult, _("请选择法制审核结果：通过或不通过"))
    opinion = _required(opinion, _("请填写法制审核意见"))

    def reviewed(pc, now):
        pc.legal_review, pc.legal_review_opinion, pc.legal_reviewed_at = result, opinion, now
        pc.legal_reviewer = _actor(by)
        pc.legal_reviewer_name = _name_of(by)

    def data(pc):
        return {"result": result, "reasons": [code for code, _t in review.major_reasons(pc)]}

    return _move(
        penalty_case,
        "legal_review",
        by,
        note=opinion,
        data=data,
        apply=reviewed,
        transition=False,
    )
