from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from staff.models import AttendanceEntry, Coordinator, DepartureReport, LeaveRequest
from staff.services import EDITABLE_FIELDS

MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d", "%Y.%m", "%Y/%m", "%Y年%m月"]
DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "1985-03", **(attrs or {})}, format="%Y-%m")


def date_field(label, *, required=True, **kwargs):
    return forms.DateField(
        label=label, required=required, input_formats=DATE_FORMATS, widget=DateInput(), **kwargs
    )


def month_field(label, *, required=True, **kwargs):
    return forms.DateField(
        label=label, required=required, input_formats=MONTH_FORMATS, widget=MonthInput(), **kwargs
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} · {obj.name}" if obj.parent_id else obj.name


class CoordinatorForm(forms.ModelForm):
    account = forms.CharField(
        label=_("登录账号（用户名）"),
        required=False,
        max_length=150,
        help_text=_("协理员本人的登录账号，关联后本人可查看自己的记录、申请请假。留空表示不关联。"),
    )

    class Meta:
        model = Coordinator
        fields = EDITABLE_FIELDS
        field_classes = {"unit": UnitChoiceField}
        widgets = {
            "birth_month": MonthInput(),
            "joined_on": MonthInput(),
            "certificate_date": DateInput(),
            "contract_start": DateInput(),
            "contract_end": DateInput(),
            "phone": forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
        }

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = _("请选择社区（村）")
        for name in ("birth_month", "joined_on"):
            self.fields[name].input_formats = MONTH_FORMATS
            self.fields[name].help_text = _("填到月即可，如 1985-03。")
        for name in ("certificate_date", "contract_start", "contract_end"):
            self.fields[name].input_formats = DATE_FORMATS
        if self.instance.pk and self.instance.user_id:
            self.fields["account"].initial = self.instance.user.username

    def clean_name(self):
        name = "".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("姓名不能为空。"))
        return name

    def clean_account(self):
        username = self.cleaned_data["account"].strip()
        if not username:
            return None
        account = User.objects.filter(username=username).first()
        if account is None:
            raise forms.ValidationError(_("没有这个登录账号。"))
        return account

    def data_for_service(self) -> dict:
        return {f: self.cleaned_data[f] for f in EDITABLE_FIELDS}


class CoordinatorFilterForm(forms.Form):
    town = forms.ModelChoiceField(label=_("镇（街道）"), queryset=None, required=False)
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + Coordinator.State.choices
    )
    q = forms.CharField(label=_("姓名、单位或电话"), required=False, max_length=50)

    def __init__(self, *args, towns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = towns
        self.fields["town"].empty_label = _("全部")


class WindowStaffingForm(forms.Form):
    windows = forms.IntegerField(label=_("人社业务经办窗口数"), min_value=0, max_value=99)
    window_staff = forms.IntegerField(
        label=_("专窗工作人员数"),
        min_value=0,
        max_value=99,
        help_text=_(
            "按不少于 3 人的标准配备；达标后每多 1 人加 0.5 分，最高加 2 分（新建 五.3）。"
        ),
    )
    village_coordinators = forms.IntegerField(
        label=_("村（社区）协管员人数"), min_value=0, max_value=999
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class AttendanceEntryForm(forms.Form):
    date = date_field(_("日期（连续多天时为第一天）"))
    status = forms.ChoiceField(label=_("考勤情况"), choices=AttendanceEntry.Status.choices)
    days = forms.DecimalField(
        label=_("天数"),
        min_value=Decimal("0.5"),
        max_value=31,
        decimal_places=1,
        initial=1,
        help_text=_("半天填 0.5；连续多天（如脱岗 8 天）填天数，从上面的日期算起。"),
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class AttendanceMonthForm(forms.Form):
    month = month_field(_("月份"))
    present_days = forms.DecimalField(label=_("出勤天数"), min_value=0, decimal_places=1, initial=0)
    absent_days = forms.DecimalField(label=_("旷工天数"), min_value=0, decimal_places=1, initial=0)
    leave_days = forms.DecimalField(label=_("请假天数"), min_value=0, decimal_places=1, initial=0)
    off_post_days = forms.DecimalField(
        label=_("脱岗天数"), min_value=0, decimal_places=1, initial=0
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class LeaveForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("请假类别"), choices=LeaveRequest.Kind.choices, widget=forms.RadioSelect
    )
    start_date = date_field(_("开始日期"))
    end_date = date_field(_("结束日期"), help_text=_("天数按日历天计算，含首尾两天。"))
    reason = forms.CharField(
        label=_("请假理由"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("类别为「其他」时必须填写。"),
    )
    phone = forms.CharField(
        label=_("请假期间联系电话"),
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    after_the_fact = forms.BooleanField(
        label=_("事后补办（已先口头报告）"),
        required=False,
        help_text=_("特殊情况或紧急事项无法事先请假、已先口头报告的，可事后补办，须写明报告情况。"),
    )
    after_the_fact_note = forms.CharField(
        label=_("口头报告情况"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("何时、向谁口头报告，或由哪位亲属代为办理。"),
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == LeaveRequest.Kind.OTHER and not (data.get("reason") or "").strip():
            self.add_error("reason", _("请假类别为「其他」时，请写明具体事由。"))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("结束日期早于开始日期。"))
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("同意")), ("reject", _("驳回"))],
        error_messages={"required": _("请选择「同意」或「驳回」。")},
    )
    note = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    signer_name = forms.CharField(label=_("签字负责人姓名"), required=False, max_length=50)


class DepartureDecisionForm(DecisionForm):
    handover_shown = forms.BooleanField(required=False, widget=forms.HiddenInput)
    handover_files = forms.BooleanField(label=_("工作文件、资料已移交"), required=False)
    handover_equipment = forms.BooleanField(label=_("办公设备已移交"), required=False)
    handover_note = forms.CharField(
        label=_("移交说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class LeaveReturnForm(forms.Form):
    returned_on = date_field(_("返岗日期"), help_text=_("回到岗位上班的第一天。"))
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["returned_on"].initial = timezone.localdate()


class LeaveExtendForm(forms.Form):
    end_date = date_field(_("续假至"))
    reason = forms.CharField(
        label=_("续假原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("请假期满后因客观原因仍不能销假的，应办理续假手续（考勤制度第3条）。"),
    )
    phone = forms.CharField(
        label=_("请假期间联系电话"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )


class DepartureForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("离职类别"), choices=DepartureReport.Kind.choices, widget=forms.RadioSelect
    )
    departure_date = date_field(_("拟离职时间"))
    reason = forms.CharField(
        label=_("离职原因"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("离职类别为「其他」的，应在此作具体说明。"),
    )
    personal_notes = forms.CharField(
        label=_("个人需说明的事项或要求"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    handover_files = forms.BooleanField(label=_("工作文件、资料已移交"), required=False)
    handover_equipment = forms.BooleanField(label=_("办公设备已移交"), required=False)
    handover_note = forms.CharField(
        label=_("移交说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "离职人员需做好工作文件、资料、使用办公设备的移交；市就业处批准前须确认移交完毕。"
        ),
    )

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = kinds

    def clean(self):
        data = super().clean()
        if (
            data.get("kind") == DepartureReport.Kind.OTHER
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("离职类别为「其他」时，请在离职原因中作具体说明。"))
        return data


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("花名册文件"),
        help_text=_("Excel 文件（.xlsx，也可 .xls 或 .csv），第一行为表头。"),
    )
