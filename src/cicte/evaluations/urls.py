from django.urls import URLPattern, path

from cicte.evaluations import views

workspace_urlpatterns: list[URLPattern] = [
    path("evaluations/", views.evaluation_list, name="evaluations-list"),
    path("evaluations/new/", views.evaluation_new, name="evaluations-new"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluations-detail"),
    path("evaluations/<int:pk>/edit/", views.evaluation_edit, name="evaluations-edit"),
    path(
        "evaluations/<int:pk>/recommendations/",
        views.recommendation_add,
        name="evaluations-recommendation-add",
    ),
    path(
        "evaluations/recommendations/",
        views.recommendation_tracker,
        name="evaluations-recommendations",
    ),
    path(
        "evaluations/recommendations/<int:pk>/status/",
        views.recommendation_status,
        name="evaluations-recommendation-status",
    ),
    path("evaluations/feedback/", views.feedback, name="evaluations-feedback"),
    path(
        "evaluations/feedback/questionnaire/",
        views.questionnaire_toggle,
        name="evaluations-questionnaire",
    ),
]
public_urlpatterns: list[URLPattern] = [
    path("<str:token>/", views.questionnaire_form, name="form"),
]
