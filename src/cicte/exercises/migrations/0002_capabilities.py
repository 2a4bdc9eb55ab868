"""The configurable list of capabilities starts with the HSEEP core capabilities most used
in crisis-management exercises, and cyber ones (editable in the admin)."""

from django.db import migrations

CAPABILITIES = [
    ("planning", "Planning", "Planificación", "All"),
    ("public-information", "Public Information and Warning", "Información pública y alerta", "All"),
    ("operational-coordination", "Operational Coordination", "Coordinación operativa", "All"),
    (
        "intelligence-sharing",
        "Intelligence and Information Sharing",
        "Inteligencia e intercambio de información",
        "Prevention/Protection",
    ),
    (
        "screening-search-detection",
        "Screening, Search, and Detection",
        "Inspección, búsqueda y detección",
        "Prevention/Protection",
    ),
    (
        "access-control",
        "Access Control and Identity Verification",
        "Control de acceso y verificación de identidad",
        "Protection",
    ),
    (
        "physical-protective-measures",
        "Physical Protective Measures",
        "Medidas de protección física",
        "Protection",
    ),
    (
        "risk-management",
        "Risk Management for Protection Programs",
        "Gestión de riesgos para programas de protección",
        "Protection",
    ),
    (
        "supply-chain-integrity",
        "Supply Chain Integrity and Security",
        "Integridad y seguridad de la cadena de suministro",
        "Protection",
    ),
    ("cybersecurity", "Cybersecurity", "Ciberseguridad", "Protection"),
    (
        "operational-communications",
        "Operational Communications",
        "Comunicaciones operativas",
        "Response",
    ),
    (
        "on-scene-security",
        "On-scene Security, Protection, and Law Enforcement",
        "Seguridad en el lugar, protección y aplicación de la ley",
        "Response",
    ),
    (
        "environmental-response",
        "Environmental Response/Health and Safety",
        "Respuesta ambiental / salud y seguridad",
        "Response",
    ),
    ("mass-care", "Mass Care Services", "Servicios de atención masiva", "Response"),
    (
        "infrastructure-systems",
        "Infrastructure Systems",
        "Sistemas de infraestructura",
        "Response/Recovery",
    ),
    (
        "incident-response",
        "Cyber Incident Response",
        "Respuesta a incidentes cibernéticos",
        "Response",
    ),
    (
        "incident-coordination",
        "National and International Incident Coordination",
        "Coordinación nacional e internacional de incidentes",
        "Response",
    ),
    ("crisis-communication", "Crisis Communication", "Comunicación de crisis", "Response"),
]


def forward(apps, schema_editor):
    Capability = apps.get_model("exercises", "Capability")
    for code, name, name_es, area in CAPABILITIES:
        Capability.objects.get_or_create(
            code=code, defaults={"name": name, "name_es": name_es, "mission_area": area}
        )


class Migration(migrations.Migration):
    dependencies = [("exercises", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
