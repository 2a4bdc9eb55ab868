"""The ten findings of issue 19, one test each (each failed before the fix), through the
web pages a person uses. The role journeys in a real browser are in test_browser_journeys.py."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from cicte.delivery.models import Event, EventStatus
from cicte.directory import data
from cicte.directory.models import Organization
from cicte.reports.models import PublishedReport
from tests.journeys.conftest import PASSWORD, held_event

pytestmark = pytest.mark.django_db


def sign_in(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# 1 -----------------------------------------------------------------------------------------


def test_1_each_role_lands_on_its_home_and_a_refusal_is_a_styled_page(client, people):
    homes = {
        "contact": "/accounts/my-country/",
        "donor": "/funding/",
        "manager": "/workspace/",
        "officer": "/workspace/",
        "nobody": "/",
    }
    for username, home in homes.items():
        client.logout()
        assert sign_in(client, username)["Location"] == home, username
        assert client.get(home).status_code == 200, username

    client.logout()
    sign_in(client, "contact")
    refused = client.get("/workspace/")
    assert refused.status_code == 403
    body = refused.content.decode()
    assert 'class="site-header"' in body  # the site's layout, not a bare "403 Forbidden"
    assert "The staff workspace is for the Secretariat" in body  # why
    assert 'href="/accounts/my-country/"' in body  # where to go
    spanish = text_of(client.get("/workspace/", HTTP_ACCEPT_LANGUAGE="es"))
    assert "Esta página no está disponible para su cuenta" in spanish
    missing = client.get("/reports/999999/")
    assert missing.status_code == 404 and 'class="site-header"' in missing.content.decode()
    assert "Page not found" in missing.content.decode()


# 2 -----------------------------------------------------------------------------------------


def test_2_a_program_manager_is_not_offered_what_they_cannot_use(client, people, plan_2012):
    other = held_event(plan_2012, code="3.A.1.a", title="Cyber workshop")  # program 3.A
    own = held_event(plan_2012, code="1.A.3.a", title="Port drills")  # program 1.A
    client.force_login(people["manager"])
    events = client.get(reverse("workspace:event-list")).content.decode()
    assert reverse("workspace:event-import") not in events
    assert reverse("workspace:event-create") in events
    assert client.get(reverse("workspace:event-import")).status_code == 403
    assert (
        reverse("workspace:event-edit", args=[other.pk])
        not in client.get(other.get_absolute_url()).content.decode()
    )
    assert (
        reverse("workspace:event-edit", args=[own.pk])
        in client.get(own.get_absolute_url()).content.decode()
    )
    client.force_login(people["officer"])
    assert (
        reverse("workspace:event-import")
        in client.get(reverse("workspace:event-list")).content.decode()
    )


# 3 -----------------------------------------------------------------------------------------


def test_3_the_public_member_state_page_shows_what_the_state_received(client, plan_2012):
    held_event(plan_2012, code="1.A.3.a")
    held_event(plan_2012, code="4.A.0.a", title="Crisis exercise", country_participation=[])
    held_event(plan_2012, code="1.A.3.a", title="Not yet", status=EventStatus.PLANNED)
    event = Event.objects.get(title="Maritime drills workshop")
    event.participants.create(name="Zelda Secretname", email="z@x.test", member_state_id=None)
    page = client.get(reverse("public:member-state", args=["JAM"]))
    assert page.status_code == 200
    text = text_of(page)
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", page.content.decode()))
    assert figures["Events held"] == "2"  # the planned one does not count
    assert figures["Participants from the state"] == "5"
    assert (figures["Women"], figures["Men"]) == ("2", "3")
    assert "1.A MARITIME SECURITY" in text and "4.A" in text
    assert "Zelda" not in text and "Maritime drills workshop" not in text  # counts only


# 4 -----------------------------------------------------------------------------------------


def form_data(plan, **overrides):
    data = {
        "plan": plan.pk,
        "kind": "workshop",
        "title": "Maritime risk workshop",
        "start_date": "2012-04-10",
        "end_date": "2012-04-12",
        "status": "held",
        "participants_total": "25",
        "participants_women": "10",
        "participants_men": "12",
        "currency": "USD",
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "0",
        "targets-0-target": "1.A.3.a",
        "targets-0-units": "1",
        "targets-1-target": "",
        "targets-1-units": "",
        "countries-TOTAL_FORMS": "2",
        "countries-INITIAL_FORMS": "0",
        "countries-0-member_state": "",
        "countries-1-member_state": "",
    }
    data.update(overrides)
    return data


def test_4_the_event_form_reports_every_problem_at_once(client, people, plan_2012):
    client.force_login(people["manager"])
    bad = form_data(
        plan_2012,
        **{
            "targets-0-target": "3.A.1.a",  # not one of the manager's programs
            "end_date": "2012-04-01",  # before the start
            "participants_women": "20",  # 20 + 12 > 25
        },
    )
    page = client.post(reverse("workspace:event-create"), bad)
    assert page.status_code == 200 and not Event.objects.exists()
    html = page.content.decode()
    summary = html[
        html.index('id="error-summary"') : html.index("</div>", html.index("error-summary"))
    ]
    for message in (
        "You may only record events toward targets of the programs you manage.",
        "The end date is before the start date.",
        "Women and men together exceed the number of participants.",
    ):
        assert message in summary, message
    # …each next to its field.
    assert re.search(r'id="id_end_date-errors"[^>]*>\s*<li>The end date is before', html)
    assert re.search(r'id="id_participants_women-errors"[^>]*>\s*<li>Women and men', html)
    # An unknown target code does not hide the others either.
    page = client.post(
        reverse("workspace:event-create"),
        form_data(plan_2012, **{"targets-0-target": "9.Z.9.z", "end_date": "2012-04-01"}),
    )
    text = text_of(page)
    assert "Unknown target code 9.Z.9.z" in text and "The end date is before" in text


# 5 -----------------------------------------------------------------------------------------


def test_5_rows_grow_without_losing_what_was_typed(client, people, plan_2012):
    client.force_login(people["officer"])
    typed = form_data(
        plan_2012,
        **{
            "title": "Eight-country workshop",
            "countries-0-member_state": "JAM",
            "countries-0-women": "1",
            "countries-0-men": "2",
            "countries-1-member_state": "BRB",
            "countries-1-women": "3",
            "add_row": "countries",
        },
    )
    page = client.post(reverse("workspace:event-create"), typed)
    html = page.content.decode()
    assert not Event.objects.exists()  # nothing saved by adding a row
    assert 'name="countries-TOTAL_FORMS" value="3"' in html
    assert 'value="Eight-country workshop"' in html
    assert re.search(
        r'name="countries-0-member_state"[^>]*>.*?<option value="JAM" selected', html, re.S
    )
    assert 'name="countries-0-men" value="2"' in html
    assert (
        'name="countries-2-member_state"' in html and 'name="countries-3-member_state"' not in html
    )
    # Eight countries in one pass.
    codes = ["JAM", "BRB", "TTO", "BHS", "GUY", "SUR", "BLZ", "DMA"]
    rows = {"countries-TOTAL_FORMS": str(len(codes))}
    for i, code in enumerate(codes):
        rows |= {f"countries-{i}-member_state": code, f"countries-{i}-women": "1"}
    saved = client.post(reverse("workspace:event-create"), form_data(plan_2012, **rows))
    assert saved.status_code == 302, text_of(saved)[:2000]
    assert Event.objects.get().country_participation.count() == 8


# 6 -----------------------------------------------------------------------------------------


def test_6_every_choice_of_a_target_shows_its_code_project_and_program(client, people, plan_2012):
    client.force_login(people["officer"])
    url = reverse("workspace:event-target-search")
    for page in (
        client.get(url, {"q": "workshops", "plan": plan_2012.pk}),
        client.get(url, {"q": "workshops", "plan": plan_2012.pk}, HTTP_HX_REQUEST="true"),
        client.post(
            reverse("workspace:event-create"),
            form_data(plan_2012, search_targets="1", target_query="1.A.3"),
        ),
    ):
        text = text_of(page)
        assert "1.A.3.a" in text
        assert "Project 1.A.3 Training workshops on maritime security drills" in text
        assert "Program 1.A MARITIME SECURITY" in text
        assert "3 Workshops (3 Workshops)" not in text
    form = client.get(reverse("workspace:event-create")).content.decode()
    option = re.search(r'<option value="1.A.3.a">([^<]+)</option>', form)[1]
    assert "1.A.3" in option and "MARITIME SECURITY" in option  # the autocomplete


# 7 -----------------------------------------------------------------------------------------


def test_7_the_plan_page_shows_mandates_per_program_each_target_once_and_contents(
    client, plan_2012
):
    html = client.get(reverse("public:plan", args=[2012])).content.decode()
    program = html[html.index('id="p-1.A"') : html.index('id="p-1.A.1"')]
    assert "Implements:" in program and "CICTE/DEC. 1/11" in program
    assert html.count("Training needs assessments in") == 1
    assert "<strong>18</strong>" in html
    toc = html[html.index('class="card plan-toc"') : html.index("</nav>", html.index("plan-toc"))]
    assert 'href="#wa-1"' in toc and 'href="#p-1.A"' in toc and 'href="#p-5.0"' in toc
    # The mandates page links to programs and projects that exist on the plan page.
    mandates = client.get(reverse("public:mandates")).content.decode()
    for anchor in set(re.findall(r'/plans/2012/#(p-[\w.]+)"', mandates)):
        assert f'id="{anchor}"' in html, anchor


# 8 -----------------------------------------------------------------------------------------


def test_8_progress_words_and_numbers_agree(client, people, plan_2012):
    held_event(plan_2012, code="1.A.5.a", kind="evaluation", title="External evaluation")
    client.force_login(people["officer"])
    text = text_of(client.get(reverse("workspace:dashboard")))
    achieved = re.search(r"targets achieved \((\d+) of (\d+) numeric\)", text)
    good = re.search(r"(\d+) % targets achieved or on track \((\d+) of (\d+) numeric\)", text)
    assert achieved and good
    assert int(good[2]) >= int(achieved[1]) >= 1 and int(good[1]) > 0
    client.force_login(people["contact"])
    page = client.get(reverse("my-country")).content.decode()
    assert "Jamaica: what your country received" in page
    assert "Jamaica: events and participants" not in page
    assert re.search(r"<dt>Participants from Jamaica</dt><dd>5</dd>", page)  # not the 20


# 9 -----------------------------------------------------------------------------------------


@pytest.fixture
def fast_pdf(monkeypatch):
    """The PDF renderer (WeasyPrint, seconds per report) replaced by one that records what
    it was given: these tests are about the path to the file, not the typesetting."""
    from cicte.reports.renderers import pdf

    seen = []

    def render(data, paper="a4"):
        seen.append(data)
        return b"%PDF-1.7 " + data.meta.issued_label.encode()

    monkeypatch.setattr(pdf, "render", render)
    return seen


def test_9_long_work_shows_progress(client, people, plan_2012, fast_pdf, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(people["officer"])
    query = {"plan": plan_2012.pk, "period": "2012-H1", "lang": "en", "paper": "a4"}
    asked = client.get(reverse("workspace:report-download", args=["pdf"]), query)
    assert asked.status_code == 302 and asked["Location"].startswith("/jobs/")
    job = client.get(asked["Location"])
    assert "Progress" in text_of(job) and 'id="job-progress"' in job.content.decode()
    assert "succeeded" in job.content.decode()
    download = re.search(r'href="(/jobs/[^"]+/file/)"', job.content.decode())[1]
    assert b"".join(client.get(download).streaming_content).startswith(b"%PDF")
    published = client.post(reverse("workspace:report-publish"), {**query, "issued": "2012-07-16"})
    assert published["Location"].startswith("/jobs/")
    assert 'id="job-progress"' in client.get(published["Location"]).content.decode()


# 10 ----------------------------------------------------------------------------------------


def test_10_invite_form_lists_member_states_by_name(client, people, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "r@x.test", PASSWORD)
    client.force_login(admin)
    from cicte.accounts import otp

    otp_device = otp.pending_device(admin)
    otp_device.confirmed = True
    otp_device.save()
    session = client.session
    session["otp_device_id"] = otp_device.persistent_id
    session.save()
    html = client.get(reverse("accounts:user-invite")).content.decode()
    select = html[
        html.index('name="member_state"') : html.index(
            "</select>", html.index('name="member_state"')
        )
    ]
    names = re.findall(r'<option value="\d+">([^<]+)</option>', select)
    assert len(names) == 35 and names == sorted(names, key=str.casefold)
    assert names[0] == "Antigua &amp; Barbuda" and "Jamaica" in names
    organizations = html[html.index('name="organization"') :]
    assert "Canada — Governments" in organizations and "Spain — Governments" in organizations


def test_10_governments_are_donor_organizations(db):
    governments = Organization.objects.filter(group="government")
    observers = getattr(data, "PERMANENT_OBSERVERS", ())
    assert len(observers) > 60
    assert governments.count() == len(data.MEMBER_STATES) + len(observers)
    assert {"Canada", "United States", "Antigua and Barbuda", "Spain", "European Union"} <= set(
        governments.values_list("name", flat=True)
    )
    assert governments.get(name="Canada").history.get().history_change_reason


def test_10_the_report_carries_its_date_of_issue_and_one_id(
    client, people, plan_2012, fast_pdf, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    held_event(plan_2012)
    client.force_login(people["officer"])
    query = {"plan": plan_2012.pk, "period": "2012-H1", "lang": "en"}
    draft = client.get(reverse("workspace:report"), query).content.decode()
    assert "Draft, not yet issued" in draft
    assert dt.date.today().strftime("%B %-d, %Y") not in draft  # not the generation day
    client.post(reverse("workspace:report-publish"), {**query, "issued": "2012-07-16"})
    html, pdf = (PublishedReport.objects.get(format=f) for f in ("html", "pdf"))
    assert html.issued == pdf.issued == dt.date(2012, 7, 16)
    assert "July 16, 2012" in html.html
    assert fast_pdf[-1].meta.issued_label == "July 16, 2012"  # the PDF was made with it
    assert pdf.file.read().endswith(b"July 16, 2012")
    # Later drafts and other formats of the same report carry the same date.
    for fmt in ("html", "docx", "xlsx"):
        download = client.get(reverse("workspace:report-download", args=[fmt]), query)
        assert download.status_code == 200, fmt
    assert (
        "July 16, 2012"
        in client.get(reverse("workspace:report-download", args=["html"]), query).content.decode()
    )
    client.logout()
    listing = client.get(reverse("public-reports:list")).content.decode()
    assert f'href="/reports/{html.pk}/pdf/"' in listing and "July 16, 2012" in listing
    assert client.get(f"/reports/{pdf.pk}/")["Location"] == f"/reports/{html.pk}/"
    page = client.get(f"/reports/{html.pk}/")
    assert page.status_code == 200 and f'href="/reports/{html.pk}/pdf/"' in page.content.decode()
    served = client.get(f"/reports/{html.pk}/pdf/")
    assert served.status_code == 200 and served["X-Content-Type-Options"] == "nosniff"
