"""Pages of the inbox."""

from django.urls import path

from . import views

app_name = "workload"
URL_PREFIX = "inbox/"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/done/", views.task_done, name="task-done"),
    path("send/", views.send, name="send"),
    path("sent/", views.sent, name="sent"),
    path("sent.xlsx", views.sent_export, name="sent-export"),
    path("data/", views.data_index, name="data"),
    path("data/<str:key>/", views.data_table, name="data-table"),
    path("data/<str:key>.xlsx", views.data_export, name="data-export"),
    path("burden/", views.burden, name="burden"),
    path("burden.xlsx", views.burden_export, name="burden-export"),
]
