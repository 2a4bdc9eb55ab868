from django.urls import URLPattern, path

from cicte.delivery import views

workspace_urlpatterns: list[URLPattern] = [
    path("events/", views.event_list, name="event-list"),
    path("events/new/", views.event_create, name="event-create"),
    path("events/import/", views.event_import, name="event-import"),
    path("events/template.xlsx", views.event_template, name="event-template"),
    path("events/export/", views.event_export, name="event-export"),
    path("events/targets/", views.target_search, name="event-target-search"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/edit/", views.event_edit, name="event-edit"),
    path("events/<int:pk>/duplicate/", views.event_duplicate, name="event-duplicate"),
    path("events/<int:pk>/status/", views.event_status, name="event-status"),
    path("events/<int:pk>/attachments/", views.attachment_upload, name="event-attachment-add"),
    path("attachments/<int:pk>/", views.attachment_download, name="event-attachment"),
]
