from django.urls import URLPattern, path

from cicte.assistance import views

workspace_urlpatterns: list[URLPattern] = [
    path("requests/", views.queue, name="assistance-queue"),
    path("requests/new/", views.staff_new, name="assistance-new"),
    path("requests/<int:pk>/", views.staff_detail, name="assistance-request"),
    path("requests/<int:pk>/transition/", views.staff_transition, name="assistance-transition"),
]
public_urlpatterns: list[URLPattern] = [
    path("", views.my_requests, name="list"),
    path("new/", views.my_request_new, name="new"),
    path("<int:pk>/", views.my_request_detail, name="detail"),
    path("<int:pk>/close/", views.my_request_close, name="close"),
]
