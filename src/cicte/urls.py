"""URL map. Public pages at the root, the staff workspace under /workspace/, the API under /api/.

Each app exposes plain ``urlpatterns``; the workspace namespace gathers the staff pages of
several apps so templates can say ``{% url 'workspace:dashboard' %}``.
"""

from django.contrib import admin
from django.urls import include, path

from cicte.accounts.views import AdminLoginView
from cicte.api.urls import api_urlpatterns
from cicte.approvals import urls as approvals_urls
from cicte.assistance import urls as assistance_urls
from cicte.delivery import urls as delivery_urls
from cicte.delivery import views as delivery_views
from cicte.evaluations import urls as evaluations_urls
from cicte.exercises import urls as exercises_urls
from cicte.forum import urls as forum_urls
from cicte.funding import urls as funding_urls
from cicte.iati import urls as iati_urls
from cicte.knowledge import urls as knowledge_urls
from cicte.ops import urls as ops_urls
from cicte.ops import views as ops_views
from cicte.plan import urls as plan_urls
from cicte.progress import urls as progress_urls
from cicte.reports import urls as reports_urls
from cicte.roster import urls as roster_urls
from cicte.scholarships import urls as scholarships_urls
from cicte.strategies import urls as strategies_urls

workspace_patterns = [
    *progress_urls.workspace_urlpatterns,
    *delivery_urls.workspace_urlpatterns,
    *reports_urls.workspace_urlpatterns,
    *plan_urls.workspace_urlpatterns,
    *assistance_urls.workspace_urlpatterns,
    *evaluations_urls.workspace_urlpatterns,
    *iati_urls.workspace_urlpatterns,
    *funding_urls.workspace_urlpatterns,
    *forum_urls.workspace_urlpatterns,
    # Issue 20: period approvals and scholarships.
    *approvals_urls.workspace_urlpatterns,
    *scholarships_urls.workspace_urlpatterns,
    *strategies_urls.workspace_urlpatterns,
    *roster_urls.workspace_urlpatterns,
]

urlpatterns = [
    path(
        "",
        include(
            # The plan's public pages and a member state's public page (progress).
            (plan_urls.public_urlpatterns + progress_urls.public_urlpatterns, "public")
        ),
    ),
    path("reports/", include((reports_urls.public_urlpatterns, "public-reports"))),
    path("feedback/", include((evaluations_urls.public_urlpatterns, "feedback"))),
    path("requests/", include((assistance_urls.public_urlpatterns, "requests"))),
    path("funding/", include((funding_urls.public_urlpatterns, "public-funding"))),
    path("forum/", include((forum_urls.urlpatterns, "forum"))),
    path("strategies/", include((strategies_urls.urlpatterns, "strategies"))),
    path("exercises/", include((exercises_urls.urlpatterns, "exercises"))),
    path("taxii2/", include((forum_urls.taxii_urlpatterns, "taxii"))),
    path("roster/", include((roster_urls.urlpatterns, "roster"))),
    # Issue 15: the knowledge base for the security of major events (3.B.2).
    path("knowledge/", include((knowledge_urls.urlpatterns, "knowledge"))),
    path("workspace/", include((workspace_patterns, "workspace"))),
    # A point of contact's country (delivery data; under /accounts/ where people look for it).
    path("accounts/my-country/", delivery_views.my_country, name="my-country"),
    path("accounts/", include("cicte.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include(api_urlpatterns)),
    # Before the admin's own patterns: its sign-in asks for the second factor too.
    path("admin/login/", AdminLoginView.as_view(), name="admin-login"),
    path("admin/", admin.site.urls),
    path("jobs/", include((ops_urls.urlpatterns, "ops"))),
    path("healthz", ops_views.healthz, name="healthz"),
    # Issue 20: scholarship calls for points of contact, nominee confirmation, donors.
    path("scholarships/", include((scholarships_urls.public_urlpatterns, "scholarships"))),
]
