"""The major-events network (a community of the sharing layer: its members read GREEN
documents and lessons) and the planning checklist per event type.

The checklist follows the areas of the IPO Security Planning Model (UNICRI and OAS-CICTE,
2007: "a common standard covering the main elements of the planning process"): a common
core for every major event, then items proper to each type. Editable in the admin; a host
team copies the list of its event's type into its workspace."""

from django.db import migrations

COMMON = [
    ("coordination", "Designate the lead security agency and a single command structure",
     "Designar la agencia líder de seguridad y una estructura de mando única"),
    ("coordination", "Set up the inter-agency security planning committee and its calendar",
     "Constituir el comité interinstitucional de planificación de la seguridad y su calendario"),
    ("legal", "Review the legal framework (special powers, restricted zones, foreign officers)",
     "Revisar el marco jurídico (facultades especiales, zonas restringidas, agentes extranjeros)"),
    ("risk", "Carry out the threat and risk assessment and keep it up to date",
     "Realizar la evaluación de amenazas y riesgos y mantenerla actualizada"),
    ("intelligence", "Agree the information-sharing arrangements with partner states",
     "Acordar los mecanismos de intercambio de información con los Estados asociados"),
    ("venues", "Survey every venue and define its perimeters and access control",
     "Inspeccionar cada sede y definir sus perímetros y el control de acceso"),
    ("transport", "Plan transport routes, traffic management and alternatives",
     "Planificar rutas de transporte, gestión del tránsito y alternativas"),
    ("cyber", "Protect critical information infrastructure and set up incident response",
     "Proteger la infraestructura crítica de información y organizar la respuesta a incidentes"),
    ("emergency", "Prepare the emergency, medical and evacuation plans",
     "Preparar los planes de emergencia, atención médica y evacuación"),
    ("media", "Prepare public information and crisis communication",
     "Preparar la información pública y la comunicación de crisis"),
    ("training", "Train the personnel and run a tabletop and a field exercise",
     "Capacitar al personal y realizar un ejercicio de mesa y uno de campo"),
    ("legacy", "Hold the after-action review and publish the lessons learned",
     "Realizar la revisión posterior a la acción y publicar las lecciones aprendidas"),
]

SPECIFIC = {
    "summit": [
        ("protection", "Plan the protection of heads of delegation and their movements",
         "Planificar la protección de los jefes de delegación y sus desplazamientos"),
        ("venues", "Accredit delegations, media and staff",
         "Acreditar a las delegaciones, los medios y el personal"),
    ],
    "sports": [
        ("venues", "Plan crowd management, ticketing and spectator screening",
         "Planificar la gestión de multitudes, la venta de entradas y el control de espectadores"),
        ("protection", "Protect teams, officials and their accommodation",
         "Proteger a los equipos, los oficiales y su alojamiento"),
    ],
    "cultural": [
        ("venues", "Plan crowd management for open public spaces",
         "Planificar la gestión de multitudes en espacios públicos abiertos"),
        ("media", "Coordinate with organisers and artists on public messages",
         "Coordinar con organizadores y artistas los mensajes al público"),
    ],
    "religious": [
        ("venues", "Plan the protection of places of worship and processions",
         "Planificar la protección de los lugares de culto y las procesiones"),
        ("emergency", "Prepare health services for pilgrims and large crowds",
         "Preparar los servicios de salud para peregrinos y grandes multitudes"),
    ],
    "tourism": [
        ("intelligence", "Coordinate with the tourism sector, hotels and cruise terminals",
         "Coordinar con el sector turístico, los hoteles y las terminales de cruceros"),
        ("emergency", "Prepare assistance to foreign visitors (consular liaison)",
         "Preparar la asistencia a visitantes extranjeros (enlace consular)"),
    ],
}


def forward(apps, schema_editor):
    Community = apps.get_model("sharing", "Community")
    Community.objects.get_or_create(
        slug="major-events",
        defaults={
            "name": "Major events security network (IPO Americas)",
            "kind": "stakeholder",
            "description": (
                "National focal points and planners of the security of major events: "
                "the community of the knowledge management system (3.B.2)."
            ),
            "default_tlp": "green",
            "policy": "approval",
        },
    )
    Item = apps.get_model("knowledge", "ChecklistItem")
    for kind, extra in SPECIFIC.items():
        for position, (area, en, es) in enumerate(COMMON + extra, start=1):
            Item.objects.get_or_create(
                event_kind=kind,
                position=position,
                defaults={"area": area, "text_en": en, "text_es": es},
            )


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial"), ("sharing", "0001_initial")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
