"""safetycheck: home fall-safety walkthrough, explainable fall-risk score and action plan."""

__version__ = "0.1.0"
