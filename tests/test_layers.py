"""The apps of ``cicte`` form layers that depend one way (docs/architecture.md).

The test reads every module under ``src/cicte`` with :mod:`ast` (no import is executed) and
collects each ``import`` / ``from ... import`` wherever it is written: at module level, inside
``if TYPE_CHECKING:``, inside functions and methods (a function-local import is still a
dependency, and is how cycles hide), plus ``importlib.import_module("cicte....")`` with a
literal name. From those it builds the app-level graph (``cicte.<app>`` → ``cicte.<other>``)
and fails when

* ``cicte.core`` imports any other app (core is the ground floor);
* an app imports an app of its own layer or of a layer above it (so there is no cycle);
* the graph has a cycle (checked separately, so the message names it), or two modules
  import each other, even inside one app (a function-local import must never hide a cycle);
* an app is not placed in :data:`LAYERS` (a new app must say where it sits).

Templates are dependencies too: core ships no template that names another app's URLs,
includes or extends another app's template, or loads a project template-tag library.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "cicte"

# The intended layer order, bottom first. An app may import only apps of lower layers.
#
#   core         types (Actor, SYSTEM), errors, audit, versioning, files, periods, the
#                form adapter, i18n build: imports no app
#   search       the shared full-text index (fold, terms, index, matches): stores folded text
#                per (scope, id) and narrows querysets the callers already made visible
#   access       memberships and the role lookups every app's permissions.py builds on
#   ops          background jobs (model, queue, worker, scheduler registry), serving, health,
#                logs, backups: domain apps enqueue jobs and register periodic work in it
#   directory    member states, organizations (reference data)
#   sharing      TLP 2.0 markings and audiences, communities, the vetted directory,
#                visible_to(actor): used by every module above it
#   plan         work plans, mandates, targets; plan documents; partners of the plans
#   accounts     users (invitations, memberships UI), API tokens, two-factor, history views
#   delivery     events, participation, spreadsheets, the event read model (event_rows),
#                permission predicates on events
#   progress     targets vs delivered: read models over plan and delivery
#   reports      the semi-annual report: context, section registry, renderers
#   assistance   requests for assistance; the reminder registry (`cicte remind`)
#   evaluations, funding, forum, strategies, roster
#                satellites: they register report sections (reports.registry) and
#                reminders (assistance.reminders) from their AppConfig.ready()
#   approvals, scholarships (issue 20)
#                satellites too: approvals registers a delivery guard (the lock) and a reports
#                publish listener; scholarships records its completions through delivery
#                services and registers a report section (one step up, beside exercises:
#                its scholars' feedback is the evaluations' questionnaire)
#   iati         the IATI 2.03 activity export: reads plan, delivery, progress, funding
#   exercises    crisis-management exercises (issue 14): builds on evaluations
#                (recommendations track its improvement actions)
#   knowledge    the major-events knowledge base (issue 15): strategies' file checks, exercises'
#                AARs released as lessons, the sharing layer's audiences
#   api, site, sampledata
#                the top: the REST API, the site shell (base.html, navigation) and the
#                sample data (`cicte demo`, `cicte generate`); no app imports them
#
# The project modules (settings, urls, cli, wsgi) sit above every layer.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"core"}),
    frozenset({"search"}),
    frozenset({"access"}),
    frozenset({"ops"}),
    frozenset({"directory"}),
    frozenset({"sharing"}),
    frozenset({"plan"}),
    frozenset({"accounts"}),
    frozenset({"delivery"}),
    frozenset({"progress"}),
    frozenset({"reports"}),
    frozenset({"assistance"}),
    frozenset({"evaluations", "funding", "forum", "approvals", "strategies", "roster"}),
    # exercises: above evaluations, whose recommendations carry its improvement plans;
    # iati: reads funding and progress; scholarships: its completed scholars answer the
    # evaluations' questionnaire of the call's event
    frozenset({"exercises", "iati", "scholarships"}),
    # knowledge: the major-events knowledge base (issue 15); releases exercises' AARs
    frozenset({"knowledge"}),
    frozenset({"api", "site", "sampledata"}),
)
PROJECT_MODULES = frozenset({"__init__", "__main__", "settings", "urls", "cli", "wsgi"})

# Edges that go the wrong way today and are being removed (issue 10, structure review item 1);
# each names the only modules allowed to carry it. Delete an entry once its edge is gone
# (test_known_edges_still_exist says so).
KNOWN_EDGES_TO_REMOVE: dict[tuple[str, str], frozenset[str]] = {}


@dataclass(frozen=True)
class Import:
    source: str  # module path relative to the package, e.g. "reports/build.py"
    line: int
    target: str  # dotted module name, e.g. "cicte.reports.selectors"
    in_function: bool


def _module_name(relative: Path) -> list[str]:
    parts = list(relative.with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ["cicte", *parts]


def _resolve(relative: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = _module_name(relative)
    if relative.name != "__init__.py":
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


class _Collector(ast.NodeVisitor):
    def __init__(self, relative: Path) -> None:
        self.relative = relative
        self.depth = 0
        self.found: list[Import] = []

    def _add(self, target: str, node: ast.AST) -> None:
        if target == "cicte" or target.startswith("cicte."):
            self.found.append(
                Import(self.relative.as_posix(), getattr(node, "lineno", 0), target, self.depth > 0)
            )

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.depth += 1
        self.generic_visit(node)
        self.depth -= 1

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_Lambda = visit_FunctionDef  # type: ignore[assignment]

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        # ``from cicte.x import y``: y may be a module (cicte.x.y) or a name in cicte.x; the
        # target keeps both, and readers strip names down to the nearest module.
        module = _resolve(self.relative, node)
        for alias in node.names:
            self._add(module if alias.name == "*" else f"{module}.{alias.name}", node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if (
            name == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            self._add(node.args[0].value, node)
        self.generic_visit(node)


def _parse(path: Path) -> ast.Module:
    """The module's tree. CPython 3.11 keeps the AST constructor's recursion counter in state
    shared by all threads (python/cpython#106905): a live-server thread formatting a traceback
    (which parses source for its carets) at the same moment makes ``ast.parse`` here raise a
    spurious SystemError. Parsing again is correct: the source has not changed."""
    source = path.read_text(encoding="utf-8")
    for _attempt in range(4):
        try:
            return ast.parse(source, filename=str(path))
        except SystemError:
            continue
    return ast.parse(source, filename=str(path))


def package_imports() -> list[Import]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        collector = _Collector(relative)
        collector.visit(_parse(path))
        found.extend(collector.found)
    return found


def app_of(module_parts: list[str] | tuple[str, ...]) -> str | None:
    """The app of a module path under the package (``None`` for the project modules)."""
    first = module_parts[0]
    if len(module_parts) == 1:
        first = first.removesuffix(".py")
        return None if first in PROJECT_MODULES else first
    return first


def app_graph() -> dict[tuple[str, str], list[Import]]:
    """(importing app, imported app) → the import statements behind the edge."""
    edges: dict[tuple[str, str], list[Import]] = defaultdict(list)
    for imp in package_imports():
        source = app_of(Path(imp.source).parts)
        target_parts = imp.target.split(".")[1:]
        target = app_of(target_parts) if target_parts else None
        if source is None or target is None or source == target:
            continue
        edges[(source, target)].append(imp)
    return dict(edges)


def _where(imports: list[Import]) -> str:
    places = dict.fromkeys(
        f"{i.source}:{i.line}{' (in a function)' if i.in_function else ''}" for i in imports
    )
    return ", ".join(places)


def _layer_of() -> dict[str, int]:
    return {app: index for index, layer in enumerate(LAYERS) for app in layer}


def _known(edge: tuple[str, str], imports: list[Import]) -> bool:
    allowed = KNOWN_EDGES_TO_REMOVE.get(edge)
    return allowed is not None and all(i.source in allowed for i in imports)


def test_every_app_has_a_layer():
    apps = {
        path.name for path in PACKAGE.iterdir() if path.is_dir() and (path / "__init__.py").exists()
    }
    placed = set(_layer_of())
    assert apps - placed == set(), "place the new app in LAYERS (tests/test_layers.py)"
    assert placed - apps == set(), "LAYERS names an app that does not exist"


def test_the_walker_sees_every_kind_of_import():
    """Guards the walker itself, on a module written for the purpose."""
    source = """
from typing import TYPE_CHECKING
import cicte.plan.models
from cicte.directory import countries
from cicte import delivery
from . import forms
from ..progress.types import PlanProgress
if TYPE_CHECKING:
    from cicte.accounts.permissions import Actor
def view():
    from cicte.reports.build import report_data
    return importlib.import_module("cicte.funding.models")
class Config:
    def ready(self):
        import cicte.evaluations.report
"""
    collector = _Collector(Path("assistance/views.py"))
    collector.visit(ast.parse(source))
    found = {(i.target, i.in_function) for i in collector.found}
    assert found == {
        ("cicte.plan.models", False),
        ("cicte.directory.countries", False),
        ("cicte.delivery", False),
        ("cicte.assistance.forms", False),
        ("cicte.progress.types.PlanProgress", False),
        ("cicte.accounts.permissions.Actor", False),
        ("cicte.reports.build.report_data", True),
        ("cicte.funding.models", True),
        ("cicte.evaluations.report", True),
    }
    assert app_of(("reports", "build.py")) == "reports"
    assert app_of(("urls.py",)) is None
    assert app_of(["sampledata"]) == "sampledata"


def test_core_imports_no_app():
    offending = {edge: imports for edge, imports in app_graph().items() if edge[0] == "core"}
    assert offending == {}, "core is the ground floor: " + "; ".join(
        f"core → {target}: {_where(imports)}" for (_core, target), imports in offending.items()
    )


def test_apps_import_only_lower_layers():
    layer = _layer_of()
    wrong = {
        edge: imports
        for edge, imports in app_graph().items()
        if layer[edge[1]] >= layer[edge[0]] and not _known(edge, imports)
    }
    assert wrong == {}, "imports against the layer order: " + "; ".join(
        f"{source} → {target}: {_where(imports)}" for (source, target), imports in wrong.items()
    )


def _cycles(edges: set[tuple[str, str]]) -> list[list[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in edges:
        graph[source].add(target)
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_no_cycle_between_apps():
    edges = {edge for edge, imports in app_graph().items() if not _known(edge, imports)}
    cycles = _cycles(edges)
    assert cycles == [], "cycles between apps: " + "; ".join(" → ".join(c) for c in cycles)


def _module_of(parts: list[str] | tuple[str, ...]) -> str:
    names = list(parts)
    names[-1] = names[-1].removesuffix(".py")
    if names[-1] == "__init__":
        names = names[:-1]
    return ".".join(["cicte", *names])


def test_no_cycle_between_modules():
    modules = {_module_of(p.relative_to(PACKAGE).parts) for p in PACKAGE.rglob("*.py")}
    edges = set()
    for imp in package_imports():
        target = imp.target
        while target not in modules and "." in target:  # from cicte.x import name
            target = target.rsplit(".", 1)[0]
        source = _module_of(Path(imp.source).parts)
        if target != source and target != "cicte":
            edges.add((source, target))
    assert ("cicte.reports.build", "cicte.reports.selectors") in edges  # the walker works
    cycles = _cycles(edges)
    assert cycles == [], "cycles between modules: " + "; ".join(" → ".join(c) for c in cycles)


def test_cycle_detection_works():
    assert _cycles({("a", "b"), ("b", "c"), ("c", "a")}) == [["a", "b", "c", "a"]]
    assert _cycles({("a", "b"), ("b", "c"), ("a", "c")}) == []


def test_known_edges_still_exist():
    """An entry of KNOWN_EDGES_TO_REMOVE whose edge is gone must be deleted from the list."""
    edges = app_graph()
    stale = [edge for edge in KNOWN_EDGES_TO_REMOVE if edge not in edges]
    assert stale == [], f"remove {stale} from KNOWN_EDGES_TO_REMOVE: the edge is gone"


TEMPLATE_DEPENDENCY = re.compile(
    r"{%\s*(?:url\s+['\"][\w-]+:|include\s|extends\s|load\s+(?!(?:i18n|static|l10n|tz|"
    r"humanize|django_htmx|partials)\b))"
)


def test_core_templates_name_no_app():
    templates = [p for p in (PACKAGE / "core").rglob("*") if p.suffix in {".html", ".txt"}]
    offending = [
        f"{p.relative_to(PACKAGE)}: {m.group(0)}"
        for p in templates
        for m in TEMPLATE_DEPENDENCY.finditer(p.read_text(encoding="utf-8"))
    ]
    assert offending == []
    assert not (PACKAGE / "core" / "templatetags").exists()
