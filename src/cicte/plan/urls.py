from django.urls import URLPattern, path

from cicte.plan import views

public_urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<int:year>/", views.plan_detail, name="plan"),
    path("mandates/", views.mandates, name="mandates"),
    path("partners/", views.partners, name="partners"),
    # member-states/ and member-states/<code>/ are progress.urls.public_urlpatterns (the map
    # and what each state received).
]

workspace_urlpatterns: list[URLPattern] = []
