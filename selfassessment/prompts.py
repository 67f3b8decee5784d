"""The default "areas to consider" per domain: the TEASC risk awareness tool's risk triggers.

A new cycle starts from these; the coordinator may edit them for that cycle. Domains not listed here
(domains are data) fall back to their description.
"""

TEASC_AREAS: dict[str, str] = {
    "performance-and-outcomes": (
        "Safeguarding adults; performance; customer satisfaction; pressures on the front line."
    ),
    "governance-and-leadership": (
        "Political change; organisational change; experience of leaders; priority given to adult social care; "
        "corporate challenges; adverse events."
    ),
    "commissioning-and-quality": "Market shaping; quality issues.",
    "national-priorities-and-partnerships": (
        "Health and wellbeing partnership; Better Care Fund; Care Act implementation; "
        "Winterbourne View (learning disability and autism); other national priorities."
    ),
    "resources-and-workforce-management": (
        "Percentage of corporate spend on adult social care; reserves; percentage of spend on residential care; "
        "numbers supported; budget split by client group; scale of reductions; overspends; vacancy levels."
    ),
    "culture-and-change": (
        "Local account (process and product); sector-led improvement participation; peer reviews; local "
        "performance management; political scrutiny; complaints."
    ),
}
