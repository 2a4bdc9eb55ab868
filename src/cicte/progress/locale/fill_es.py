"""Fill the Spanish catalog of the progress app (run after makemessages; idempotent).

Usage: .venv/bin/python src/cicte/progress/locale/fill_es.py
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent / "es/LC_MESSAGES/django.po"

ES: dict[str, str | tuple[str, ...]] = {
    "Plan": "Plan",
    "Period": "Período",
    "2012, 2012-H1, 2012-Q3 or 2012-01-01..2012-03-31": (
        "2012, 2012-H1, 2012-Q3 o 2012-01-01..2012-03-31"
    ),
    "Work area": "Área de trabajo",
    "Program": "Programa",
    "Member state": "Estado miembro",
    "All": "Todos",
    "Funding to be identified": "Financiamiento por identificar",
    "Qualitative": "Cualitativa",
    "No numeric target": "Sin meta numérica",
    "Progress of %(code)s": "Avance de %(code)s",
    "%(delivered)s of %(quantity)s (%(pct)s %%)": "%(delivered)s de %(quantity)s (%(pct)s %%)",
    "Ends": "Termina",
    "Event": "Evento",
    "Status": "Estado",
    "Where": "Dónde",
    "Targets": "Metas",
    "Participants": "Participantes",
    "Women": "Mujeres",
    "Men": "Hombres",
    "For:": "Para:",
    "Achieved": "Alcanzada",
    "On track": "En curso",
    "Behind": "Atrasada",
    "Not started": "Sin iniciar",
    "Progress dashboard": "Panel de avance",
    "No work plan has been imported yet.": "Todavía no se ha importado ningún plan de trabajo.",
    "Show": "Mostrar",
    "Reset": "Restablecer",
    "Period %(label)s (%(start)s to %(end)s)": "Período %(label)s (%(start)s a %(end)s)",
    "events for %(code)s only": "solo eventos para %(code)s",
    "Summary": "Resumen",
    "events held": "eventos realizados",
    "member states reached (beneficiary or host)": (
        "Estados miembros alcanzados (beneficiarios o sede)"
    ),
    "participants: %(women)s women, %(men)s men": (
        "participantes: %(women)s mujeres, %(men)s hombres"
    ),
    "targets achieved (%(n)s of %(total)s numeric)": (
        "metas alcanzadas (%(n)s de %(total)s numéricas)"
    ),
    "targets on track (%(n)s of %(total)s numeric)": (
        "metas en curso (%(n)s de %(total)s numéricas)"
    ),
    "events planned or confirmed": "eventos previstos o confirmados",
    "Whole plan": "Todo el plan",
    "On track = delivered share at least the share of the plan year elapsed at the end of "
    "the period (%(expected)s).": (
        "En curso = proporción entregada al menos igual a la proporción del año del plan "
        "transcurrida al final del período (%(expected)s)."
    ),
    "Not counted in percentages: %(q)s qualitative targets, %(u)s targets whose funding is "
    "to be identified.": (
        "No se cuentan en los porcentajes: %(q)s metas cualitativas, %(u)s metas cuyo "
        "financiamiento está por identificar."
    ),
    "Delivered share of each work area's numeric targets": (
        "Proporción entregada de las metas numéricas de cada área de trabajo"
    ),
    "Bars: delivered ÷ quantity of numeric targets per work area (capped at the end of the "
    "track). Vertical line: the share of the year elapsed.": (
        "Barras: entregado ÷ cantidad de las metas numéricas por área de trabajo (limitadas "
        "al final de la pista). Línea vertical: la proporción del año transcurrida."
    ),
    "What is behind": "Lo que está atrasado",
    "Target": "Meta",
    "Progress": "Avance",
    "Planned": "Previsto",
    "No numeric target is behind in this period.": (
        "Ninguna meta numérica está atrasada en este período."
    ),
    "Planned but not held": "Previsto pero no realizado",
    "Events planned, confirmed or postponed that end in the period": (
        "Eventos previstos, confirmados o aplazados que terminan en el período"
    ),
    "No planned event ends in this period.": "Ningún evento previsto termina en este período.",
    "Progress by target": "Avance por meta",
    "%(n)s event held": (
        "%(n)s evento realizado",
        "%(n)s eventos realizados",
        "%(n)s eventos realizados",
    ),
    "+%(n)s planned": "+%(n)s previstos",
    "No target matches these filters.": "Ninguna meta coincide con estos filtros.",
    "By member state": "Por Estado miembro",
    "Held events in the period where the state is a beneficiary or the host; participants "
    "from the per-country figures.": (
        "Eventos realizados en el período en los que el Estado es beneficiario o sede; "
        "participantes según las cifras por país."
    ),
    "Held events where the state is a beneficiary or the host; participants from the "
    "per-country figures.": (
        "Eventos realizados en los que el Estado es beneficiario o sede; participantes según "
        "las cifras por país."
    ),
    "Events held": "Eventos realizados",
    "By program": "Por programa",
    "Dashboard": "Panel",
    "Member states": "Estados miembros",
    "Delivered in %(label)s": "Entregado en %(label)s",
    "participants": "participantes",
    "women": "mujeres",
    "men": "hombres",
    "sex not stated": "sexo no indicado",
    "Events held by program": "Eventos realizados por programa",
    "No event held in this period.": "Ningún evento realizado en este período.",
    "Events": "Eventos",
    "All events of the plan ending in the period, any status.": (
        "Todos los eventos del plan que terminan en el período, en cualquier estado."
    ),
    "Events of this member state": "Eventos de este Estado miembro",
    "No event in this period.": "Ningún evento en este período.",
    "Target %(code)s": "Meta %(code)s",
    "Project": "Proyecto",
    "Progress in %(label)s": "Avance en %(label)s",
    "Delivered": "Entregado",
    "Planned or confirmed (not yet held)": "Previsto o confirmado (aún no realizado)",
    "Expected by the end of the period to be on track": (
        "Esperado al final del período para ir en curso"
    ),
    "Events counting toward this target": "Eventos que cuentan para esta meta",
    "All events, any status and any date.": "Todos los eventos, en cualquier estado y fecha.",
    "No event counts toward this target yet.": "Todavía ningún evento cuenta para esta meta.",
    "of": "de",
    "Area %(number)s": "Área %(number)s",
    "Reports": "Informes",
    "Workspace": "Espacio de trabajo",
    "Showing the %(shown)s that end soonest of %(total)s.": (
        "Se muestran los %(shown)s que terminan antes, de %(total)s."
    ),
    "All events": "Todos los eventos",
}


def main() -> None:
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="es")
    for key in ("Reports", "Workspace"):  # used by site/workspace_nav.html
        catalog.obsolete.pop(key, None)
        if key not in catalog:
            catalog.add(key, locations=[("site/templates/site/workspace_nav.html", 0)])
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = str(message.id[0]) if isinstance(message.id, tuple | list) else str(message.id)
        value = ES.get(key)
        if value is None:
            missing.append(key)
            continue
        message.string = value
        message.flags.discard("fuzzy")
    with PO.open("wb") as handle:
        write_po(handle, catalog, width=100)
    if missing:
        raise SystemExit("Missing Spanish for: " + " | ".join(missing))


if __name__ == "__main__":
    main()
