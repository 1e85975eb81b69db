"""Pages: the public list (权责清单公开), an item's history, the import with preview, gaps."""

import datetime as dt
import re
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from jiceng.core.tables import workbook_bytes
from jiceng.core.views import xlsx_response
from jiceng.org.models import Level, Region
from jiceng.org.scope import person_of
from jiceng.org.selectors import region_get_for, regions_for

from . import selectors, sheets
from .access import can_edit_lists
from .exports import GAP_HEADERS, gap_rows, held_rows
from .forms import ListQuery, UploadForm
from .importer import import_powers
from .models import Delegation, PowerItem, VersionKind


def _townships():
    return Region.objects.filter(level=Level.TOWNSHIP, units__isnull=False).distinct()[:300]


def _query(request) -> tuple[ListQuery, Region | None, dt.date]:
    form = ListQuery(request.GET or None)
    if not form.is_valid():
        return form, None, dt.date.today()
    region = Region.objects.filter(code=form.cleaned_data["region"].strip()).first()
    if region is None or len(region.code) < 9:
        form.add_error("region", "请填写乡镇街道（或其下村社区、网格）的区域代码")
    return form, region if not form.errors else None, form.cleaned_data["on"] or dt.date.today()


def public_list(request):
    """Anyone may search the powers a township or street holds on a date."""
    form, region, day = _query(request)
    held = []
    if region is not None:
        held = selectors.filter_held(
            selectors.powers_held(region, day),
            form.cleaned_data["type"],
            form.cleaned_data["q"],
        )
    context = {"form": form, "region": region, "day": day, "held": held}
    context["townships"] = _townships()
    return render(request, "powers/public.html", context)


def public_export(request):
    form, region, day = _query(request)
    if region is None:
        raise Http404("请填写有效的乡镇街道区域代码")
    rows = held_rows(region, day, form.cleaned_data["type"], form.cleaned_data["q"])
    data = sheets.export_bytes(rows)
    return xlsx_response(data, f"powers-{region.code}-{day.isoformat()}.xlsx")


def item_detail(request, code: str):
    item = PowerItem.objects.filter(code=code).first()
    if item is None:
        raise Http404("未知的权力事项编码")
    delegations = Delegation.objects.filter(power=item).select_related("target", "from_unit")
    return render(
        request,
        "powers/item.html",
        {
            "item": item,
            "versions": selectors.versions_of(VersionKind.POWER, item.pk).order_by("-version"),
            "delegations": delegations,
            "responsibilities": item.responsibilities.select_related("region"),
        },
    )


# ---- import with preview -----------------------------------------------------------------------


def _upload_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "powers-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stash(request, name: str, data: bytes) -> str:
    token = secrets.token_hex(16)
    safe = re.sub(r"[^\w.\-]", "_", name)[-80:]
    (_upload_dir() / f"{token}__{safe}").write_bytes(data)
    request.session.setdefault("powers_uploads", []).append(token)
    request.session.modified = True
    return token


def _unstash(request, token: str) -> tuple[str, bytes]:
    if not re.fullmatch(r"[0-9a-f]{32}", token) or token not in request.session.get(
        "powers_uploads", []
    ):
        raise Http404("上传文件已失效，请重新上传")
    found = list(_upload_dir().glob(f"{token}__*"))
    if not found:
        raise Http404("上传文件已失效，请重新上传")
    return found[0].name.split("__", 1)[1], found[0].read_bytes()


@login_required
def import_page(request):
    if not can_edit_lists(request.user):
        raise PermissionDenied("仅县区管理员或平台管理员可以导入权责清单")
    if request.GET.get("template"):
        return xlsx_response(sheets.xlsx_bytes(sheets.template_workbook()), "powers-template.xlsx")
    context = {"form": UploadForm()}
    if request.method == "POST" and request.POST.get("token"):
        name, data = _unstash(request, request.POST["token"])
        result = import_powers(data, name, by=request.user)
        if result.ok:
            messages.success(request, result.summary())
        context.update(result=result, filename=name, done=result.ok)
    elif request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            result = import_powers(data, upload.name, by=request.user, dry_run=True)
            token = _stash(request, upload.name, data) if result.ok else ""
            context.update(result=result, filename=upload.name, token=token)
        context["form"] = form
    return render(request, "powers/import.html", context)


# ---- 有责无权 / 有权无责 -------------------------------------------------------------------------


def _gap_query(request) -> tuple[Region | None, dt.date]:
    """The township asked for (by default the caller's own; None when neither, e.g. a platform
    admin, who then chooses one) and the day."""
    person = person_of(request.user)
    default = person.region.code if person and person.region_id else ""
    code = request.GET.get("region") or default
    region = region_get_for(request.user, code) if code else None
    try:
        day = dt.date.fromisoformat(request.GET["on"]) if request.GET.get("on") else dt.date.today()
    except ValueError as exc:
        raise Http404("日期格式错误") from exc
    return region, day


@login_required
def gaps_page(request):
    region, day = _gap_query(request)
    too_high = region is None or region.level != Level.TOWNSHIP
    found = [] if too_high else selectors.gaps(region, day)
    no_power = [g for g in found if g.kind == "no_power"]
    return render(
        request,
        "powers/gaps.html",
        {
            "region": region,
            "day": day,
            "no_power": no_power,
            "no_duty": [g for g in found if g.kind != "no_power"],
            "too_high": too_high,
            # a county (or the platform) picks one of its townships by name, not by code
            "townships": regions_for(request.user).filter(level=Level.TOWNSHIP),
        },
    )


@login_required
def gaps_export(request):
    region, day = _gap_query(request)
    if region is None or region.level != Level.TOWNSHIP:
        raise Http404("请选择一个乡镇街道")
    rows = gap_rows(selectors.gaps(region, day))
    data = workbook_bytes([("有责无权与有权无责", [GAP_HEADERS, *rows])])
    return xlsx_response(data, f"gaps-{region.code}-{day.isoformat()}.xlsx")
