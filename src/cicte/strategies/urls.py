from django.urls import URLPattern, path

from cicte.strategies import views

urlpatterns: list[URLPattern] = [
    path("", views.index, name="index"),
    path("compare/", views.compare, name="compare"),
    path("submit/", views.submit, name="submit"),
    path("documents.csv", views.documents_csv, name="documents-csv"),
    path("documents.jsonld", views.documents_jsonld, name="documents-jsonld"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("documents/<int:pk>/dublin-core.jsonld", views.document_jsonld, name="document-jsonld"),
    path("documents/<int:pk>/archive/", views.archive, name="archive"),
    path("documents/<int:pk>/history/", views.document_history, name="document-history"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document-edit"),
    path("documents/<int:pk>/archive-url/", views.archive_url, name="archive-url"),
    path("documents/<int:pk>/show-in-progress/", views.show_in_progress, name="show-in-progress"),
    path("documents/<int:pk>/verify/", views.verify, name="verify"),
    path("assessments/<int:pk>/", views.assessment, name="assessment"),
    path("assessments/<int:pk>/ratings/", views.assessment_ratings, name="assessment-ratings"),
    path("assessments/<int:pk>/consent/", views.assessment_consent, name="assessment-consent"),
    path(
        "assessments/<int:pk>/export/<str:fmt>/",
        views.assessment_export,
        name="assessment-export",
    ),
    path("<str:code>.json", views.profile_json, name="profile-json"),
    path("<str:code>/assessments/new/", views.assessment_new, name="assessment-new"),
    path("<str:code>/", views.profile, name="profile"),
]

workspace_urlpatterns: list[URLPattern] = [
    path("strategies/", views.queue, name="strategies-queue"),
    path("strategies/support/", views.engagements, name="strategies-engagements"),
    path("strategies/support/<int:pk>/", views.engagement, name="strategies-engagement"),
]
