"""Connections for the ecomap tests: any number, spread over the layers, every style."""

from __future__ import annotations

import itertools

from partnerkit.records.mapping import DIRECTIONS, LAYERS, QUALITIES, Connection

NAMES = ["Mum", "Step-dad", "Gran (maternal)", "Mr Khan", "Breakfast club",
         "Young Carers Network", "Eastfield Youth Project and Family Learning Centre",
         "Calm Minds Counselling", "Peer mentor (S5)", "Campus police officer", "SDS worker",
         "Home school link worker", "Family friend", "Best friend", "WWWWWWWWWWWWWWWWWWWWWWWW"]


def make(n: int, *, layers=None, offset: int = 0) -> list[Connection]:
    return [Connection(pupil="P-1", id=f"c{i:02d}", name=f"{NAMES[(i + offset) % len(NAMES)]} {i}",
                       layer=(layers or LAYERS)[i % len(layers or LAYERS)],
                       quality=QUALITIES[i % 3], direction=DIRECTIONS[(i // 3) % 3])
            for i in range(n)]


def overlapping(boxes):
    return [(a, b) for a, b in itertools.combinations(range(len(boxes)), 2)
            if boxes[a].overlaps(boxes[b])]
