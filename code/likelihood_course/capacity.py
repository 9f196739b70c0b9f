"""Sizing a JupyterHub for a class, from the measurements of `make bench-hub` (hub_capacity.json).

The instructors' guide reads them through `measurements()` and turns them into Helm values with
`sizing()`: each student is guaranteed the memory that the heaviest chapter needed (the worst student
measured, rounded up), may use twice that, and a node holds as many students as their guarantees fit.
"""

from __future__ import annotations

import json
import math
from importlib import resources

from ._checks import as_positive, integer, scalar, shown

STEP_GIB = 0.25  # guarantees and limits in quarters of a GiB


def measurements() -> dict:
    """The last `make bench-hub` run: per chapter memory, and per class size the start times,
    run times and memory per student."""
    return json.loads(resources.files(__package__).joinpath("hub_capacity.json").read_text())


def _round_up(gib: float) -> float:
    return math.ceil(gib / STEP_GIB - 1e-9) * STEP_GIB


def _worst_mib(measured) -> float:
    """The largest memory of a student in `measured` (the form of `measurements()`), in MiB."""
    form = 'measured must be like measurements(): {"classes": [{"memory_mib": {"worst": MiB}}, ...]}'
    rows = measured.get("classes") if isinstance(measured, dict) else None
    if not isinstance(rows, (list, tuple)) or not rows:
        raise ValueError(f"{form}, got {shown(measured)}")
    worst = []
    for i, row in enumerate(rows):
        memory = row.get("memory_mib") if isinstance(row, dict) else None
        if not isinstance(memory, dict) or "worst" not in memory:
            raise ValueError(f"{form}; its classes[{i}] is {shown(row)}")
        worst.append(scalar(f'measured["classes"][{i}]["memory_mib"]["worst"]', memory["worst"], as_positive))
    return max(worst)


def sizing(measured: dict, node_gib: float = 32, reserved_gib: float = 2, class_size: int = 300) -> dict:
    """Memory guarantee and limit per student (GiB), students per node, and nodes for the class.

    node_gib: a node's memory; reserved_gib: what the node keeps for Kubernetes and the system;
    class_size: students using the hub at the same time."""
    node_gib = scalar("node_gib", node_gib, as_positive)
    reserved_gib = scalar("reserved_gib", reserved_gib)
    if not 0 <= reserved_gib < node_gib:
        raise ValueError(f"reserved_gib must be in [0, node_gib = {node_gib}), got {reserved_gib}")
    class_size = integer("class_size", class_size)
    worst_mib = _worst_mib(measured)
    guarantee = _round_up(worst_mib / 1024)
    per_node = math.floor((node_gib - reserved_gib) / guarantee + 1e-9)
    if per_node < 1:
        raise ValueError(f"node_gib: a node of {node_gib} GiB cannot hold one student ({guarantee} GiB)")
    return {
        "guarantee_gib": guarantee,
        "limit_gib": 2 * guarantee,
        "students_per_node": per_node,
        "nodes": math.ceil(class_size / per_node),
        "node_gib": node_gib,
        "reserved_gib": reserved_gib,
        "class_size": class_size,
    }
