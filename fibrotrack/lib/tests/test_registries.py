"""lib's demo and reference-data registries: filled by the apps, in the apps' order."""

from __future__ import annotations

from fibrotrack.lib import demo, reference


def test_every_app_registers_its_demo_builder_in_installed_apps_order():
    # Apps build on the ones before them: trials use the treatments' regimens.
    assert [b.__module__ for b in demo.builders()] == [
        "fibrotrack.diary.demo",
        "fibrotrack.treatments.demo",
        "fibrotrack.community.demo",
        "fibrotrack.trials.demo",
    ]


def test_every_app_registers_its_reference_data_loader():
    assert [load.__module__ for load in reference.loaders()] == [
        "fibrotrack.diary.reference",
        "fibrotrack.treatments.catalogue",
        "fibrotrack.community.reference",
        "fibrotrack.knowledge.articles",
    ]


def test_registering_twice_runs_once(monkeypatch):
    monkeypatch.setattr(reference, "_LOADERS", {})

    def load() -> int:
        return 3

    reference.register(load)
    reference.register(load)
    assert reference.load_all() == {__name__: 3}
