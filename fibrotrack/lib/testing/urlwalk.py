"""Every URL pattern the project serves, listed from the resolver (for the probes in tests)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    key: str  # "namespace:name" for a named pattern, else the full route
    route: str  # the full route, e.g. "diary/day/<str:day>/"
    name: str | None  # the name to reverse(), with namespaces, when there is one


def all_routes() -> list[Route]:
    """Walk the root resolver recursively, namespaces and prefixes included."""
    found: list[Route] = []

    def walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}{entry.namespace}:"
                walk(entry.url_patterns, route, ns)
            else:
                name = f"{namespace}{entry.name}" if entry.name else None
                found.append(Route(key=name or route, route=route, name=name))

    walk(get_resolver().url_patterns, "", "")
    return found
