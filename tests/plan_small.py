"""A small 2012 plan built with factories (fast) for the approvals and scholarships rule
tests: programs 1.A, 1.B and 3.A with the targets those tests use, coded as in the real 2012
Work Plan. The "Done when" tests use the real plan (``plan_2012``)."""

from __future__ import annotations

from typing import Any

from tests.factories import (
    ProgramFactory,
    ProjectFactory,
    TargetFactory,
    WorkAreaFactory,
    WorkPlanFactory,
)

TARGETS = {
    "1.A.1.a": ("1.A", 1, 4, "Workshops"),
    "1.B.1.a": ("1.B", 1, 4, "Workshops"),
    "1.B.2.a": ("1.B", 2, 2, "Courses"),
    "1.B.3.a": ("1.B", 3, 40, "Scholarships"),
    "3.A.5.a": ("3.A", 5, 10, "Scholarships"),
}


def build_small_plan() -> Any:
    plan = WorkPlanFactory(symbol="CICTE/doc.5/12 rev. 1", year=2012, title="2012 Work Plan")
    areas = {n: WorkAreaFactory(plan=plan, number=n, title=f"Area {n}") for n in (1, 3)}
    programs = {
        code: ProgramFactory(
            work_area=areas[int(code[0])], letter=code[-1], code=code, title=f"Program {code}"
        )
        for code in ("1.A", "1.B", "3.A")
    }
    projects: dict[str, Any] = {}
    for code, (program, number, quantity, unit) in TARGETS.items():
        key = f"{program}.{number}"
        if key not in projects:
            projects[key] = ProjectFactory(
                program=programs[program], number=number, code=key, title=f"Project {key}"
            )
        TargetFactory(project=projects[key], code=code, quantity=quantity, unit=unit)
    return plan
