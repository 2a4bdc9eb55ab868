from django.urls import URLPattern, path

from cicte.approvals import views

workspace_urlpatterns: list[URLPattern] = [
    path("approvals/", views.overview, name="approvals"),
    path("approvals/<int:program_pk>/<str:period>/", views.detail, name="approval"),
    path("approvals/<int:program_pk>/<str:period>/submit/", views.submit, name="approval-submit"),
    path("approvals/<int:program_pk>/<str:period>/decide/", views.decide, name="approval-decide"),
    path("approvals/<int:program_pk>/<str:period>/unlock/", views.unlock, name="approval-unlock"),
]
