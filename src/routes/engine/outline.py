"""Which corners of a chart's obstacles a shortest path can turn at: bays filled up to their hull.

A shortest path never enters a bay of the obstacles that it cannot leave by another way: if a
free region inside the convex hull of a group of obstacles opens to the outside through one gap
only (its *lid*, a piece of a hull edge) and holds neither endpoint, a path that went in would come
out through the same lid, and the straight lid between its way in and its way out is shorter and
clear (a chart's straight lines are great circles). So the shortest route around the obstacles is
the shortest route around the obstacles with such regions filled in, and only the convex corners
on the boundary of that *outline* need to be turn points (`graph.Graph` keeps the obstacles' own
corners there, with their real neighbours for the tangency test). Round Russia this leaves 61 of
3,074 corners in a chart centred on Siberia.

Exactness needs the hull of a group to be crossed by no obstacle outside the group: groups are
grown (`clusters`) until no obstacle crosses another group's hull. Regions with two or more lids
(a channel between two islands of one group) and regions holding an endpoint stay open, with their
own corners. Visibility is still tested against the real obstacles, so a route is always clear of
them whatever the outline.
"""

from __future__ import annotations

import numpy as np
import shapely

LID_MIN = 1e-9
"""Chart units (Earth radii, ~6 mm): shorter pieces of a hull's boundary are not gaps."""


def clusters(parts: list[shapely.Polygon]) -> list[list[int]]:
    """Group polygons until no polygon outside a group crosses the group's convex hull.

    A polygon lying wholly inside another group's hull does not join it (it lies in one of the
    group's regions and is filled or kept with it); one that is partly inside and partly outside
    does. Returns lists of indices into ``parts``.
    """
    parent = list(range(len(parts)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    tree = shapely.STRtree(parts)
    changed = True
    while changed:
        changed = False
        groups: dict[int, list[int]] = {}
        for i in range(len(parts)):
            groups.setdefault(root(i), []).append(i)
        for members in groups.values():
            hull = shapely.union_all([parts[i] for i in members]).convex_hull
            shapely.prepare(hull)
            for j in tree.query(hull, predicate="intersects"):
                j = int(j)
                if root(j) != root(members[0]) and not hull.contains(parts[j]):
                    parent[root(j)] = root(members[0])
                    changed = True
    groups = {}
    for i in range(len(parts)):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


class Outline:
    """The obstacles of one chart with the bays no shortest path uses filled in.

    The regions inside the hull of each group of polygons (`clusters`: a state with its bays, a
    sea closed off by a state and its islands) with one lid and no endpoint are filled.

    Parameters
    ----------
    geometry : shapely.Geometry
        Merged obstacles in chart coordinates (polygons; other parts are ignored).
    keep_open : ndarray, optional
        (k, 2) chart points (a query's endpoints) whose regions stay open.

    Attributes
    ----------
    shape : shapely.Geometry
        The outline: routes may turn only at corners on its boundary.
    fills : list of shapely.Polygon
        The areas filled in, disjoint (`filled_at` finds those holding given points).
    """

    def __init__(self, geometry: shapely.Geometry, keep_open: np.ndarray | None = None) -> None:
        parts = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon" and not p.is_empty]
        points = shapely.points(keep_open) if keep_open is not None and len(keep_open) else None
        self.fills: list[shapely.Geometry] = []
        shapes = []
        for members in clusters(parts) if parts else []:
            group = shapely.union_all([parts[i] for i in members])
            shapes.append(self._fill(group, group.convex_hull, points))
        self.shape = shapely.union_all(shapes) if shapes else shapely.Polygon()
        self._tree = shapely.STRtree(self.fills)

    def _fill(self, shape: shapely.Geometry, hull: shapely.Geometry, points) -> shapely.Geometry:
        """``shape`` with the regions of ``hull`` it leaves free filled, except those with two or
        more lids and those holding a point."""
        kept, filled = [], []
        for region, lids in _regions(shape, hull):
            shut = lids <= 1 and not (points is not None and shapely.intersects(region, points).any())
            (filled if shut else kept).append(region)
        self.fills.extend(filled)
        if not kept:
            return hull
        return hull.difference(shapely.union_all(kept))

    def filled_at(self, xy: np.ndarray) -> frozenset:
        """Indices of the filled areas (`fills`) holding any of the chart points ``xy`` (k, 2)."""
        if not self.fills:
            return frozenset()
        return frozenset(int(k) for k in self._tree.query(shapely.points(xy), predicate="intersects")[1])


def _regions(shape: shapely.Geometry, hull: shapely.Geometry) -> list[tuple[shapely.Polygon, int]]:
    """The free regions inside ``hull`` (of ``shape``), each with its number of lids."""
    free = [r for r in shapely.get_parts(hull.difference(shape)) if r.geom_type == "Polygon" and r.area > 0]
    if not free:
        return []
    ring = shapely.get_coordinates(hull.exterior)
    edges = shapely.difference(shapely.linestrings(np.stack([ring[:-1], ring[1:]], axis=1)), shape)
    # a lid lies within one hull edge (hull vertices are corners of the shape): never join across
    lids = [
        ln for ln in shapely.get_parts(shapely.get_parts(edges)) if ln.geom_type == "LineString" and ln.length > LID_MIN
    ]
    count = np.zeros(len(free), dtype=int)
    if lids:
        mids = shapely.line_interpolate_point(lids, 0.5, normalized=True)
        hit = shapely.STRtree(free).query_nearest(mids, all_matches=False)[1]
        np.add.at(count, hit, 1)
    return list(zip(free, count.tolist(), strict=True))
