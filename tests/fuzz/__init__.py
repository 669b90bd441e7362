"""Fuzzing qa's readers, text model and engine: input generators, invariants and a long-campaign runner."""
