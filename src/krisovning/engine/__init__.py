"""The drill engine: a deterministic SimPy simulation. No I/O, no UI."""

from krisovning.engine.actions import Action, ActionRefused
from krisovning.engine.drill import ENGINE_VERSION, Drill
from krisovning.engine.events import Event, digest_of

__all__ = ["ENGINE_VERSION", "Action", "ActionRefused", "Drill", "Event", "digest_of"]
