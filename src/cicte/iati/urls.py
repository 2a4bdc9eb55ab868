from django.urls import URLPattern, path

from cicte.iati import views

workspace_urlpatterns: list[URLPattern] = [
    path("iati/", views.export_page, name="iati-export"),
    path("iati/<int:year>.xml", views.export_download, name="iati-download"),
]
