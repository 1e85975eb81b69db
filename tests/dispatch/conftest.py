"""Fixtures for the dispatch tests: a small separable message set written as CSV."""

import csv

import pytest

TOPICS = {
    "城乡建设": ["道路坑洼破损", "小区路灯不亮", "井盖丢失危险", "违章建筑占道", "自来水停水"],
    "教育文体": [
        "学校乱收补课费",
        "幼儿园学位紧张",
        "老师体罚学生",
        "图书馆开放时间",
        "中考招生政策",
    ],
    "卫生计生": ["医院看病排队", "医保报销比例", "诊所无证行医", "疫苗接种预约", "生育服务登记"],
}
PLACES = ["A市", "A3区", "A5区", "西地省", "B镇", "C村"]


def toy_rows() -> list[dict]:
    """Six messages per label, each with a title and a body in that label's words only."""
    rows = []
    for label, phrases in TOPICS.items():
        for i, place in enumerate(PLACES):
            title = f"{place}{phrases[i % len(phrases)]}"
            body = "，".join(phrases[(i + j) % len(phrases)] for j in range(3)) + "，请尽快处理。"
            rows.append({"title": title, "body": f"{place}{body}", "label1": label})
    return rows


@pytest.fixture
def toy_csv(tmp_path):
    path = tmp_path / "toy.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["title", "body", "label1"])
        writer.writeheader()
        writer.writerows(toy_rows())
    return path


def train_toy(**kwargs):
    """A model on the toy messages, title + body (one grid point, one core: fast)."""
    from jiceng.dispatch import ml

    rows = toy_rows()
    texts = [r["title"] + "\n" + r["body"] for r in rows]
    return ml.train(texts, [r["label1"] for r in rows], grid={}, n_jobs=1, **kwargs)


@pytest.fixture(scope="session")
def toy_model():
    """A model trained once on the toy messages, with the body alone as a second view."""
    return train_toy(alt_texts=[r["body"] for r in toy_rows()])
