"""Data package: checklist content, risk-model parameters, fonts and translations (no code)."""
