"""Analysis of a route: overflight, the independent check, time/fuel/CO2, wind, diversion, polar exposure."""
