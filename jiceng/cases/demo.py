"""Demo data of the case loop: the default category tree (idempotent)."""

from .categories import load_categories


def load(ctx) -> None:
    created, _ = load_categories()
    ctx.say(f"案件类别：GB/T 47678.5 部件与事项、矛盾纠纷、突发事件（新增 {created} 个）")
