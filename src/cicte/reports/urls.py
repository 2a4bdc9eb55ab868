from django.urls import URLPattern, path

from cicte.reports import views

workspace_urlpatterns: list[URLPattern] = [
    path("report/", views.report, name="report"),
    path("report/download/<str:fmt>/", views.report_download, name="report-download"),
    path("report/narrative/", views.narrative_save, name="report-narrative"),
    path("report/publish/", views.report_publish, name="report-publish"),
]
public_urlpatterns: list[URLPattern] = [
    path("", views.public_list, name="list"),
    path("<int:pk>/", views.public_detail, name="detail"),
    path("<int:pk>/pdf/", views.public_pdf, name="pdf"),
    path("<int:pk>/file/", views.public_file, name="file"),
]
