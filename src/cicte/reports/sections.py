"""The built-in sections of the semi-annual report, in order (see registry.py); registered
by ``ReportsConfig.ready()``.

Each builder reads the :class:`ReportContext` (its numbers are SQL aggregates:
``context.totals``, the progress selectors) and returns a
:class:`Section` with typed data, blocks for the renderers and flat sheets for XLSX.
Text is translated by the caller (``translation.override``); data keeps its language.
"""

from __future__ import annotations

from babel.numbers import format_decimal
from django.utils.translation import gettext as _

from cicte.delivery.models import EventKind
from cicte.directory.countries import country_name
from cicte.directory.models import Subregion
from cicte.plan.models import Program, Project
from cicte.progress.types import TargetProgress
from cicte.reports.formatting import (
    code_sort_key,
    event_dates,
    event_place,
    percent_of,
    period_label,
    status_cell,
)
from cicte.reports.registry import register_section
from cicte.reports.types import (
    Bar,
    Cell,
    Chart,
    Column,
    CoverageData,
    Deferred,
    EventLine,
    Figure,
    Figures,
    FundingGapRow,
    Heading,
    MandateClauseRow,
    MandateLinkRow,
    MandateSourceRow,
    Paragraph,
    ProgramRow,
    ProjectRow,
    ReportContext,
    Section,
    StateCoverageRow,
    SubregionCoverageRow,
    SummaryData,
    Table,
    TargetRow,
    WorkAreaRow,
)

ASSESSED_STATUSES = ("achieved", "on_track", "behind", "not_started")
# Event tables in HTML/PDF/DOCX stop at this many rows (a 5,000-page annex helps nobody),
# with a note that points to the XLSX, whose sheets always carry every event.
DOCUMENT_ROWS = 500


def _no_events_note() -> Paragraph:
    return Paragraph(_("No events were held in this period."), role="empty")


def _capped(table: Table, total: int) -> list[Heading | Paragraph | Figures | Table | Chart]:
    """Documents list at most DOCUMENT_ROWS events (with a note); XLSX always has them all."""
    if total <= DOCUMENT_ROWS:
        return [table]
    shown = Table(table.caption, table.columns, table.rows[:DOCUMENT_ROWS], table.sheet_title)
    note = Paragraph(
        _(
            "This table lists the first %(shown)s of %(total)s events; the spreadsheet (XLSX) "
            "version of this report lists them all."
        )
        % {"shown": DOCUMENT_ROWS, "total": total},
        role="note",
    )
    return [note, shown]


def _shown_row(line: EventLine, language: str) -> list[Cell]:
    total = format_decimal(line.participants_total, locale=language)
    return [
        event_dates(line, language),
        line.title,
        event_place(line, language),
        _state_names(line, language),
        f"{total} ({line.women} / {line.men})",
        ", ".join(line.partners),
    ]


def _sheet_row(line: EventLine, language: str) -> list[Cell]:
    return [
        line.start_date,
        line.end_date,
        line.title,
        event_place(line, language),
        _state_names(line, language),
        line.participants_total,
        line.women,
        line.men,
        ", ".join(line.partners),
    ]


def _state_names(line: EventLine, language: str) -> str:
    return ", ".join(sorted(country_name(c, language) for c in line.beneficiaries))


def _event_tables(
    shown_lines: list[EventLine],
    events: list[EventLine],
    language: str,
    caption: str,
    sheet_title: str,
) -> tuple[Table, Table]:
    """The compact table shown in the report (``shown_lines``: at most DOCUMENT_ROWS, read
    with a LIMIT) and the detailed one written to XLSX (every one of ``events``, a
    :class:`Deferred` list: read only when the XLSX renderer walks the sheet)."""
    shown = Table(
        caption=caption,
        columns=[
            Column(_("Dates")),
            Column(_("Event")),
            Column(_("Place")),
            Column(_("Beneficiary member states")),
            Column(_("Participants (women / men)"), numeric=True),
            Column(_("Partners")),
        ],
        rows=[_shown_row(line, language) for line in shown_lines[:DOCUMENT_ROWS]],
    )
    sheet = Table(
        caption=caption,
        columns=[
            Column(_("Start date")),
            Column(_("End date")),
            Column(_("Event")),
            Column(_("Place")),
            Column(_("Beneficiary member states")),
            Column(_("Participants"), numeric=True),
            Column(_("Women"), numeric=True),
            Column(_("Men"), numeric=True),
            Column(_("Partners")),
        ],
        rows=Deferred(lambda: [_sheet_row(line, language) for line in events], length=len(events)),
        sheet_title=sheet_title,
    )
    return shown, sheet


# --- 10 summary ------------------------------------------------------------------------


@register_section("summary", order=10)
def summary(context: ReportContext) -> Section:
    totals = context.totals  # SQL aggregates (reports.selectors.held_totals)
    reached = sum(1 for s in context.member_states if s.events_held > 0)
    total = totals.participants_total
    counts = context.progress_year.status_counts
    assessed = sum(counts.get(key, 0) for key in ASSESSED_STATUSES)
    good = counts.get("achieved", 0) + counts.get("on_track", 0)
    data = SummaryData(
        events_held=totals.events,
        member_states_reached=reached,
        participants_total=total,
        women=totals.women,
        men=totals.men,
        not_stated=total - totals.women - totals.men,
        scholarships=totals.scholarships,
        partner_organizations=totals.partner_organizations,
        targets_assessed=assessed,
        targets_on_track_or_achieved=good,
        share_on_track=percent_of(good, assessed),
    )
    figures = Figures(
        [
            Figure(_("Events held"), data.events_held),
            Figure(_("Member states reached"), data.member_states_reached, detail=_("of 35")),
            Figure(_("Participants"), data.participants_total),
            Figure(_("Women"), data.women),
            Figure(_("Men"), data.men),
            Figure(_("Sex not stated"), data.not_stated),
            Figure(_("Scholarships awarded"), data.scholarships),
            Figure(_("Partner organizations engaged"), data.partner_organizations),
            Figure(
                _("Targets on track or achieved"),
                data.share_on_track,
                percent=True,
                detail=_("%(good)s of %(total)s targets with a quantity")
                % {"good": good, "total": assessed},
            ),
        ]
    )
    blocks: list[Heading | Paragraph | Figures | Table | Chart] = [
        Paragraph(
            _(
                "This report presents the activities of the Secretariat of the Inter-American "
                "Committee against Terrorism in %(period)s under the Work Plan %(symbol)s: "
                "the implementation of its mandates, progress toward each target, the "
                "evaluations held, the member states reached and the activities still "
                "awaiting funding."
            )
            % {"period": period_phrase(context), "symbol": context.plan.symbol}
        ),
        figures,
    ]
    if not totals.events:
        blocks.append(_no_events_note())
    sheet = Table(
        caption=_("Summary"),
        columns=[Column(_("Figure")), Column(_("Value"), numeric=True)],
        rows=[[f.label, f.value] for f in figures.items],
        sheet_title=_("Summary"),
    )
    return Section("summary", _("Summary"), blocks, [sheet], data)


def period_phrase(context: ReportContext) -> str:
    return period_label(context.period, context.language)


# --- 20 implementation of mandates --------------------------------------------------------


@register_section("mandates", order=20)
def mandates(context: ReportContext) -> Section:
    progress = context.progress
    program_delivered = {g.code: g.delivered for wa in progress.work_areas for g in wa.programs}
    project_delivered = {
        p.code: p.delivered for wa in progress.work_areas for g in wa.programs for p in g.projects
    }
    # distinct held events per program and project code, counted in SQL
    program_events = context.totals.program_events
    project_events = context.totals.project_events

    columns = [
        Column(_("Paragraph")),
        Column(_("Implemented by")),
        Column(_("Events held"), numeric=True),
        Column(_("Units delivered"), numeric=True),
    ]
    sources: list[MandateSourceRow] = []
    blocks: list[Heading | Paragraph | Figures | Table | Chart] = [
        Paragraph(
            _(
                "For each mandate of the Work Plan: the programs and projects that implement "
                "it and what they delivered in the period (held events and units counted "
                "toward their targets)."
            ),
            role="note",
        )
    ]
    sheet_rows: list[list[Cell]] = []
    for link in context.mandates:
        source = link.source
        clauses = []
        rows: list[list[Cell]] = []
        for clause in source.clauses.all():
            linked: list[Program | Project] = [*clause.programs.all(), *clause.projects.all()]
            # Document order across both kinds: by code ("1.A" < "1.A.2" < "2.B.1"); program and
            # project positions are numbered separately, so they cannot be compared.
            items = sorted(linked, key=lambda x: code_sort_key(x.code))
            links = []
            for item in items:
                is_program = isinstance(item, Program)
                code = item.code
                links.append(
                    MandateLinkRow(
                        code=code,
                        title=item.title,
                        level="program" if is_program else "project",
                        events_held=(program_events if is_program else project_events).get(code, 0),
                        delivered=(program_delivered if is_program else project_delivered).get(
                            code, 0
                        ),
                    )
                )
            clauses.append(MandateClauseRow(clause.paragraph, clause.text, links))
            paragraph = clause.paragraph or "—"
            if not links:
                rows.append([paragraph, _("No program or project of this plan"), None, None])
            for index, item_row in enumerate(links):
                label = f"{item_row.code} {item_row.title}"
                shown = paragraph if index == 0 else ""  # the paragraph once per group
                rows.append([shown, label, item_row.events_held, item_row.delivered])
                sheet_rows.append(
                    [
                        source.symbol,
                        clause.paragraph,
                        item_row.code,
                        item_row.title,
                        item_row.events_held,
                        item_row.delivered,
                    ]
                )
        sources.append(
            MandateSourceRow(
                source.kind, str(source.get_kind_display()), source.symbol, source.title, clauses
            )
        )
        blocks.append(Heading(f"{source.title}, {source.symbol}", level=3))
        blocks.append(Table(caption="", columns=columns, rows=rows))
    if not context.mandates:
        blocks.append(Paragraph(_("The plan cites no mandates."), role="empty"))
    sheet = Table(
        caption=_("Implementation of mandates"),
        columns=[
            Column(_("Mandate")),
            Column(_("Paragraph")),
            Column(_("Code")),
            Column(_("Implemented by")),
            Column(_("Events held"), numeric=True),
            Column(_("Units delivered"), numeric=True),
        ],
        rows=sheet_rows,
        sheet_title=_("Mandates"),
    )
    return Section("mandates", _("Implementation of mandates"), blocks, [sheet], sources)


# --- 30 work areas, programs, projects, targets --------------------------------------------


def _target_row(period_t: TargetProgress, year_t: TargetProgress | None) -> TargetRow:
    return TargetRow(
        code=period_t.code,
        text=period_t.text or period_t.unit,
        unit=period_t.unit,
        quantity=period_t.quantity,
        delivered_period=period_t.delivered,
        delivered_year=year_t.delivered if year_t else period_t.delivered,
        percent=year_t.percent if year_t else period_t.percent,
        status=year_t.status if year_t else period_t.status,
    )


@register_section("work-areas", order=30)
def work_areas(context: ReportContext) -> Section:
    year_targets = {t.target_id: t for t in context.progress_year.targets}
    year_rollups: dict[str, tuple[int, float | None]] = {
        wa.code or str(wa.number): (wa.delivered, wa.percent)
        for wa in context.progress_year.work_areas
    }
    columns = [
        Column(_("Target")),
        Column(_("Planned"), numeric=True),
        Column(_("Delivered in the period"), numeric=True),
        Column(_("Delivered in the year"), numeric=True),
        Column(_("Progress"), numeric=True, percent=True),
        Column(_("Status")),
    ]
    blocks: list[Heading | Paragraph | Figures | Table | Chart] = [
        Paragraph(
            _(
                "Delivered in the year counts held events from 1 January to the end of the "
                "period; progress and status refer to that cumulative figure."
            ),
            role="note",
        )
    ]
    areas: list[WorkAreaRow] = []
    sheet_rows: list[list[Cell]] = []
    for wa in context.progress.work_areas:
        year_delivered, year_percent = year_rollups.get(wa.code or str(wa.number), (0, None))
        programs: list[ProgramRow] = []
        blocks.append(
            Heading(
                _("Work area %(number)s: %(title)s") % {"number": wa.number, "title": wa.title},
                level=3,
            )
        )
        for program in wa.programs:
            narrative = context.narratives.get(program.code, "")
            blocks.append(Heading(f"{program.code} {program.title}", level=4))
            if narrative:
                blocks.append(Paragraph(narrative, role="narrative", label=_("Narrative:")))
            projects: list[ProjectRow] = []
            for project in program.projects:
                targets = [_target_row(t, year_targets.get(t.target_id)) for t in project.targets]
                projects.append(ProjectRow(project.code, project.title, targets))
                rows: list[list[Cell]] = []
                for t in targets:
                    rows.append(
                        [
                            f"{t.code} {t.text}",
                            t.quantity,
                            t.delivered_period,
                            t.delivered_year,
                            t.percent,
                            status_cell(t.status),
                        ]
                    )
                    sheet_rows.append(
                        [
                            wa.number,
                            program.code,
                            project.code,
                            t.code,
                            t.text,
                            t.quantity,
                            t.delivered_period,
                            t.delivered_year,
                            t.percent,
                            str(status_cell(t.status)),
                        ]
                    )
                if rows:
                    blocks.append(
                        Table(caption=f"{project.code} {project.title}", columns=columns, rows=rows)
                    )
            programs.append(ProgramRow(program.code, program.title, narrative, projects))
        areas.append(
            WorkAreaRow(
                number=wa.number,
                title=wa.title,
                quantity=wa.quantity,
                delivered_period=wa.delivered,
                delivered_year=year_delivered,
                percent=year_percent,
                programs=programs,
            )
        )
    overview = Table(
        caption=_("Progress by work area"),
        columns=[
            Column(_("Work area")),
            Column(_("Planned"), numeric=True),
            Column(_("Delivered in the period"), numeric=True),
            Column(_("Delivered in the year"), numeric=True),
            Column(_("Progress"), numeric=True, percent=True),
        ],
        rows=[
            [f"{a.number}. {a.title}", a.quantity, a.delivered_period, a.delivered_year, a.percent]
            for a in areas
        ],
        sheet_title=_("Work areas"),
    )
    blocks.insert(1, overview)
    sheet = Table(
        caption=_("Targets"),
        columns=[
            Column(_("Work area"), numeric=True),
            Column(_("Program")),
            Column(_("Project")),
            Column(_("Target")),
            Column(_("Description")),
            Column(_("Planned"), numeric=True),
            Column(_("Delivered in the period"), numeric=True),
            Column(_("Delivered in the year"), numeric=True),
            Column(_("Progress"), numeric=True, percent=True),
            Column(_("Status")),
        ],
        rows=sheet_rows,
        sheet_title=_("Targets"),
    )
    return Section(
        "work-areas",
        _("Progress by work area, program and project"),
        blocks,
        [overview, sheet],
        areas,
    )


# --- 40 evaluations ------------------------------------------------------------------------


@register_section("evaluations", order=40)
def evaluations(context: ReportContext) -> Section:
    count = context.totals.evaluations
    held: list[EventLine] = Deferred(
        lambda: [e for e in context.events if e.kind == EventKind.EVALUATION], length=count
    )
    shown = context.first_events(limit=DOCUMENT_ROWS, kind=EventKind.EVALUATION) if count else []
    table, sheet = _event_tables(
        shown,
        held,
        context.language,
        _("Evaluation events held in the period"),
        _("Evaluations"),
    )
    blocks: list[Heading | Paragraph | Figures | Table | Chart] = []
    if count:
        blocks += _capped(table, count)
    else:
        blocks.append(Paragraph(_("No evaluation events were held in this period."), role="empty"))
    return Section("evaluations", _("Evaluations"), blocks, [sheet], held)


# --- 50 member-state coverage -----------------------------------------------------------


@register_section("coverage", order=50)
def coverage(context: ReportContext) -> Section:
    language = context.language
    subregion_labels = {key: str(label) for key, label in Subregion.choices}
    states = sorted(
        (
            StateCoverageRow(
                code=s.code,
                name=country_name(s.code, language),
                subregion=s.subregion,
                events_held=s.events_held,
                participants_total=s.participants_total,
                women=s.women,
                men=s.men,
            )
            for s in context.member_states
        ),
        key=lambda r: (
            list(subregion_labels).index(r.subregion) if r.subregion in subregion_labels else 99,
            r.name,
        ),
    )
    # distinct held events with a beneficiary or the host in the subregion, counted in SQL
    events_by_subregion = context.totals.subregion_events
    subregions = []
    for key, label in subregion_labels.items():
        members = [s for s in states if s.subregion == key]
        subregions.append(
            SubregionCoverageRow(
                key=key,
                label=label,
                states_reached=sum(1 for s in members if s.events_held > 0),
                states_total=len(members),
                events_held=events_by_subregion.get(key, 0),
                participants_total=sum(s.participants_total for s in members),
            )
        )
    data = CoverageData(states=states, subregions=subregions)
    series = [_("Events held"), _("Participants")]
    reached = sorted(
        (s for s in states if s.events_held),
        key=lambda s: (-s.events_held, -s.participants_total, s.name),
    )
    chart = Chart(
        title=_("Events held per member state"),
        description=_(
            "Bar chart of the number of events held in the period for which each member "
            "state was a beneficiary or the host; member states with no event are not shown."
        ),
        series=[series[0]],
        bars=[Bar(s.name, [s.events_held]) for s in reached],
    )
    sub_table = Table(
        caption=_("Coverage by subregion"),
        columns=[
            Column(_("Subregion")),
            Column(_("Member states reached"), numeric=True),
            Column(_("Member states"), numeric=True),
            Column(_("Events held"), numeric=True),
            Column(_("Participants"), numeric=True),
        ],
        rows=[
            [r.label, r.states_reached, r.states_total, r.events_held, r.participants_total]
            for r in subregions
        ],
        sheet_title=_("Subregions"),
    )
    state_table = Table(
        caption=_("Coverage by member state"),
        columns=[
            Column(_("Member state")),
            Column(_("Subregion")),
            Column(_("Events held"), numeric=True),
            Column(_("Participants"), numeric=True),
            Column(_("Women"), numeric=True),
            Column(_("Men"), numeric=True),
        ],
        rows=[
            [
                s.name,
                subregion_labels.get(s.subregion, s.subregion),
                s.events_held,
                s.participants_total,
                s.women,
                s.men,
            ]
            for s in states
        ],
        sheet_title=_("Member states"),
    )
    blocks: list[Heading | Paragraph | Figures | Table | Chart] = [
        Paragraph(
            _(
                "A member state is reached when it is a beneficiary or the host of an event "
                "held in the period. Participants are counted by member state where the "
                "breakdown by country was recorded."
            ),
            role="note",
        )
    ]
    if reached:
        blocks.append(chart)
    else:
        blocks.append(_no_events_note())
    blocks += [sub_table, state_table]
    return Section("coverage", _("Member-state coverage"), blocks, [sub_table, state_table], data)


# --- 60 funding gaps ---------------------------------------------------------------------


@register_section("funding-gaps", order=60)
def funding_gaps(context: ReportContext) -> Section:
    gaps: list[FundingGapRow] = []
    for wa in context.progress.work_areas:
        for program in wa.programs:
            for project in program.projects:
                for t in project.targets:
                    if t.kind == "unfunded":
                        gaps.append(
                            FundingGapRow(project.code, project.title, t.code, t.text or t.unit)
                        )
    projects = {g.project_code for g in gaps}
    table = Table(
        caption=_("Targets to be determined once funding is identified"),
        columns=[Column(_("Project")), Column(_("Target")), Column(_("Activity"))],
        rows=[[f"{g.project_code} {g.project_title}", g.target_code, g.text] for g in gaps],
        sheet_title=_("Funding gaps"),
    )
    blocks: list[Heading | Paragraph | Figures | Table | Chart] = []
    if gaps:
        blocks.append(
            Paragraph(
                _(
                    "%(targets)s targets in %(projects)s projects will be carried out once "
                    "funding is identified."
                )
                % {"targets": len(gaps), "projects": len(projects)}
            )
        )
        blocks.append(table)
    else:
        blocks.append(Paragraph(_("Every target of the plan has identified funding."), "empty"))
    return Section("funding-gaps", _("Funding gaps"), blocks, [table], gaps)


# --- 90 annex ------------------------------------------------------------------------------


@register_section("annex", order=90)
def annex(context: ReportContext) -> Section:
    count = context.totals.events
    table, sheet = _event_tables(
        context.first_events(limit=DOCUMENT_ROWS) if count else [],
        context.events,
        context.language,
        _("Events held in the period"),
        _("Annex - events"),
    )
    blocks: list[Heading | Paragraph | Figures | Table | Chart] = (
        _capped(table, count) if count else [_no_events_note()]
    )
    return Section(
        "annex",
        _("Annex: events held in the period"),
        blocks,
        [sheet],
        context.events,
    )
