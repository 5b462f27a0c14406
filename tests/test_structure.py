"""The layers hold: no app imports upward or sideways, no cycle between the parts, no source file over 500 lines."""

from __future__ import annotations

from tests import structure
from tests.structure import Import


def test_no_import_runs_against_the_layers():
    assert [f"{i.source} imports {i.module}" for i in structure.forbidden(structure.project_imports())] == []


def test_the_parts_import_each_other_in_no_cycle():
    assert structure.cycles(structure.graph(structure.project_imports())) == []


def test_no_source_file_is_over_the_limit():
    assert structure.long_files() == []


def test_imports_inside_functions_and_relative_imports_are_read():
    # network/apps.py imports its signals inside `ready`, as `from . import signals`.
    assert "network.signals" in structure.imports_of(structure.ROOT / "network" / "apps.py")
    source = (
        "import events.models\n"
        "from network import demo\n"
        "from ..models import Theme\n"
        "def later():\n"
        "    from search.selectors import search_pages\n"
    )
    found = structure.imports_in(source, package="network.templatetags")
    assert found == ["events.models", "network.demo", "network.models.Theme", "search.selectors.search_pages"]
    assert [structure.part_of(module) for module in found] == ["events", "project", "network", "search"]


def test_an_upward_import_and_a_cycle_are_caught():
    upward = Import("network/x.py", "network", "events.models", "events")
    sideways = Import("webinars/x.py", "webinars", "events.models", "events")
    into_project = Import("search/x.py", "search", "network.demo.site", "project")
    allowed = Import("search/x.py", "search", "network.models", "network")
    assert structure.forbidden([upward, sideways, into_project, allowed]) == [upward, sideways, into_project]
    assert structure.cycles(structure.graph([upward, Import("events/x.py", "events", "network", "network")])) == [
        ["events", "network", "events"]
    ]


def test_the_project_layer_is_told_apart_from_the_base_app():
    assert structure.part_of("network.settings.base") == "project"
    assert structure.part_of("network.demo.content") == "project"
    assert structure.part_of("events.management.commands.send_outbox") == "project"
    assert structure.part_of("network.models") == "network"
    assert structure.part_of("network.demographics") == "network"  # a name that only begins like the demo
    assert structure.part_of("django.db") is None
