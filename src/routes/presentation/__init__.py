"""Presentation only: maps, the report folder and the command line. Nothing is computed here."""
