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
    """Group polygons (disjoint) until no polygon outside a group crosses the group's convex hull.

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
    hulls = [shapely.convex_hull(p) for p in parts]  # a group's hull is the hull of its members' hulls
    changed = True
    while changed:
        changed = False
        groups: dict[int, list[int]] = {}
        for i in range(len(parts)):
            groups.setdefault(root(i), []).append(i)
        for members in groups.values():
            hull = shapely.convex_hull(shapely.multipolygons([hulls[i] for i in members]))
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
    sea closed off by a state and its islands) with one lid and no endpoint are filled. Groups
    and regions are found once; `shape` opens, per query, the filled areas holding its endpoints.

    Parameters
    ----------
    geometry : shapely.Geometry
        Merged obstacles in chart coordinates (polygons; other parts are ignored).

    Attributes
    ----------
    fills : list of shapely.Polygon
        The areas filled in when no endpoint holds a region open, disjoint (`filled_at` finds
        those holding given points).
    """

    def __init__(self, geometry: shapely.Geometry) -> None:
        parts = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon" and not p.is_empty]
        self._hulls: list[shapely.Geometry] = []
        self._open: list[list[shapely.Polygon]] = []  # per group: regions with two or more lids
        self.fills: list[shapely.Polygon] = []
        self._fill_group: list[int] = []
        for g, members in enumerate(clusters(parts) if parts else []):
            group = shapely.multipolygons([parts[i] for i in members])  # disjoint parts of one union
            self._hulls.append(group.convex_hull)
            self._open.append([])
            for region, lids in _regions(group, self._hulls[g]):
                if lids >= 2:
                    self._open[g].append(region)
                else:
                    self.fills.append(region)
                    self._fill_group.append(g)
        self._tree = shapely.STRtree(self.fills)
        self._shapes: dict[int, shapely.Geometry] = {}

    def shape(self, open_fills: frozenset = frozenset()) -> shapely.Geometry:
        """The outline: each group's hull less its regions with two or more lids and the filled
        areas ``open_fills`` (indices into `fills`: those holding a query's endpoints, from
        `filled_at`). Routes may turn only at corners on its boundary."""
        shapes = []
        for g, hull in enumerate(self._hulls):
            held = [self.fills[k] for k in sorted(open_fills) if self._fill_group[k] == g]
            if not held and g in self._shapes:
                shapes.append(self._shapes[g])
                continue
            kept = self._open[g] + held
            shaped = hull.difference(shapely.union_all(kept)) if kept else hull
            if not held:
                self._shapes[g] = shaped
            shapes.append(shaped)
        return shapely.union_all(shapes) if shapes else shapely.Polygon()

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
