"""Demo data of the Open311 door: questions some services ask, and one service notice."""

from jiceng.cases.models import Category

from .models import Datatype, ServiceAttribute, ServiceSetting

COVER_STATES = [
    {"key": "missing", "name": "丢失"},
    {"key": "broken", "name": "破损"},
    {"key": "shifted", "name": "移位/不平"},
]
QUESTIONS = {
    # code: [(attr code, datatype, required, order, question, values, format note)]
    "C01001": [
        ("STATE", Datatype.SINGLE, True, 1, "井盖是什么情况？", COVER_STATES, ""),
        (
            "DANGER",
            Datatype.SINGLE,
            False,
            2,
            "是否已有人或车辆受伤、受损？",
            [{"key": "yes", "name": "是"}, {"key": "no", "name": "否"}],
            "",
        ),
    ],
    "C01002": [("STATE", Datatype.SINGLE, True, 1, "井盖是什么情况？", COVER_STATES, "")],
    "M06010": [
        ("AMOUNT", Datatype.NUMBER, False, 1, "大约有几袋（堆）？", [], "整数"),
        ("SEEN_AT", Datatype.DATETIME, False, 2, "什么时候看到的？", [], "ISO 8601"),
    ],
}
NOTICES = {"C01001": "井盖缺失请先在现场设置警示，并远离井口。"}


def load(ctx) -> None:
    made = 0
    for code, rows in QUESTIONS.items():
        cat = Category.objects.filter(code=code).first()
        if cat is None:
            continue
        for attr, datatype, required, order, question, values, note in rows:
            _, new = ServiceAttribute.objects.update_or_create(
                category=cat,
                code=attr,
                defaults={
                    "datatype": datatype,
                    "required": required,
                    "order": order,
                    "description": question,
                    "values": values,
                    "datatype_description": note,
                },
            )
            made += new
    for code, notice in NOTICES.items():
        cat = Category.objects.filter(code=code).first()
        if cat is not None:
            ServiceSetting.objects.update_or_create(category=cat, defaults={"notice": notice})
    ctx.say(f"Open311：部分服务的问题与提示（新增 {made} 个问题）")
