"""Forms of the dispatch admin: evaluating a model on a labelled spreadsheet, and training a new
model on one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .textio import split_columns

MAX_UPLOAD_MB = 20


class SheetForm(forms.Form):
    """A labelled sheet and the columns to read from it."""

    file = forms.FileField(
        label=_("标注表格"),
        help_text=_(
            "Excel（.xlsx）或 CSV（UTF-8 或 GB18030），第一行为列名，每行一条已标注类别的留言"
        ),
    )
    text = forms.CharField(
        label=_("文本列"),
        required=False,
        help_text=_(
            "列名用逗号分隔，标题在前、正文在后，如 title,body；留空则按表头自动识别"
            "（标题、留言主题、内容、留言详情等）"
        ),
    )
    label = forms.CharField(
        label=_("类别列"),
        required=False,
        help_text=_("如 label1；留空则按表头自动识别（类别、一级标签、一级分类等）"),
    )

    def clean_file(self):
        return _within_limit(self.cleaned_data["file"])

    def clean_text(self) -> list[str] | None:
        """The named columns, or None to tell them from the sheet's header."""
        return split_columns(self.cleaned_data["text"]) or None

    def clean_label(self) -> str | None:
        return self.cleaned_data["label"].strip() or None


class EvaluateForm(SheetForm):
    pass


class TrainForm(SheetForm):
    hints = forms.FileField(
        label=_("类别说明表（可选）"),
        required=False,
        help_text=_(
            "第一列为类别，其余列为说明该类别管什么的词语，如留言标签体系 level1,level2,level3；"
            "帮助模型认识样本中少见的事项"
        ),
    )

    def clean_hints(self):
        upload = self.cleaned_data.get("hints")
        return _within_limit(upload) if upload else None


def _within_limit(upload):
    if upload.size > MAX_UPLOAD_MB * 2**20:
        raise forms.ValidationError(
            _("文件 %(name)s 超过 %(mb)s MB，请拆分后再上传。")
            % {"name": upload.name, "mb": MAX_UPLOAD_MB}
        )
    return upload
