"""Use cases: the only way the UI and the command line reach the model and, later, storage."""
