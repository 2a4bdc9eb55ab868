"""/knowledge/: the library, lessons, the registry, host workspaces, subscriptions and the
administrators' "view as"."""

from django.urls import path

from cicte.knowledge import views

urlpatterns = [
    path("", views.index, name="index"),
    path("autocomplete/", views.autocomplete, name="autocomplete"),
    path("feed.atom", views.feed, name="feed"),
    path("documents/new/", views.document_new, name="document-new"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/versions/", views.document_version, name="document-version"),
    path("documents/<int:pk>/v<int:number>/download/", views.download, name="download"),
    path("lessons/", views.lessons, name="lessons"),
    path("lessons/new/", views.lesson_new, name="lesson-new"),
    path("lessons/<int:pk>/", views.lesson, name="lesson"),
    path("lessons/<int:pk>/validate/", views.lesson_validate, name="lesson-validate"),
    path("lessons/<int:pk>/publish/", views.lesson_publish, name="lesson-publish"),
    path("lessons/<int:pk>/apply/", views.lesson_apply, name="lesson-apply"),
    path("exercises/<int:pk>/release/", views.release_exercise, name="release-exercise"),
    path("events/", views.events, name="events"),
    path("events/new/", views.event_new, name="event-new"),
    path("events/<int:pk>/", views.event, name="event"),
    path("events/<int:pk>/validate/", views.event_validate, name="event-validate"),
    path("events/<int:pk>/public/", views.event_public, name="event-public"),
    path("events/<int:pk>/workspace/", views.workspace, name="workspace"),
    path("events/<int:pk>/workspace/team/", views.team_add, name="team-add"),
    path(
        "events/<int:pk>/workspace/team/<int:seat>/remove/",
        views.team_remove,
        name="team-remove",
    ),
    path("events/<int:pk>/workspace/contacts/", views.contact_add, name="contact-add"),
    path("events/<int:pk>/workspace/messages/", views.message_post, name="message-post"),
    path("events/<int:pk>/workspace/checklist/", views.checklist_copy, name="checklist-copy"),
    path(
        "events/<int:pk>/workspace/documents/",
        views.workspace_document,
        name="workspace-document",
    ),
    path("events/<int:pk>/aar/", views.aar_publish, name="aar-publish"),
    path("tasks/<int:pk>/", views.task_update, name="task-update"),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("subscriptions/<int:pk>/remove/", views.subscription_remove, name="subscription-remove"),
    path("view-as/", views.view_as, name="view-as"),
    path("view-as/stop/", views.view_as_stop, name="view-as-stop"),
]
