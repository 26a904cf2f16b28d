"""Panels an app adds to a page of an app below it, which may not import it.

The page's app names a slot (``"unit_detail"``) and asks for its panels; the upper app
registers a provider for that slot when it is ready (``AppConfig.ready``). A provider
takes the page's keyword arguments and returns a ``PagePanel`` (a template and its
context) or None when it has nothing to show. The page includes each panel's template with
its context and, when a panel draws charts, the chart scripts.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class PagePanel:
    template: str
    context: dict = field(default_factory=dict)
    charts: bool = False  # draws kit.charts charts: the page loads the chart scripts


_PROVIDERS: dict[str, list[Callable[..., PagePanel | None]]] = {}


def register(slot: str, provider: Callable[..., PagePanel | None]) -> None:
    providers = _PROVIDERS.setdefault(slot, [])
    if provider not in providers:
        providers.append(provider)


def panels_for(slot: str, **page) -> list[PagePanel]:
    """The panels of ``slot`` that have something to show, in registration order."""
    return [p for provider in _PROVIDERS.get(slot, []) if (p := provider(**page)) is not None]
