"""Server-rendered SVG charts: the geometry of a :class:`~meute.cockpit.figures.Figure`, drawn by
``web/components/chart.html`` (no script, so the strict CSP holds; colours come from CSS classes).

Two shapes: horizontal ``bars`` (one row per label, one bar per series; long labels sit above
their bars, so it reads at 390 px) and vertical ``columns`` (a time series, one column per
label). Coordinates are in the SVG's own units; the ``viewBox`` scales it to the page width.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 400
LABEL_H = 20  # a row's label line
BAR_H = 14
BAR_GAP = 3
ROW_GAP = 10
VALUE_ROOM = 56  # room right of the longest bar for its value
COLUMNS_H = 150
AXIS_H = 34


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    series: int
    value: str
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    rects: list[Rect]
    labels: list[Text]


def _fmt(value: float, unit: str) -> str:
    text = str(int(value)) if float(value).is_integer() else f"{value:.1f}"
    return f"{text} {unit}" if unit else text


def bars(rows: list[tuple[str, tuple[float, ...]]], unit: str = "") -> Chart:
    """Horizontal bars scaled to the largest value (0 draws no bar, its value still shows)."""
    top = max((v for _label, values in rows for v in values), default=0) or 1
    span = WIDTH - VALUE_ROOM
    rects, labels, y = [], [], 0.0
    for label, values in rows:
        labels.append(Text(0, y + LABEL_H - 5, label))
        y += LABEL_H
        for index, value in enumerate(values):
            w = span * max(value, 0) / top
            rects.append(Rect(0, y, round(w, 1), BAR_H, index, _fmt(value, unit), round(w + 4, 1), y + BAR_H - 3))
            y += BAR_H + BAR_GAP
        y += ROW_GAP
    return Chart(WIDTH, max(int(y), 1), rects, labels)


def columns(rows: list[tuple[str, tuple[float, ...]]], unit: str = "") -> Chart:
    """Vertical columns for a time series (the first series), labels under, values above."""
    top = max((values[0] for _label, values in rows), default=0) or 1
    n = max(len(rows), 1)
    step = WIDTH / n
    w = step * 0.7
    plot = COLUMNS_H - 18
    rects, labels = [], []
    for index, (label, values) in enumerate(rows):
        h = plot * max(values[0], 0) / top
        x = index * step + (step - w) / 2
        y = COLUMNS_H - h
        rects.append(Rect(round(x, 1), round(y, 1), round(w, 1), round(h, 1), 0, _fmt(values[0], unit),
                          round(x + w / 2, 1), round(y - 4, 1)))
        labels.append(Text(round(x + w / 2, 1), COLUMNS_H + 16, label.split(" ")[0]))
        if index == 0 or label.split(" ")[-1] != rows[index - 1][0].split(" ")[-1]:
            labels.append(Text(round(x + w / 2, 1), COLUMNS_H + 30, label.split(" ")[-1]))
    return Chart(WIDTH, COLUMNS_H + AXIS_H, rects, labels)


def draw(figure) -> Chart:
    """The chart of the rows a figure shows (``figure.shown``)."""
    return columns(figure.shown, figure.unit) if figure.kind == "columns" else bars(figure.shown, figure.unit)
