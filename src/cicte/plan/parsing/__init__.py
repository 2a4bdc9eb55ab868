"""Pure parsers and writers for Work Plan documents (no Django imports).

Text layout (the PDF extraction) -> ``text.parse_plan_text``; canonical JSON / YAML ->
``canonical``; XLSX export -> ``xlsx.plan_to_xlsx``. All of them produce or consume the
dataclasses in ``types``. See docs/data-formats.md.
"""
