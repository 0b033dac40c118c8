"""Estimators, calibration, cut-offs, explanations and the model bundle."""
