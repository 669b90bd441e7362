"""Learned detectors: models and tables fitted to real annotated MT English."""
