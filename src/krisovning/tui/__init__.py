"""The drill UI (Textual). Only this package imports Textual."""
