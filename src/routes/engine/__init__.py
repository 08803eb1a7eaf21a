"""Shortest routes around closed airspace: obstacle preparation, gnomonic charts, visibility search."""
