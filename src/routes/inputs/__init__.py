"""Inputs: airports, sovereign-airspace data, closure scenarios and their closed airspace."""
