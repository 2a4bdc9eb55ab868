"""plan_import writes the parsed 2012 plan faithfully and updates it in place."""

from __future__ import annotations

import copy

import pytest

from cicte.core.types import SYSTEM
from cicte.plan.models import MandateSource, Program, Project, Target, WorkArea, WorkPlan
from cicte.plan.selectors import plan_document
from cicte.plan.services import PlanImportError, plan_import
from tests.factories import EventTargetFactory, UserFactory


@pytest.mark.django_db
def test_2012_plan_figures_in_database(plan_2012):
    assert plan_2012.symbol == "CICTE/doc.5/12 rev. 1"
    assert plan_2012.year == 2012
    assert WorkArea.objects.filter(plan=plan_2012).count() == 5
    assert Program.objects.filter(plan=plan_2012).count() == 13
    assert Project.objects.filter(plan=plan_2012).count() == 34
    numeric = Target.objects.filter(plan=plan_2012, quantity__isnull=False)
    assert numeric.count() == 38
    assert sum(t.quantity for t in numeric) == 176
    unfunded_projects = Project.objects.filter(
        plan=plan_2012, targets__funding="to_be_identified"
    ).distinct()
    assert unfunded_projects.count() == 7
    assert plan_2012.mandate_sources.count() == 10
    assert plan_2012.partners.count() == 49
    assert not Target.objects.filter(project__code="1.C.1").exists()


@pytest.mark.django_db
def test_reimport_updates_in_place(plan_2012, plan_2012_document):
    ids = set(Target.objects.values_list("id", flat=True))
    again = plan_import(document=plan_2012_document, actor=SYSTEM)
    assert not again.created
    assert WorkPlan.objects.count() == 1
    assert set(Target.objects.values_list("id", flat=True)) == ids
    assert MandateSource.objects.count() == 10


@pytest.mark.django_db
def test_reimport_changes_quantity_and_records_who(plan_2012, plan_2012_document):
    actor = UserFactory(username="editor", is_staff=True)  # Secretariat staff
    changed = copy.deepcopy(plan_2012_document)
    changed.work_areas[0].programs[0].projects[0].targets[0].quantity = 20
    plan_import(document=changed, actor=actor)
    target = Target.objects.get(plan=plan_2012, code="1.A.1.a")
    assert target.quantity == 20
    latest = target.history.latest()
    assert latest.history_user == actor
    assert latest.prev_record is not None
    diff = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in diff.changes] == [("quantity", 18, 20)]


@pytest.mark.django_db
def test_removed_target_with_events_is_refused_and_nothing_changes(plan_2012, plan_2012_document):
    target = Target.objects.get(plan=plan_2012, code="1.A.2.a")
    EventTargetFactory(target=target, event__plan=plan_2012)
    changed = copy.deepcopy(plan_2012_document)
    changed.work_areas[0].programs[0].projects[1].targets.clear()
    changed.title = "Changed title"
    with pytest.raises(PlanImportError, match=r"1\.A\.2\.a"):
        plan_import(document=changed, actor=SYSTEM)
    plan_2012.refresh_from_db()
    assert plan_2012.title != "Changed title"
    assert Target.objects.filter(code="1.A.2.a").exists()


@pytest.mark.django_db
def test_export_equals_parsed_document(plan_2012, plan_2012_document):
    assert plan_document(plan=plan_2012) == plan_2012_document


@pytest.mark.django_db
def test_plan_document_query_count_is_constant(plan_2012, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        plan_document(plan=plan_2012)


@pytest.mark.django_db
def test_partner_units_become_directory_organizations(plan_2012):
    from cicte.directory.models import Organization

    cicad = Organization.objects.get(acronym="CICAD")
    assert cicad.parent_unit == "Secretariat for Multidimensional Security"
    assert not plan_2012.partners.filter(pk=cicad.pk).exists()
    assert Organization.objects.filter(parent_unit__gt="").count() == 5
