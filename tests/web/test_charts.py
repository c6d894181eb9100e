from meute.web.charts import WIDTH, bars, columns


def test_bars_scale_to_the_largest_value():
    """The largest value spans the plot; the others are proportional; a zero draws no bar but keeps its value."""
    chart = bars([("a", (10,)), ("b", (5,)), ("c", (0,))])
    widths = [r.w for r in chart.rects]
    assert widths[0] > 0 and abs(widths[1] - widths[0] / 2) < 0.1 and widths[2] == 0
    assert max(widths) <= WIDTH and [r.value for r in chart.rects] == ["10", "5", "0"]
    assert [t.text for t in chart.labels] == ["a", "b", "c"]


def test_bars_draw_one_bar_per_series():
    """Each row gets one bar per series, each series keeping its index (its colour)."""
    chart = bars([("x", (3, 5, 1)), ("y", (1, 1, 0))], unit="%")
    assert [r.series for r in chart.rects] == [0, 1, 2, 0, 1, 2]
    assert chart.rects[1].value == "5 %"
    assert chart.height > chart.rects[-1].y


def test_columns_stand_on_one_baseline():
    """Time-series columns share the baseline, heights proportional, and each year is written once."""
    chart = columns([("déc. 2025", (2,)), ("janv. 2026", (4,)), ("févr. 2026", (0,))])
    bottoms = {round(r.y + r.h, 1) for r in chart.rects}
    assert len(bottoms) == 1
    assert chart.rects[1].h == 2 * chart.rects[0].h and chart.rects[2].h == 0
    assert [t.text for t in chart.labels].count("2026") == 1


def test_an_empty_chart_has_no_bars():
    """No rows: no bars, no division by zero."""
    assert bars([]).rects == [] and columns([]).rects == []
