from django.urls import URLPattern, path

from cicte.scholarships import views

workspace_urlpatterns: list[URLPattern] = [
    path("scholarships/", views.calls, name="scholarships"),
    path("scholarships/new/", views.call_new, name="scholarship-call-new"),
    path("scholarships/<int:pk>/", views.call_detail, name="scholarship-call"),
    path("scholarships/<int:pk>/publish/", views.call_publish, name="scholarship-call-publish"),
    path("scholarships/<int:pk>/close/", views.call_close, name="scholarship-call-close"),
    path("scholarships/<int:pk>/selection/", views.selection, name="scholarship-selection"),
    path("scholarships/<int:pk>/export.xlsx", views.export, name="scholarship-export"),
    path(
        "scholarships/nominations/<int:pk>/withdraw/",
        views.withdraw,
        name="scholarship-withdraw",
    ),
    path(
        "scholarships/nominations/<int:pk>/complete/",
        views.complete,
        name="scholarship-complete",
    ),
    path(
        "scholarships/nominations/<int:pk>/travel/",
        views.travel,
        name="scholarship-travel",
    ),
    path(
        "scholarships/nominations/<int:pk>/certificate/",
        views.certificate,
        name="scholarship-certificate",
    ),
]
public_urlpatterns: list[URLPattern] = [
    path("", views.public_calls, name="list"),
    path("calls/<int:pk>/", views.public_call, name="call"),
    path("calls/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("nominations/<int:pk>/withdraw/", views.poc_withdraw, name="withdraw"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("completions/", views.completions, name="completions"),
]
