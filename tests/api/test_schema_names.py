"""django-ninja names an OpenAPI component after its Schema class: two modules defining the
same class name silently share one component, and the committed document then describes one
of the two operations wrongly (``RequestOut`` of the roster and of the assistance API did)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections import defaultdict

from ninja import Schema

import cicte.api


def test_no_two_api_modules_define_a_schema_of_the_same_name():
    defined: dict[str, set[str]] = defaultdict(set)
    for info in pkgutil.iter_modules(cicte.api.__path__):
        module = importlib.import_module(f"cicte.api.{info.name}")
        for value in vars(module).values():
            if (
                inspect.isclass(value)
                and issubclass(value, Schema)
                and value.__module__ == module.__name__
            ):
                defined[value.__name__].add(module.__name__)
    clashes = {name: sorted(mods) for name, mods in defined.items() if len(mods) > 1}
    assert clashes == {}, clashes
