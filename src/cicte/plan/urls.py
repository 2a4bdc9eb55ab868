from django.urls import URLPattern, path

from cicte.plan import views

public_urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<int:year>/", views.plan_detail, name="plan"),
    path("mandates/", views.mandates, name="mandates"),
    path("partners/", views.partners, name="partners"),
    path("member-states/", views.member_states, name="member-states"),
    # member-states/<code>/ is progress.urls.public_urlpatterns (what the state received).
]

workspace_urlpatterns: list[URLPattern] = []
