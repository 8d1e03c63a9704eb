"""The SVG charts: points where the values say, labels escaped, nothing without data."""

from vault.charts import line_chart, sparkline


def test_a_sparkline_draws_one_point_per_value_on_a_0_to_100_scale():
    svg = sparkline([0, 50, 100], width=104, height=24)
    assert 'points="2.0,22.0 52.0,12.0 102.0,2.0"' in svg
    assert svg.count("<circle") == 1 and 'aria-hidden="true"' in svg


def test_a_line_chart_writes_each_value_and_escapes_labels():
    svg = line_chart([("<b>", 40), ("11/30", 85)])
    assert ">40</text>" in svg and ">85</text>" in svg
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    assert svg.count('class="dot"') == 2


def test_no_data_draws_nothing():
    assert sparkline([]) == "" and line_chart([]) == ""


def test_past_six_points_every_other_week_is_named_always_the_last():
    svg = line_chart([(f"w{n}", n) for n in range(12)])
    named = [f"w{n}" for n in range(12) if f">w{n}</text>" in svg]
    assert named == ["w1", "w3", "w5", "w7", "w9", "w11"]
