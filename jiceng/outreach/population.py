"""A synthetic population (marked `synthetic`) for demos and benchmarks, generated fast.

Every row is made up: names from common characters, ID numbers and credit codes that pass their
checksums but belong to nobody. On PostgreSQL rows go in through COPY; elsewhere bulk_create.
"""

import datetime as dt
import random
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

from jiceng.org.models import Region

from .ids import id_hash, id_mask, make_credit_code, make_id
from .models import Business, Certificate, Employment, Industry, Resident

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红文玉梅林海燕云飞鹏辉宇浩然晨欣怡佳琪子涵"
INDUSTRY_WEIGHTS = [
    (Industry.CATERING, 35),
    (Industry.FOOD_SALES, 15),
    (Industry.RETAIL, 20),
    (Industry.SERVICE, 20),
    (Industry.MANUFACTURING, 10),
]
ROLES = ["厨师", "服务员", "收银员", "店员", "配送员", "帮厨"]
BATCH = 20000


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _places(township_code: str) -> list[tuple[int, int | None, str]]:
    """(community id, grid id or None, county code) for every grid (or gridless community)."""
    out = []
    for community in Region.objects.filter(code__startswith=township_code, level="community"):
        grids = list(
            Region.objects.filter(parent=community, level="grid").values_list("pk", flat=True)
        )
        out += [(community.pk, g, community.code[:6]) for g in grids] or [
            (community.pk, None, community.code[:6])
        ]
    if not out:
        raise ValueError(f"区划 {township_code} 下没有社区，请先载入演示区域（jiceng load_demo）")
    return out


def _copy(model, columns: list[str], rows: list[tuple]) -> None:
    """COPY on PostgreSQL; bulk_create (in batches) on any other engine."""
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        table = model._meta.db_table
        with connection.connection.cursor() as cur:
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    names = [c[:-3] + "_id" if c.endswith("_id") else c for c in columns]
    objs = [model(**dict(zip(names, row, strict=True))) for row in rows]
    model.objects.bulk_create(objs, batch_size=2000)


def _next_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def generate(
    residents: int,
    *,
    township_code: str = "330102003",
    seed: int = 1,
    today: dt.date | None = None,
    say: Callable[[str], None] = print,
) -> dict:
    """Add `residents` people, as many employments and health certificates, and N/20 businesses.

    Explicit primary keys (continuing after the current maximum) let COPY skip RETURNING.
    """
    rng = random.Random(seed)
    today = today or timezone.localdate()
    now = timezone.now()
    places = _places(township_code)
    n_biz = max(1, residents // 20)
    biz_start = _next_id(Business)
    industries = [i for i, w in INDUSTRY_WEIGHTS for _ in range(w)]
    with transaction.atomic():
        biz_rows, food = [], []
        for k in range(n_biz):
            comm, grid, county = rng.choice(places)
            industry = rng.choice(industries)
            pk = biz_start + k
            code = make_credit_code(county, pk * 7919 + seed)
            biz_rows.append((pk, f"合成商户{pk}号", code, industry, comm, grid, "", True, now))
            if industry in (Industry.CATERING, Industry.FOOD_SALES):
                food.append(pk)
        _copy(
            Business,
            [
                "id",
                "name",
                "credit_code",
                "industry",
                "community_id",
                "grid_id",
                "address",
                "synthetic",
                "updated_at",
            ],
            biz_rows,
        )
        say(f"经营主体 {n_biz} 个")
        res_start, emp_start, cert_start = (
            _next_id(Resident),
            _next_id(Employment),
            _next_id(Certificate),
        )
        for start in range(0, residents, BATCH):
            _batch(
                rng,
                today,
                now,
                places,
                start,
                min(BATCH, residents - start),
                res_start,
                emp_start,
                cert_start,
                biz_start,
                n_biz,
                seed,
            )
            say(f"居民 {start + min(BATCH, residents - start)}/{residents}")
        lic = [
            (
                cert_start + residents + i,
                "食品经营许可证",
                f"JY{seed:02d}{pk:010d}",
                pk,
                today - dt.timedelta(days=rng.randint(0, 1800)),
                today + dt.timedelta(days=rng.randint(-30, 1800)),
                True,
                now,
            )
            for i, pk in enumerate(food)
        ]
        _copy(
            Certificate,
            [
                "id",
                "kind",
                "number",
                "holder_business_id",
                "issued",
                "expires",
                "synthetic",
                "updated_at",
            ],
            lic,
        )
    _fix_sequences()
    return {"residents": residents, "businesses": n_biz, "food_licenses": len(lic)}


def _batch(
    rng, today, now, places, start, size, res_start, emp_start, cert_start, biz_start, n_biz, seed
) -> None:
    res, emp, cert = [], [], []
    for k in range(start, start + size):
        comm, grid, county = rng.choice(places)
        birth = today - dt.timedelta(days=rng.randint(0, 100 * 365))
        number = make_id(county, birth, k % 1000)
        tags = []
        if rng.random() < 0.08:
            tags.append("低保")
        if birth.year <= today.year - 80 and rng.random() < 0.6:
            tags.append("高龄补贴")
        pk = res_start + k
        res.append(
            (
                pk,
                _name(rng),
                id_hash(f"{number}:{pk}"),
                id_mask(number),
                birth,
                "M" if int(number[16]) % 2 else "F",
                "",
                "",
                "," + ",".join(tags) + "," if tags else "",
                comm,
                grid,
                True,
                now,
            )
        )
        ended = rng.random() < 0.1
        emp.append(
            (
                emp_start + k,
                pk,
                biz_start + rng.randrange(n_biz),
                rng.choice(ROLES),
                today - dt.timedelta(days=rng.randint(30, 3000)),
                today - dt.timedelta(days=rng.randint(1, 30)) if ended else None,
                True,
                now,
            )
        )
        cert.append(
            (
                cert_start + k,
                "健康证",
                f"JK{seed:02d}{pk:010d}",
                pk,
                today - dt.timedelta(days=rng.randint(0, 365)),
                today + dt.timedelta(days=rng.randint(-60, 3 * 365 - 60)),
                True,
                now,
            )
        )
    _copy(
        Resident,
        [
            "id",
            "name",
            "id_hash",
            "id_masked",
            "birth_date",
            "gender",
            "phone",
            "address",
            "tags",
            "community_id",
            "grid_id",
            "synthetic",
            "updated_at",
        ],
        res,
    )
    _copy(
        Employment,
        [
            "id",
            "resident_id",
            "business_id",
            "role",
            "start_date",
            "end_date",
            "synthetic",
            "updated_at",
        ],
        emp,
    )
    _copy(
        Certificate,
        [
            "id",
            "kind",
            "number",
            "holder_resident_id",
            "issued",
            "expires",
            "synthetic",
            "updated_at",
        ],
        cert,
    )


def _fix_sequences() -> None:
    """After explicit ids, move PostgreSQL's sequences past them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cur:
        for model in (Resident, Business, Employment, Certificate):
            table = model._meta.db_table
            cur.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )
