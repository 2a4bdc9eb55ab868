from django.urls import URLPattern, path

from cicte.exercises import views

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("new/", views.exercise_new, name="new"),
    path("calendar/<str:token>.ics", views.calendar, name="calendar"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/setup/<str:what>/", views.setup_post, name="setup"),
    path("<int:pk>/roles/<int:item>/remove/", views.role_remove, name="role-remove"),
    path("<int:pk>/links/<int:item>/revoke/", views.link_revoke, name="link-revoke"),
    path("<int:pk>/msel/", views.msel, name="msel"),
    path("<int:pk>/msel/import/", views.msel_import, name="msel-import"),
    path("<int:pk>/msel/import/<int:upload>/", views.msel_map, name="msel-map"),
    path("<int:pk>/msel/export.xlsx", views.msel_export, name="msel-export"),
    path("<int:pk>/msel/attachments/", views.attachment_add, name="attachment-add"),
    path(
        "<int:pk>/msel/attachments/<int:item>/remove/",
        views.attachment_remove,
        name="attachment-remove",
    ),
    path("<int:pk>/attachments/<int:item>/", views.attachment, name="attachment"),
    path("<int:pk>/ready/", views.mark_ready, name="ready"),
    path("<int:pk>/comcheck/", views.comcheck, name="comcheck"),
    path("<int:pk>/control/", views.control, name="control"),
    path("<int:pk>/control/<str:action>/", views.control_action, name="control-action"),
    path("<int:pk>/injects/<int:inject>/<str:action>/", views.inject_action, name="inject-action"),
    path("<int:pk>/play/", views.play, name="play"),
    path("<int:pk>/play/<int:inject>/respond/", views.respond, name="respond"),
    path("<int:pk>/evaluate/", views.evaluate, name="evaluate"),
    path("<int:pk>/evaluate/<str:what>/", views.evaluate_post, name="evaluate-post"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/report/<str:what>/", views.report_post, name="report-post"),
    path("<int:pk>/documents/<str:doc>.<str:fmt>", views.document, name="document"),
    path("<int:pk>/statistics.xlsx", views.statistics, name="statistics"),
    # Participants without accounts: everything under their link.
    path("x/<str:token>/", views.x_home, name="x"),
    path("x/<str:token>/comcheck/", views.x_comcheck, name="x-comcheck"),
    path("x/<str:token>/respond/<int:inject>/", views.x_respond, name="x-respond"),
    path("x/<str:token>/calendar.ics", views.x_calendar, name="x-calendar"),
    path("x/<str:token>/attachments/<int:item>/", views.x_attachment, name="x-attachment"),
    path("x/<str:token>/<str:doc>.<str:fmt>", views.x_document, name="x-document"),
]
