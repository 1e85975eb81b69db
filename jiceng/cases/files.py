"""Uploaded files: type checked by content, size-limited, hashed; photos lose their EXIF.

A photo's GPS position is read before the metadata is stripped, so a report without a map
point can still be located, while the stored copy carries no location or device data.
"""

import base64
import binascii
import hashlib
import io
from dataclasses import dataclass

import filetype
from django.conf import settings
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import Invalid

ALLOWED = {
    "image/jpeg": "image",
    "image/png": "image",
    "image/webp": "image",
    "image/heic": "image",
    "video/mp4": "video",
    "video/quicktime": "video",
    "application/pdf": "pdf",
}
STRIPPABLE = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def max_bytes() -> int:
    return getattr(settings, "JICENG_CASE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)


def max_files() -> int:
    return getattr(settings, "JICENG_CASE_ATTACHMENT_MAX_FILES", 9)


@dataclass
class Prepared:
    name: str
    content: bytes
    content_type: str
    original_sha256: str
    sha256: str
    exif_lon: float | None = None
    exif_lat: float | None = None
    device: str = ""


def _dms(value, ref) -> float | None:
    try:
        deg = float(value[0]) + float(value[1]) / 60 + float(value[2]) / 3600
    except (TypeError, ValueError, IndexError, ZeroDivisionError):
        return None
    return -deg if ref in ("S", "W") else deg


def gps_of(img: Image.Image) -> tuple[float | None, float | None]:
    """(lon, lat) from the EXIF GPS block, or (None, None)."""
    gps = img.getexif().get_ifd(0x8825)
    if not gps or 2 not in gps or 4 not in gps:
        return None, None
    lat, lon = _dms(gps.get(2), gps.get(1)), _dms(gps.get(4), gps.get(3))
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return lon, lat


def _strip(img: Image.Image, fmt: str) -> bytes:
    """Re-encode only the pixels (turned upright first): no EXIF, GPS or maker notes."""
    upright = ImageOps.exif_transpose(img)
    clean = Image.frombytes(upright.mode, upright.size, upright.tobytes())
    if upright.mode == "P" and upright.getpalette():
        clean.putpalette(upright.getpalette())
    out = io.BytesIO()
    clean.save(out, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return out.getvalue()


def prepare(name: str, data: bytes) -> Prepared:
    """Check one file; raises Invalid with the reason a person can act on."""
    if len(data) > max_bytes():
        raise Invalid(f"文件「{name}」超过 {max_bytes() // (1024 * 1024)} MB 上限")
    if not data:
        raise Invalid(f"文件「{name}」是空的")
    kind = filetype.guess(data)
    mime = kind.mime if kind else ""
    if mime not in ALLOWED:
        raise Invalid(f"文件「{name}」不是允许的图片、视频或 PDF（识别为 {mime or '未知类型'}）")
    original = hashlib.sha256(data).hexdigest()
    prepared = Prepared(name[:200], data, mime, original, original)
    if mime in STRIPPABLE:
        try:
            img = Image.open(io.BytesIO(data))
            img.load()
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
            raise Invalid(f"图片「{name}」已损坏，无法读取") from exc
        prepared.exif_lon, prepared.exif_lat = gps_of(img)
        prepared.device = str(img.getexif().get(0x0110, ""))[:100]
        prepared.content = _strip(img, STRIPPABLE[mime])
        prepared.sha256 = hashlib.sha256(prepared.content).hexdigest()
    return prepared


def from_upload(upload) -> Prepared:
    if upload.size > max_bytes():
        raise Invalid(f"文件「{upload.name}」超过 {max_bytes() // (1024 * 1024)} MB 上限")
    return prepare(upload.name, upload.read())


def from_base64(index: int, raw: str) -> Prepared:
    """A photo sent in JSON: plain base64 or a data: URL."""
    if raw.startswith("data:") and "," in raw:
        raw = raw.split(",", 1)[1]
    if len(raw) > max_bytes() * 4 // 3 + 8:
        raise Invalid(f"第{index + 1}张照片超过 {max_bytes() // (1024 * 1024)} MB 上限")
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Invalid(f"第{index + 1}张照片不是有效的 base64 编码") from exc
    return prepare(f"photo-{index + 1}", data)


def check_count(files: list) -> None:
    if len(files) > max_files():
        raise Invalid(f"最多上传 {max_files()} 个文件")
