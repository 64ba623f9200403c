"""Pure domain: checklist, answers, risk model and action plan (standard library only)."""
