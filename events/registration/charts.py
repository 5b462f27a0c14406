"""Server-drawn charts: the geometry of simple SVG charts, computed here and drawn by `registration/charts/*.html`.

No JavaScript, no build step; each chart has a title, a description and a table of the same numbers beside it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

_ids = itertools.count(1)


def _chart_id(prefix: str) -> str:
    return f"{prefix}-{next(_ids)}"


@dataclass
class Mark:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    opacity: float = 1.0

    @property
    def centre_x(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def centre_y(self) -> float:
        return round(self.y + self.height / 2, 1)


@dataclass
class Chart:
    title: str
    description: str
    width: int
    height: int
    marks: list[Mark] = field(default_factory=list)
    id: str = field(default_factory=lambda: _chart_id("chart"))
    label_width: int = 0
    columns: list[Mark] = field(default_factory=list)  # heat maps: the period headings
    rows: list[Mark] = field(default_factory=list)  # heat maps: the theme labels

    @property
    def is_empty(self) -> bool:
        return not any(mark.value for mark in self.marks)


def column_chart(points: list[tuple[str, int]], *, title: str, description: str, height: int = 200) -> Chart:
    """Vertical columns, one per point (e.g. months), the value above each column and the label below."""
    top, bottom, gap = 20, 24, 6
    step = 44
    chart = Chart(title=title, description=description, width=max(step * len(points), 1), height=height)
    highest = max((value for _label, value in points), default=0) or 1
    plot = height - top - bottom
    for i, (label, value) in enumerate(points):
        bar = round(plot * value / highest, 1)
        chart.marks.append(Mark(label, value, x=i * step + gap / 2, y=top + plot - bar, width=step - gap, height=bar))
    return chart


def bar_chart(points: list[tuple[str, int]], *, title: str, description: str, width: int = 560) -> Chart:
    """Horizontal bars, one per point (e.g. regions, themes), the label left of each bar and the value after it."""
    row, label_width, value_width = 26, 200, 48
    chart = Chart(
        title=title, description=description, width=width, height=max(row * len(points), row), label_width=label_width
    )
    highest = max((value for _label, value in points), default=0) or 1
    plot = width - label_width - value_width
    for i, (label, value) in enumerate(points):
        chart.marks.append(
            Mark(label, value, x=label_width, y=i * row + 4, width=round(plot * value / highest, 1), height=row - 8)
        )
    return chart


def heat_map(
    columns: list[str], rows: list[tuple[str, list[int]]], *, title: str, description: str, label_width: int = 200
) -> Chart:
    """A grid of rows (themes) × columns (periods); each cell holds its number and is darker the higher it is.

    The number is always written, so the shade is never the only carrier of the value.
    """
    cell_width, cell_height, head = 100, 30, 28
    chart = Chart(
        title=title,
        description=description,
        width=label_width + cell_width * max(len(columns), 1),
        height=head + cell_height * max(len(rows), 1),
        label_width=label_width,
    )
    highest = max((n for _label, counts in rows for n in counts), default=0) or 1
    chart.columns = [
        Mark(label, 0, x=label_width + j * cell_width, y=0, width=cell_width, height=head)
        for j, label in enumerate(columns)
    ]
    for i, (label, counts) in enumerate(rows):
        y = head + i * cell_height
        chart.rows.append(Mark(label, sum(counts), x=0, y=y, width=label_width, height=cell_height))
        for j, n in enumerate(counts):
            # Light enough at the top for dark text (contrast above 4.5:1 on #00676a at 60 %).
            opacity = round(0.12 + 0.48 * n / highest, 2) if n else 0.0
            chart.marks.append(
                Mark(
                    label,
                    n,
                    x=label_width + j * cell_width + 1,
                    y=y + 1,
                    width=cell_width - 2,
                    height=cell_height - 2,
                    opacity=opacity,
                )
            )
    return chart
