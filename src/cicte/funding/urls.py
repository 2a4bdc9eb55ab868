from django.urls import URLPattern, path

from cicte.funding import views

workspace_urlpatterns: list[URLPattern] = [
    path("funding/", views.overview, name="funding-overview"),
    path("funding/projects/<int:pk>/", views.project_page, name="funding-project"),
    path("funding/projects/<int:pk>/budget/", views.budget, name="funding-budget"),
    path("funding/targets/<int:pk>/need/", views.need, name="funding-need"),
    path("funding/contributions/new/", views.contribution_new, name="funding-contribution-new"),
    path(
        "funding/contributions/<int:pk>/received/",
        views.contribution_received,
        name="funding-contribution-received",
    ),
    path("funding/donors/", views.donors, name="funding-donors"),
]
public_urlpatterns: list[URLPattern] = [
    path("", views.donor_projects, name="list"),
    path("projects/<int:pk>/", views.donor_project, name="project"),
]
