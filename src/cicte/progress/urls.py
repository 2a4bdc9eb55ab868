from django.urls import URLPattern, path

from cicte.progress import views

workspace_urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("targets/<int:pk>/", views.target_detail, name="target"),
    path("member-states/<str:code>/", views.member_state_detail, name="member-state"),
]

#: Public pages (in the ``public`` namespace with the plan's pages).
public_urlpatterns: list[URLPattern] = [
    path("member-states/", views.public_member_states, name="member-states"),
    path("member-states/<str:code>/", views.public_member_state, name="member-state"),
]
