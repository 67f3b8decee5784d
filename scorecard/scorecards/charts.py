"""The regional RAG heat-map: councils × measures, coloured by RAG with the value written in each cell."""

from collections.abc import Sequence

import plotly.graph_objects as go

from scorecard.charts import BLACK, ChartBundle, ChartTable, apply_layout, chart_html, escape_label

RAG_LEVEL = {"green": 1, "amber": 2, "red": 3}
# Pale GOV.UK-derived fills so the black cell text keeps its contrast; the RAG is also written in the table.
RAG_SCALE = [
    [0.0, "#cce2d8"],
    [0.33, "#cce2d8"],
    [0.34, "#fff7bf"],
    [0.66, "#fff7bf"],
    [0.67, "#f4cdc6"],
    [1.0, "#f4cdc6"],
]


def rag_heatmap(
    *,
    title: str,
    councils: Sequence[str],
    measures: Sequence[str],
    cells: Sequence[Sequence[tuple[str | None, str]]],
    csv_url: str = "",
    chart_id: str = "heatmap",
) -> ChartBundle:
    """``cells[i][j]`` is (rag or None, formatted value) for council i and measure j."""
    z = [[RAG_LEVEL.get(rag or "") for rag, _ in row] for row in cells]
    text = [[f"{value}<br>{(rag or 'no RAG').capitalize()}" for rag, value in row] for row in cells]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=list(measures),
            y=[escape_label(name) for name in councils],
            text=text,
            texttemplate="%{text}",
            textfont={"size": 10, "color": BLACK},
            colorscale=RAG_SCALE,
            zmin=1,
            zmax=3,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y}, %{x}: %{text}<extra></extra>",
        )
    )
    apply_layout(fig, height=max(300, 60 + 44 * len(councils)), x_title="Measure")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top", type="category")
    counts = {level: sum(1 for row in cells for rag, _ in row if rag == level) for level in RAG_LEVEL}
    summary = (
        f"Heat-map: {title}. {len(councils)} councils by {len(measures)} measures; "
        f"{counts['green']} green, {counts['amber']} amber and {counts['red']} red cells. "
        "The same figures are in the table on this page."
    )
    headers = ["Council", *measures]
    rows = [
        [name, *[f"{value} ({(rag or 'no RAG')})" for rag, value in row]]
        for name, row in zip(councils, cells, strict=True)
    ]
    return ChartBundle(
        chart_id=chart_id,
        title=title,
        summary=summary,
        html=chart_html(fig, chart_id),
        table=ChartTable(caption=title, headers=headers, rows=rows),
        csv_url=csv_url,
    )
