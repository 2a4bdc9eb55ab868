from django.urls import URLPattern

workspace_urlpatterns: list[URLPattern] = []
public_urlpatterns: list[URLPattern] = []
