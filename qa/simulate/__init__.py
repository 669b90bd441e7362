"""Simulated damage over clean English: seeded spinning, pronoun flips, broken boundaries, split numbers, labelled."""
