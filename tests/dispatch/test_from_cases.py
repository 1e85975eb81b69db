"""Training rows from closed cases: the final (corrected) category is the label."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from jiceng.cases.models import Case, Category, Status
from jiceng.dispatch.selectors import training_rows_from_cases
from jiceng.org.models import Level, Region

from .conftest import TOPICS


def make_case(n: int, text: str, category: Category, status: str) -> Case:
    township = Region.objects.filter(level=Level.TOWNSHIP).order_by("code").first()
    return Case.objects.create(
        code=f"T{n:08d}",
        secret_salt="x",
        source="citizen",
        description=text,
        region=township,
        township=township,
        category=category,
        status=status,
        occurred_at=timezone.now(),
    )


@pytest.fixture
def categories(db):
    leaves = Category.objects.exclude(kind="group").order_by("code")[:2]
    assert len(leaves) == 2
    return list(leaves)


def test_only_closed_cases_under_their_final_category(categories):
    roads, schools = categories
    make_case(1, "道路坑洼破损", roads, Status.CLOSED)
    make_case(2, "学校乱收补课费", schools, Status.RATED)
    make_case(3, "井盖丢失危险", roads, Status.DISPATCHED)  # still open: not a label yet
    corrected = make_case(4, "幼儿园学位紧张", roads, Status.DISPATCHED)
    corrected.category, corrected.status = schools, Status.CLOSED  # dispatcher's correction
    corrected.save()
    assert sorted(training_rows_from_cases()) == sorted(
        [
            ("道路坑洼破损", roads.code),
            ("学校乱收补课费", schools.code),
            ("幼儿园学位紧张", schools.code),
        ]
    )


def test_train_from_cases_uses_category_codes(categories, tmp_path):
    texts = {categories[0]: TOPICS["城乡建设"], categories[1]: TOPICS["教育文体"]}
    n = 0
    for category, phrases in texts.items():
        for i in range(6):
            n += 1
            text = phrases[i % 5] + "，" + phrases[(i + 1) % 5]
            make_case(n, text, category, Status.CLOSED)
    out = StringIO()
    call_command(
        "classifier",
        "train",
        "--from-cases",
        "--out",
        str(tmp_path / "c.joblib"),
        "--jobs",
        "1",
        stdout=out,
    )
    result = json.loads(out.getvalue())
    assert result["labels"] == sorted(c.code for c in categories)
    assert result["n_train"] == 12
    assert result["n_hints"] == 2  # the names of the two categories cases were closed under
