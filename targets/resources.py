"""django-import-export resource for the admin: one row per allocation, in long format
(年度, 单位, 指标, 目标值, 其中目标值). Units are found through the one name matcher, so
「东      陈       镇」 and aliases work here as in the table importer. A real (not dry) run
records an ImportBatch with every change, like the table importer does.

The unit and indicator cells are read by ``kit.imports`` columns (the shared pipeline's
column protocol); django-import-export's widgets call them, because the admin's import and
confirm pages are that library's and its dry run / confirm already is the two phases. On export the unit and indicator names pass through
``kit.spreadsheets.csv_value``, so a name typed as a formula comes out as text in every format
the admin offers.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from import_export import fields, resources
from import_export.widgets import DecimalWidget, ForeignKeyWidget, IntegerWidget

from kit.imports import CellError, Column
from kit.spreadsheets import csv_value
from org.models import Unit
from org.naming import normalize_name
from targets.models import ImportBatch, ImportChange, Indicator, TargetAllocation
from targets.selectors import unit_matcher
from targets.tables.labels import split_indicator


class UnitColumn(Column):
    """单位: a unit found by the one name matcher (built at the first row)."""

    key, header, required = "unit", "单位", True

    def __init__(self):
        super().__init__()
        self._matcher = None

    def clean(self, raw, values: dict):
        name = str(raw or "").strip()
        if not name:
            raise CellError("单位名称不能为空。")
        if self._matcher is None:
            self._matcher = unit_matcher()
        found = self._matcher.match(name)
        if found.found:
            return found.key
        if found.ambiguous:
            raise CellError(f"单位名称「{name}」同时对应多个单位，请写全称。")
        close = "、".join(f"「{n}」" for n in found.suggestions)
        raise CellError(f"单位「{name}」不在系统中。" + (f"最接近的有：{close}。" if close else ""))


class IndicatorColumn(Column):
    """指标: 「新增就业（人）」 or 「新增就业」, split into name, measure and 其中 label."""

    key, header, required = "indicator", "指标", True

    def clean(self, raw, values: dict):
        split = split_indicator(str(raw or ""))
        if not split.name:
            raise CellError("指标名称不能为空。")
        return split


class UnitByNameWidget(ForeignKeyWidget):
    def __init__(self):
        super().__init__(Unit, "name")
        self.column = UnitColumn()

    def clean(self, value, row=None, **kwargs):
        try:
            return self.column.clean(value, row or {})
        except CellError as exc:
            raise ValueError(exc.text) from None

    def render(self, value, obj=None, **kwargs):
        return csv_value(value.name) if value else ""


class IndicatorByNameWidget(ForeignKeyWidget):
    """An indicator by its name; a new name makes a new one."""

    def __init__(self):
        super().__init__(Indicator, "name")
        self.column = IndicatorColumn()

    def clean(self, value, row=None, **kwargs):
        try:
            split = self.column.clean(value, row or {})
        except CellError as exc:
            raise ValueError(exc.text) from None
        indicator = Indicator.objects.filter(normalized_name=normalize_name(split.name)).first()
        if indicator is None:
            indicator = Indicator(name=split.name, measure=split.measure, sub_label=split.sub_label)
            indicator.save()
        return indicator

    def render(self, value, obj=None, **kwargs):
        return csv_value(value.label) if value else ""


class TargetAllocationResource(resources.ModelResource):
    year = fields.Field(attribute="year", column_name="年度", widget=IntegerWidget())
    unit = fields.Field(attribute="unit", column_name="单位", widget=UnitByNameWidget())
    indicator = fields.Field(
        attribute="indicator", column_name="指标", widget=IndicatorByNameWidget()
    )
    target = fields.Field(attribute="target", column_name="目标值", widget=DecimalWidget())
    sub_target = fields.Field(
        attribute="sub_target", column_name="其中目标值", widget=DecimalWidget()
    )

    class Meta:
        model = TargetAllocation
        fields = ("year", "unit", "indicator", "target", "sub_target")
        import_id_fields = ("year", "unit", "indicator")
        skip_unchanged = True
        report_skipped = True

    def before_import(self, dataset, **kwargs):
        self._changes = []

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        for name in ("target", "sub_target"):
            value = getattr(instance, name)
            if value is not None and value < 0:
                raise ValidationError({name: "不能为负数。"})

    def before_save_instance(self, instance, row, **kwargs):
        old = None
        if instance.pk:
            old = (
                TargetAllocation.objects.filter(pk=instance.pk)
                .values_list("target", "sub_target")
                .first()
            )
        self._changes.append((instance, old))

    def after_import(self, dataset, result, **kwargs):
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        changes = [(i, old) for i, old in self._changes if old is None or _differs(i, old)]
        if not changes:
            return
        user = kwargs.get("user")
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.TARGETS,
            year=changes[0][0].year,
            source=f"管理后台：{kwargs.get('file_name') or '导入'}"[:255],
            created_by=user if getattr(user, "is_authenticated", False) else None,
            new_count=sum(1 for _i, old in changes if old is None),
            changed_count=sum(1 for _i, old in changes if old is not None),
        )
        ImportChange.objects.bulk_create(
            ImportChange(
                batch=batch,
                unit=i.unit,
                indicator=i.indicator,
                action=ImportChange.Action.NEW if old is None else ImportChange.Action.CHANGED,
                old_value=old[0] if old else None,
                old_sub=old[1] if old else None,
                new_value=i.target,
                new_sub=i.sub_target,
            )
            for i, old in changes
        )


def _differs(instance, old) -> bool:
    def same(a, b):
        return (a is None and b is None) or (
            a is not None and b is not None and Decimal(a) == Decimal(b)
        )

    return not (same(instance.target, old[0]) and same(instance.sub_target, old[1]))
