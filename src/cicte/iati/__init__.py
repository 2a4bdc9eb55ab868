"""IATI 2.03 activity export of a Work Plan (see docs/iati.md)."""
