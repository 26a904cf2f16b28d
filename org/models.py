"""The organisation tree: units and the other names people write them by.

The bottom of the project: this app imports no other app of it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.naming import normalize_name


class Unit(models.Model):
    """A node of the organisation tree: bureau → town level → community or village."""

    class Kind(models.TextChoices):
        BUREAU = "bureau", _("人社局（县/区/市）")
        TOWN = "town", _("镇")
        TOWNSHIP = "township", _("乡")
        STREET = "street", _("街道")
        ZONE = "zone", _("开发区/园区")
        DISTRICT_LEVEL = "district_level", _("区本级")
        COMMUNITY = "community", _("社区")
        VILLAGE = "village", _("村")

    TOWN_KINDS = (Kind.TOWN, Kind.TOWNSHIP, Kind.STREET, Kind.ZONE, Kind.DISTRICT_LEVEL)
    GRASSROOTS_KINDS = (Kind.COMMUNITY, Kind.VILLAGE)
    ALLOWED_PARENTS = {
        Kind.BUREAU: (None, Kind.BUREAU),
        Kind.TOWN: (Kind.BUREAU,),
        Kind.TOWNSHIP: (Kind.BUREAU,),
        Kind.STREET: (Kind.BUREAU,),
        Kind.ZONE: (Kind.BUREAU,),
        Kind.DISTRICT_LEVEL: (Kind.BUREAU,),
        Kind.COMMUNITY: TOWN_KINDS,
        Kind.VILLAGE: TOWN_KINDS,
    }

    name = models.CharField(_("名称"), max_length=100)
    normalized_name = models.CharField(max_length=100, editable=False, db_index=True)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    active = models.BooleanField(_("在用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["sort_order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "normalized_name"], name="unit_unique_name_under_parent"
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The stored comparable form is derived data kept in step with the name.
        self.normalized_name = normalize_name(self.name)
        super().save(*args, **kwargs)

    @property
    def is_town_level(self) -> bool:
        return self.kind in self.TOWN_KINDS

    @property
    def is_grassroots(self) -> bool:
        return self.kind in self.GRASSROOTS_KINDS

    @property
    def town_id(self):
        """The town-level unit this unit belongs to (itself for a town), or None."""
        if self.is_town_level:
            return self.pk
        if self.is_grassroots:
            return self.parent_id
        return None

    def clean(self):
        from django.core.exceptions import ValidationError

        allowed = self.ALLOWED_PARENTS.get(self.kind, ())
        parent_kind = self.parent.kind if self.parent_id else None
        if parent_kind not in allowed:
            raise ValidationError({"parent": _("该类别的单位不能挂在这一级单位之下。")})


class UnitAlias(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("别名"), max_length=100)

    class Meta:
        verbose_name = _("单位别名")
        verbose_name_plural = _("单位别名")
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="alias_unique")]

    def __str__(self):
        return self.name


class Assignment(models.Model):
    """A person works for a unit: the rows behind ``User.units``.

    The table was made by Django for the automatic many-to-many; the unique constraint
    keeps the name Django gave it then.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="unit_assignments",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("单位"),
        on_delete=models.CASCADE,
        related_name="user_assignments",
    )

    class Meta:
        verbose_name = _("负责单位")
        verbose_name_plural = _("负责单位")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit"], name="accounts_user_units_user_id_unit_id_988c2977_uniq"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.unit}"
