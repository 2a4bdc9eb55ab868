"""CICTE Work Plan System."""

__version__ = "0.1.0"
