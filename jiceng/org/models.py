"""Regions (province → grid), units and the people who work in them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县区")
    TOWNSHIP = "township", _("乡镇街道")
    COMMUNITY = "community", _("村社区")
    GRID = "grid", _("网格")


# Statistical division codes nest by prefix, so a region's subtree is every code it starts.
CODE_LENGTH = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.COMMUNITY: 12,
    Level.GRID: 15,
}
LEVEL_BY_LENGTH = {length: level for level, length in CODE_LENGTH.items()}


def code_prefixes(code: str, *, strict: bool = False) -> list[str]:
    """The codes of the region `code` and of every region above it (only those above: strict),
    from the province down: a row set for a region covers `code` when its code is among them."""
    return [
        code[:n]
        for n in sorted(CODE_LENGTH.values())
        if n < len(code) or (n == len(code) and not strict)
    ]


def township_code(code: str) -> str | None:
    """The code of the township a region lies in (itself, for a township); None above one."""
    size = CODE_LENGTH[Level.TOWNSHIP]
    return code[:size] if len(code) >= size else None


class Region(models.Model):
    code = models.CharField(_("区划代码"), max_length=15, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级"),
    )
    boundary = models.JSONField(_("边界 (GeoJSON, WGS84)"), null=True, blank=True)
    synthetic = models.BooleanField(_("演示用合成边界"), default=False)

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: "Region") -> bool:
        return self.code.startswith(other.code)


class UnitKind(models.TextChoices):
    DEPARTMENT = "department", _("职能部门")
    GOVERNMENT = "government", _("人民政府/街道办")
    TEAM = "team", _("队伍")
    COMMITTEE = "committee", _("居(村)委会")
    STATION = "station", _("站所")


class Sector(models.TextChoices):
    """What a unit does; routing asks for 'the enforcement unit of this township' by sector."""

    GENERAL = "general", _("综合")
    ENFORCEMENT = "enforcement", _("综合执法")
    NATURAL_RESOURCES = "natural_resources", _("自然资源")
    POLICE = "police", _("公安")
    ENVIRONMENT = "environment", _("生态环境")
    URBAN = "urban", _("城市管理")
    HEALTH = "health", _("卫生健康")
    MARKET = "market", _("市场监管")
    HOUSING = "housing", _("住房城建")
    TRANSPORT = "transport", _("交通运输")
    WATER = "water", _("水务")
    CIVIL = "civil", _("民政社会事务")
    EMERGENCY = "emergency", _("应急管理")
    EDUCATION = "education", _("教育文体")
    LABOUR = "labour", _("人社")
    COMMERCE = "commerce", _("商务旅游")
    PUBLICITY = "publicity", _("宣传")
    UTILITY = "utility", _("公用事业")


class Unit(models.Model):
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=16, choices=UnitKind.choices)
    sector = models.CharField(
        _("职能"), max_length=32, choices=Sector.choices, default=Sector.GENERAL
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="units", verbose_name=_("服务区域")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("上级单位"),
    )
    staff_quota = models.PositiveIntegerField(_("编制人数"), null=True, blank=True)
    vehicles = models.PositiveIntegerField(_("公务用车"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unit_name_unique_in_region")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    RESIDENT = "resident", _("居民")
    GRID_WORKER = "grid_worker", _("网格员")
    SOCIAL_WORKER = "social_worker", _("社工")
    DISPATCHER = "dispatcher", _("派遣员")
    HANDLER = "handler", _("处置人员")
    LEADER = "leader", _("分管领导")
    ENFORCEMENT_OFFICER = "enforcement_officer", _("执法人员")
    # 《行政处罚法》第五十八条: reviews a 重大 penalty decision before the leader makes it.
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核人员")
    COUNTY_ADMIN = "county_admin", _("县级管理员")
    ASSESSOR = "assessor", _("考核人员")
    PLATFORM_ADMIN = "platform_admin", _("平台管理员")


class Person(models.Model):
    """A person with an account. A seconded officer (下沉干部) has home_unit ≠ managing_unit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="person",
        verbose_name=_("账号"),
    )
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("电话"), max_length=20, blank=True)
    home_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="home_staff",
        verbose_name=_("编制所在单位"),
    )
    managing_unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="managed_staff",
        verbose_name=_("管理考核单位"),
    )
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("管辖范围"),
    )
    title = models.CharField(_("职务"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def roles(self) -> list[str]:
        if not hasattr(self, "_roles"):
            self._roles = sorted(self.role_grants.values_list("role", flat=True))
        return self._roles

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)

    @property
    def seconded(self) -> bool:
        return bool(
            self.home_unit_id
            and self.managing_unit_id
            and self.home_unit_id != self.managing_unit_id
        )

    @property
    def unit_id(self) -> int | None:
        """The unit whose work this person does (the managing unit when seconded)."""
        return self.managing_unit_id or self.home_unit_id

    @property
    def unit(self) -> "Unit | None":
        """That unit itself."""
        return self.managing_unit or self.home_unit


class PersonRole(models.Model):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="role_grants", verbose_name=_("人员")
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("角色授予")
        verbose_name_plural = _("角色授予")
        constraints = [models.UniqueConstraint(fields=["person", "role"], name="person_role_once")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_role_display()}"


class BoundaryVersion(models.Model):
    """Bumped on every boundary write so each process rebuilds its point-lookup index."""

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("边界版本")
        verbose_name_plural = _("边界版本")
