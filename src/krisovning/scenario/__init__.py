"""Scenario files: the model, safe YAML loading with positions, the JSON Schema."""

from krisovning.scenario.loader import load_scenario, load_scenario_bytes
from krisovning.scenario.model import Scenario
from krisovning.scenario.problems import Problem, ScenarioError
from krisovning.scenario.schema import scenario_schema

__all__ = ["Problem", "Scenario", "ScenarioError", "load_scenario", "load_scenario_bytes", "scenario_schema"]
