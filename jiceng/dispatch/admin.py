"""Admin: a platform admin picks the active classifier model or rolls back to an earlier one."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .actions import classifier_model_activate
from .errors import ClassifierInputError
from .models import ClassifierModel


@admin.register(ClassifierModel)
class ClassifierModelAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "path",
        "cv_macro_f1",
        "n_train",
        "created_at",
        "active",
        "activated_by",
        "activated_at",
    )
    list_filter = ("active",)
    readonly_fields = [f.name for f in ClassifierModel._meta.fields]
    actions = ["activate"]

    @admin.display(description=_("训练样本数"))
    def n_train(self, obj):
        return obj.metadata.get("n_train")

    def has_add_permission(self, request):
        return False  # models come from `jiceng classifier train`, not from a form

    def has_delete_permission(self, request, obj=None):
        return False  # keep every model so one can always roll back

    @admin.action(
        description=_("启用所选模型（回滚也用此操作）/ Activate (also rolls back)"),
        permissions=["change"],
    )
    def activate(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, _("请只选择一个模型。/ Select exactly one model."), messages.ERROR
            )
            return
        record = queryset.get()
        try:
            classifier_model_activate(record=record, by=request.user)
        except ClassifierInputError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        self.message_user(request, _("已启用模型 / Activated: %s") % record, messages.SUCCESS)
