from django.urls import URLPattern, path

from cicte.forum import taxii, views

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("search/", views.search, name="search"),
    path("autocomplete/", views.autocomplete, name="autocomplete"),
    path("directory/", views.directory, name="directory"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:pk>/endorse/", views.request_endorse, name="request-endorse"),
    path("requests/<int:pk>/approve/", views.request_approve, name="request-approve"),
    path("requests/<int:pk>/decline/", views.request_decline, name="request-decline"),
    path("preferences/", views.preferences, name="preferences"),
    path("reshare/", views.reshare_requests, name="reshare-requests"),
    path("reshare/<int:pk>/accept/", views.reshare_accept, name="reshare-accept"),
    path("reshare/<int:pk>/decline/", views.reshare_decline, name="reshare-decline"),
    path("directory/<int:pk>/edit/", views.organisation_edit, name="organisation-edit"),
    path("submissions/", views.submissions, name="submissions"),
    path("submissions/<int:pk>/publish/", views.submission_publish, name="submission-publish"),
    path("submissions/<int:pk>/decline/", views.submission_decline, name="submission-decline"),
    path("communities/<slug:slug>/submit/", views.submit, name="submit"),
    path("communities/<slug:slug>/", views.community, name="community"),
    path("communities/<slug:slug>/join/", views.join, name="join"),
    path("communities/<slug:slug>/new/", views.thread_new, name="thread-new"),
    path("threads/<int:pk>/", views.thread, name="thread"),
    path("threads/<int:pk>/reply/", views.reply, name="reply"),
    path("threads/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("threads/<int:pk>/reshare/", views.reshare, name="reshare"),
    path("threads/<int:pk>/release/", views.release, name="release"),
    path("threads/<int:pk>/close/", views.close, name="close"),
    path("threads/<int:pk>/export/<str:fmt>/", views.export, name="export"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
]

workspace_urlpatterns: list[URLPattern] = [
    path("forum/", views.existence, name="forum-existence"),
    path("forum/<str:kind>/<int:pk>/remove/", views.remove, name="forum-remove"),
]

#: /taxii2/: the conventional TAXII 2.1 discovery URL; the API root and its collections
#: are API routes (/api/taxii2/root/..., in the OpenAPI document: cicte/api/forum.py).
taxii_urlpatterns: list[URLPattern] = [
    path("", taxii.discovery, name="discovery"),
]
