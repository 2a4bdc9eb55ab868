"""The canonical JSON / YAML form of a Work Plan, and loading plan files of any format.

``plan_to_dict`` / ``plan_from_dict`` convert between ``PlanDocument`` and plain data
(validated against ``plan.schema.json``, JSON Schema draft 2020-12) losslessly;
``dumps_*`` / ``loads_*`` add the JSON and YAML syntax; ``load_plan_file`` and
``load_plan_bytes`` read a file in the text layout, JSON or YAML, refusing binary and
non-UTF-8 content. Every failure is a ``PlanParseError`` (with a line number when the
syntax is at fault, with a JSON path such as ``work_areas[0].programs[1].code`` when the
data is). The format is described in docs/data-formats.md.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

import jsonschema
import yaml

from cicte.core.bounds import (
    INT_MAX,
    MAX_NESTING,
    SMALLINT_MAX,
    integer_problem,
    nesting_depth_exceeded,
)

from .text import parse_plan_text
from .types import (
    MandateClauseData,
    MandateSourceData,
    ParseResult,
    PartnerData,
    PlanDocument,
    PlanParseError,
    ProgramData,
    ProjectData,
    SubparagraphData,
    TargetData,
    WorkAreaData,
)

FORMAT_VERSION = 1
SCHEMA_RESOURCE = "plan.schema.json"
TEXT_SUFFIXES = frozenset({".txt", ".text"})
JSON_SUFFIXES = frozenset({".json"})
YAML_SUFFIXES = frozenset({".yaml", ".yml"})

JsonDict = dict[str, Any]


@cache
def plan_schema() -> JsonDict:
    """The JSON Schema of the canonical format (package data, loaded once)."""
    text = resources.files(__package__).joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    return cast(JsonDict, json.loads(text))


@cache
def _validator() -> jsonschema.protocols.Validator:
    schema = plan_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return cast(
        jsonschema.protocols.Validator,
        validator_class(schema, format_checker=validator_class.FORMAT_CHECKER),
    )


# --- PlanDocument -> plain data ---------------------------------------------------------


def plan_to_dict(plan: PlanDocument) -> JsonDict:
    """Plain data (JSON types only) in the canonical key order."""
    return {
        "format_version": FORMAT_VERSION,
        "symbol": plan.symbol,
        "year": plan.year,
        "title": plan.title,
        "series": plan.series,
        "session": plan.session,
        "session_date": _date_to_str(plan.session_date),
        "place": plan.place,
        "approval_date": _date_to_str(plan.approval_date),
        "issue_date": _date_to_str(plan.issue_date),
        "original_language": plan.original_language,
        "preamble": plan.preamble,
        "mandates": [_mandate_to_dict(source) for source in plan.mandates],
        "work_areas": [_work_area_to_dict(work_area) for work_area in plan.work_areas],
        "partners": [_partner_to_dict(partner) for partner in plan.partners],
    }


def _date_to_str(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _mandate_to_dict(source: MandateSourceData) -> JsonDict:
    return {
        "kind": source.kind,
        "symbol": source.symbol,
        "title": source.title,
        "clauses": [_clause_to_dict(clause) for clause in source.clauses],
    }


def _clause_to_dict(clause: MandateClauseData) -> JsonDict:
    return {
        "paragraph": clause.paragraph,
        "text": clause.text,
        "subparagraphs": [
            {"letter": sub.letter, "text": sub.text, "relevant": sub.relevant}
            for sub in clause.subparagraphs
        ],
        "implemented_by": list(clause.implemented_by),
    }


def _work_area_to_dict(work_area: WorkAreaData) -> JsonDict:
    return {
        "number": work_area.number,
        "title": work_area.title,
        "programs": [_program_to_dict(program) for program in work_area.programs],
    }


def _program_to_dict(program: ProgramData) -> JsonDict:
    return {
        "letter": program.letter,
        "code": program.code,
        "title": program.title,
        "projects": [_project_to_dict(project) for project in program.projects],
    }


def _project_to_dict(project: ProjectData) -> JsonDict:
    return {
        "number": project.number,
        "code": project.code,
        "title": project.title,
        "targets": [
            {
                "code": target.code,
                "quantity": target.quantity,
                "unit": target.unit,
                "text": target.text,
                "funding": target.funding,
            }
            for target in project.targets
        ],
    }


def _partner_to_dict(partner: PartnerData) -> JsonDict:
    return {
        "name": partner.name,
        "acronym": partner.acronym,
        "group": partner.group,
        "parent": partner.parent,
        "units": list(partner.units),
    }


# --- plain data -> PlanDocument ---------------------------------------------------------


def plan_from_dict(data: Mapping[str, Any]) -> PlanDocument:
    """Validate ``data`` against the schema, then build the ``PlanDocument``.

    Raises ``PlanParseError`` naming the JSON path of the first problem found: a schema
    violation, an impossible date, a code used twice, or a link to an unknown code.
    """
    if not isinstance(data, Mapping):
        raise PlanParseError(f"a plan must be a mapping (JSON object), not {type(data).__name__}")
    _validate(data)
    plan = PlanDocument(
        symbol=data["symbol"],
        year=data["year"],
        title=data["title"],
        series=data.get("series", ""),
        session=data.get("session", ""),
        session_date=_date_from_str(data, "session_date"),
        place=data.get("place", ""),
        approval_date=_date_from_str(data, "approval_date"),
        issue_date=_date_from_str(data, "issue_date"),
        original_language=data.get("original_language", "en"),
        preamble=data.get("preamble", ""),
        mandates=[_mandate_from_dict(item) for item in data["mandates"]],
        work_areas=[_work_area_from_dict(item) for item in data["work_areas"]],
        partners=[_partner_from_dict(item) for item in data["partners"]],
    )
    _check_codes(data)
    return plan


def _validate(data: Mapping[str, Any]) -> None:
    errors = list(_validator().iter_errors(data))
    if not errors:
        return
    error = _most_specific(jsonschema.exceptions.best_match(errors))
    raise PlanParseError(f"{json_path(error.absolute_path)}: {error.message}")


def _most_specific(error: jsonschema.ValidationError | None) -> jsonschema.ValidationError:
    """Look inside "anyOf [X, null]": report why the value is not an X."""
    assert error is not None
    while error.context:
        not_null = [sub for sub in error.context if sub.schema.get("type") != "null"]
        best = jsonschema.exceptions.best_match(not_null or error.context)
        assert best is not None
        error = best
    return error


def json_path(parts: Sequence[str | int] | Iterator[str | int]) -> str:
    """``["work_areas", 0, "title"]`` -> ``"work_areas[0].title"``; ``[]`` -> ``"(top level)"``."""
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(top level)"


def _date_from_str(data: Mapping[str, Any], key: str) -> dt.date | None:
    value = data.get(key)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise PlanParseError(f"{key}: {value!r} is not a valid date ({error})") from error


def _mandate_from_dict(data: Mapping[str, Any]) -> MandateSourceData:
    return MandateSourceData(
        kind=data["kind"],
        symbol=data["symbol"],
        title=data["title"],
        clauses=[
            MandateClauseData(
                paragraph=clause["paragraph"],
                text=clause["text"],
                subparagraphs=[
                    SubparagraphData(sub["letter"], sub["text"], sub.get("relevant", True))
                    for sub in clause.get("subparagraphs", [])
                ],
                implemented_by=list(clause.get("implemented_by", [])),
            )
            for clause in data["clauses"]
        ],
    )


def _work_area_from_dict(data: Mapping[str, Any]) -> WorkAreaData:
    return WorkAreaData(
        number=data["number"],
        title=data["title"],
        programs=[
            ProgramData(
                code=program["code"],
                letter=program["letter"],
                title=program["title"],
                projects=[_project_from_dict(project) for project in program["projects"]],
            )
            for program in data["programs"]
        ],
    )


def _project_from_dict(data: Mapping[str, Any]) -> ProjectData:
    return ProjectData(
        code=data["code"],
        number=data["number"],
        title=data["title"],
        targets=[
            TargetData(
                code=target["code"],
                quantity=target["quantity"],
                unit=target["unit"],
                text=target["text"],
                funding=target.get("funding", "identified"),
            )
            for target in data["targets"]
        ],
    )


def _partner_from_dict(data: Mapping[str, Any]) -> PartnerData:
    return PartnerData(
        name=data["name"],
        acronym=data.get("acronym"),
        group=data["group"],
        parent=data.get("parent"),
        units=list(data.get("units", [])),
    )


def _coded_items(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(JSON path, code) of every program, project and target, in document order."""
    for w, work_area in enumerate(data["work_areas"]):
        for p, program in enumerate(work_area["programs"]):
            program_path = f"work_areas[{w}].programs[{p}]"
            yield f"{program_path}.code", program["code"]
            for j, project in enumerate(program["projects"]):
                project_path = f"{program_path}.projects[{j}]"
                yield f"{project_path}.code", project["code"]
                for t, target in enumerate(project["targets"]):
                    yield f"{project_path}.targets[{t}].code", target["code"]


def _check_codes(data: Mapping[str, Any]) -> None:
    """Codes are unique in the plan; links point at program or project codes of the plan."""
    seen: dict[str, str] = {}
    for path, code in _coded_items(data):
        if code in seen:
            raise PlanParseError(f"{path}: duplicate code {code!r} (already used at {seen[code]})")
        seen[code] = path
    linkable = {code for code, path in seen.items() if ".targets[" not in path}
    for m, source in enumerate(data["mandates"]):
        for c, clause in enumerate(source["clauses"]):
            for i, code in enumerate(clause.get("implemented_by", [])):
                if code not in linkable:
                    raise PlanParseError(
                        f"mandates[{m}].clauses[{c}].implemented_by[{i}]: {code!r} is not "
                        "the code of a program or project of this plan"
                    )


# --- JSON and YAML syntax ---------------------------------------------------------------


def dumps_json(plan: PlanDocument) -> str:
    """Canonical JSON: 2-space indent, UTF-8 characters as such, fixed key order, final newline."""
    return json.dumps(plan_to_dict(plan), indent=2, ensure_ascii=False) + "\n"


class _PlanDumper(yaml.SafeDumper):
    """SafeDumper that keeps every string intact (see ``_represent_str``)."""


# Characters a YAML reader folds or normalizes as line breaks unless they are escaped.
_YAML_LINE_BREAKS = re.compile("[\r\x85\u2028\u2029]")


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = '"' if _YAML_LINE_BREAKS.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_PlanDumper.add_representer(str, _represent_str)


def dumps_yaml(plan: PlanDocument) -> str:
    """The same data as YAML (block style, keys in canonical order).

    Equivalent to ``yaml.safe_dump(..., allow_unicode=True, sort_keys=False)``, except that
    strings holding a carriage return or a Unicode line separator are double-quoted so
    that they read back unchanged.
    """
    return yaml.dump(
        plan_to_dict(plan), Dumper=_PlanDumper, allow_unicode=True, sort_keys=False, width=100
    )


def loads_json(text: str) -> PlanDocument:
    """Read canonical JSON; syntax errors carry the line number."""
    deep = nesting_depth_exceeded(text)
    if deep is not None:
        raise PlanParseError(_TOO_DEEP, line=deep)
    try:
        data = json.loads(text, object_pairs_hook=_reject_duplicate_keys)
    except json.JSONDecodeError as error:
        raise PlanParseError(f"invalid JSON: {error.msg}", line=error.lineno) from error
    return plan_from_dict(_top_level_mapping(data, "JSON"))


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> JsonDict:
    result: JsonDict = {}
    for key, value in pairs:
        if key in result:
            raise PlanParseError(f"invalid JSON: key {key!r} appears twice in one object")
        result[key] = value
    return result


def loads_yaml(text: str) -> PlanDocument:
    """Read canonical YAML; syntax errors carry the line number; aliases are refused."""
    try:
        _refuse_aliases(text)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or error.context or "syntax error"
        raise PlanParseError(f"invalid YAML: {problem}", line=line) from error
    except yaml.YAMLError as error:
        raise PlanParseError(f"invalid YAML: {error}") from error
    mapping = _top_level_mapping(data, "YAML")
    return plan_from_dict(_dates_as_strings(mapping))


_TOO_DEEP = f"the document is nested more than {MAX_NESTING} levels deep"


def _refuse_aliases(text: str) -> None:
    """Aliases (``*name``) could expand a small file into a huge structure, and deep nesting
    would exhaust the recursive composer: both are refused from the (iterative) event stream."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent):
            raise PlanParseError("YAML aliases (*name) are not allowed in plan files", line=line)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                raise PlanParseError(_TOO_DEEP, line=line)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _top_level_mapping(data: object, syntax: str) -> JsonDict:
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        raise PlanParseError(
            f"the {syntax} document must be a mapping (object) at the top level, not {kind}",
            line=1,
        )
    return data


def _dates_as_strings(data: JsonDict) -> JsonDict:
    """YAML reads an unquoted 2012-03-07 as a date; the schema wants the ISO string."""
    converted = dict(data)
    for key in ("session_date", "approval_date", "issue_date"):
        value = converted.get(key)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            converted[key] = value.isoformat()
    return converted


# --- files ------------------------------------------------------------------------------


def load_plan_file(path: str | Path) -> ParseResult:
    """Read a plan file: ``.txt`` text layout, ``.json`` or ``.yaml`` / ``.yml``."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PlanParseError(f"cannot read {path}: {error.strerror or error}") from error
    return load_plan_bytes(data, filename=path.name)


def load_plan_bytes(data: bytes, *, filename: str) -> ParseResult:
    """Read plan content (e.g. an upload); ``filename`` only selects the format."""
    suffix = Path(filename).suffix.lower()
    if suffix not in TEXT_SUFFIXES | JSON_SUFFIXES | YAML_SUFFIXES:
        raise PlanParseError(
            f"unsupported plan file type {suffix or '(none)'!r}: use .txt, .json, .yaml or .yml"
        )
    text = decode_text(data)
    if suffix in TEXT_SUFFIXES:
        result = parse_plan_text(text)
        check_bounds(result.plan)  # JSON and YAML are bounded by the schema
        return result
    if suffix in JSON_SUFFIXES:
        return ParseResult(plan=loads_json(text))
    return ParseResult(plan=loads_yaml(text))


def check_bounds(plan: PlanDocument) -> None:
    """Numbers the database stores (``cicte.core.bounds``): work area and project numbers
    (small integers), target quantities (integers). ``PlanParseError`` names the first."""
    for work_area in plan.work_areas:
        checks: list[tuple[str, int | None, int]] = [
            (f"work area {work_area.number}: number", work_area.number, SMALLINT_MAX)
        ]
        for program in work_area.programs:
            for project in program.projects:
                checks.append((f"project {project.code}: number", project.number, SMALLINT_MAX))
                checks.extend(
                    (f"target {t.code}: quantity", t.quantity, INT_MAX) for t in project.targets
                )
        for field, value, maximum in checks:
            problem = (
                None if value is None else integer_problem(value, field=field, maximum=maximum)
            )
            if problem is not None:
                raise PlanParseError(problem)


def decode_text(data: bytes) -> str:
    """UTF-8 text (an initial byte-order mark is dropped); refuse binary and other encodings."""
    nul = data.find(b"\x00")
    if nul >= 0:
        raise PlanParseError(
            "binary content (NUL byte): a plan file must be UTF-8 text",
            line=data.count(b"\n", 0, nul) + 1,
        )
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        return data[start:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = start + error.start
        raise PlanParseError(
            f"not UTF-8 text: byte 0x{data[offset]:02x} cannot be decoded (save the file as UTF-8)",
            line=data.count(b"\n", 0, offset) + 1,
        ) from error
