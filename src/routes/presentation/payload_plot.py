"""The payload-range diagram of a type, with mission routes marked (draws `routes.analysis.payload` results)."""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from routes.analysis.payload import PayloadRange


def plot_payload_range(
    diagram: PayloadRange,
    missions: Mapping[str, float] | None = None,
    ax: Axes | None = None,
    color: str = "tab:blue",
) -> Axes:
    """Draw a payload-range diagram and mark mission distances on it.

    Parameters
    ----------
    diagram : PayloadRange
        From `routes.analysis.payload.payload_range`.
    missions : mapping of label to distance (km), optional
        Routes to mark (e.g. ``{"SVO-LAX europe-canada-closed": 10473.9}``): a vertical line at each
        distance, labelled with the payload the diagram allows there (still air).
    ax : matplotlib Axes, optional
        Drawn on when given; otherwise a new figure is made.
    color : str

    Returns
    -------
    matplotlib.axes.Axes
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 5))
    km, kg = diagram.curve
    ax.plot(km, kg / 1000.0, color=color, lw=2, label=f"{diagram.aircraft} (still air)")
    for corner in diagram.corners:
        ax.plot(corner.range_km, corner.payload_kg / 1000.0, "o", color=color)
        ax.annotate(
            f"{corner.name}\n{corner.range_km:,.0f} km, {corner.payload_kg / 1000:.1f} t",
            (corner.range_km, corner.payload_kg / 1000.0),
            textcoords="offset points",
            xytext=(4, 4),
            fontsize=8,
        )
    for i, (label, distance_km) in enumerate((missions or {}).items()):
        payload_t = diagram.payload_at_kg(distance_km) / 1000.0
        ax.axvline(distance_km, color="0.5", ls="--", lw=0.8)
        ax.annotate(
            f"{label}\n{payload_t:.1f} t",
            (distance_km, payload_t),
            textcoords="offset points",
            xytext=(-4, -14 - 12 * (i % 3)),
            ha="right",
            fontsize=7,
            color="0.3",
        )
    ax.set_xlabel("range (km, still air)")
    ax.set_ylabel("payload (t)")
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.set_title(f"Payload-range, {diagram.aircraft} (pax {diagram.pax_mass_kg:g} kg each)")
    ax.legend(loc="lower left", fontsize=8)
    return ax
