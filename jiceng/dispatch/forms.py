"""Forms of the dispatch admin: evaluating a model on a labelled spreadsheet."""

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD_MB = 20


class EvaluateForm(forms.Form):
    file = forms.FileField(
        label=_("标注表格"),
        help_text=_(
            "Excel（.xlsx）或 CSV（UTF-8 或 GB18030），第一行为列名，每行一条已标注类别的留言"
        ),
    )
    text = forms.CharField(
        label=_("文本列"),
        initial="title,body",
        help_text=_("列名用逗号分隔；与训练时相同：前面的列（如标题）在前，最后一列（正文）在后"),
    )
    label = forms.CharField(label=_("类别列"), initial="label1")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 2**20:
            raise forms.ValidationError(
                _("文件超过 %(mb)s MB，请拆分后分批评估。") % {"mb": MAX_UPLOAD_MB}
            )
        return upload

    def clean_text(self) -> list[str]:
        names = [c.strip() for c in self.cleaned_data["text"].replace("，", ",").split(",")]
        names = [c for c in names if c]
        if not names:
            raise forms.ValidationError(_("请至少填写一个文本列。"))
        return names

    def clean_label(self) -> str:
        return self.cleaned_data["label"].strip()
