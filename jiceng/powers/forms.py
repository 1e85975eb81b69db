"""Forms of the powers pages."""

from django import forms

from .models import PowerType, ReadinessStatus


class ListQuery(forms.Form):
    region = forms.CharField(label="乡镇街道代码", max_length=15)
    on = forms.DateField(
        label="日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    type = forms.ChoiceField(
        label="事项类型", required=False, choices=[("", "全部类型"), *PowerType.choices]
    )
    q = forms.CharField(label="关键词", required=False, max_length=50)


class UploadForm(forms.Form):
    file = forms.FileField(label="权责清单文件（.xlsx 或 .csv）")


class ReadinessForm(forms.Form):
    status = forms.ChoiceField(label="承接状态", choices=ReadinessStatus.choices)
    trained_staff = forms.IntegerField(label="已培训人员", min_value=0, initial=0)
    certified_officers = forms.IntegerField(label="持证执法人员", min_value=0, initial=0)
    equipment_ok = forms.BooleanField(label="装备到位", required=False)
    note = forms.CharField(
        label="说明（需要支持或接不住时必填）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
