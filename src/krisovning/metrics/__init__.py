"""Figures derived from a drill's event stream: objectives, response times, pressure."""
