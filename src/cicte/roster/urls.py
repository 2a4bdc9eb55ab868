from django.urls import URLPattern, path

from cicte.roster import views

#: /roster/: the expert's own area, the point of contact's area, answer links, files.
urlpatterns: list[URLPattern] = [
    path("", views.me, name="me"),
    path("me/profile/", views.me_profile, name="me-profile"),
    path("me/skills/", views.me_skill, name="me-skill"),
    path("me/languages/", views.me_language, name="me-language"),
    path("me/absences/", views.me_absence, name="me-absence"),
    path("me/certifications/", views.me_certification, name="me-certification"),
    path("me/leave/", views.me_leave, name="me-leave"),
    path("me/export.json", views.me_export, name="me-export"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("answer/<str:token>/<str:choice>/", views.answer, name="answer"),
    path("assignments/<int:pk>/calendar.ics", views.calendar, name="calendar"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("evidence/<int:pk>/", views.evidence, name="evidence"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("country/", views.poc, name="poc"),
    path("country/nominate/", views.poc_nominate, name="poc-nominate"),
    path("country/request/", views.poc_request, name="poc-request"),
    path("responses/<int:pk>/release/", views.release, name="release"),
    path("missions/<int:pk>/accept/", views.team_accept, name="team-accept"),
]

workspace_urlpatterns: list[URLPattern] = [
    path("roster/", views.workspace, name="roster"),
    path("roster/export/<str:fmt>/", views.export, name="roster-export"),
    path("roster/nominate/", views.partner_nominate, name="roster-partner-nominate"),
    path("roster/experts/<int:pk>/", views.expert_detail, name="roster-expert"),
    path("roster/experts/<int:pk>/vet/", views.vet, name="roster-vet"),
    path("roster/experts/<int:pk>/training/", views.training_add, name="roster-training-add"),
    path("roster/missions/", views.missions, name="roster-missions"),
    path("roster/reports/", views.reports, name="roster-reports"),
    path("roster/requests/<int:request_pk>/mission/", views.mission_new, name="roster-mission-new"),
    path("roster/missions/<int:pk>/", views.mission, name="roster-mission"),
    path("roster/missions/<int:pk>/alert/", views.alert, name="roster-alert"),
    path("roster/missions/<int:pk>/propose/", views.propose, name="roster-propose"),
    path("roster/missions/<int:pk>/deploy/", views.deploy, name="roster-deploy"),
    path("roster/missions/<int:pk>/report/", views.report_add, name="roster-report-add"),
    path("roster/missions/<int:pk>/close/", views.mission_close, name="roster-mission-close"),
    path("roster/responses/<int:pk>/select/", views.select, name="roster-select"),
    path("roster/assignments/<int:pk>/documents/", views.document_add, name="roster-document-add"),
    path(
        "roster/assignments/<int:pk>/close/", views.assignment_close, name="roster-assignment-close"
    ),
]
