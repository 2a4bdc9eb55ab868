from django.urls import URLPattern, path

from cicte.ops import views

urlpatterns: list[URLPattern] = [
    path("", views.job_list, name="jobs"),
    path("<uuid:pk>/", views.job_detail, name="job"),
    path("<uuid:pk>/file/", views.job_file, name="job-file"),
]
