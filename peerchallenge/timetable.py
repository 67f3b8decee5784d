"""The day's timetable from the groups: pure (no ORM), so pages, CSV and .ics files share it.

All groups run in parallel. Slot 1: each group's first session; a break; slot 2 (roles reversed in a pair,
the next turn of the rotation in a triad); when there is a triad, a break and slot 3; then a break and the
plenary. In a triad the third council observes each session.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.text import text_clean


@dataclass(frozen=True)
class TimetableGroup:
    number: int
    councils: tuple[str, ...]  # display names (or codes), in rotation order
    room: str


@dataclass(frozen=True)
class Session:
    group: int
    room: str
    challenger: str
    challenged: str
    observer: str | None


@dataclass(frozen=True)
class Item:
    """One row of the day: a challenge slot (with its sessions), a break or the plenary."""

    kind: str  # "slot", "break", "plenary"
    title: str
    start: dt.datetime
    end: dt.datetime
    sessions: tuple[Session, ...] = ()
    room: str = ""


@dataclass(frozen=True)
class Timetable:
    items: tuple[Item, ...]

    @property
    def slots(self) -> list[Item]:
        return [i for i in self.items if i.kind == "slot"]

    def for_council(self, council: str) -> list[tuple[Item, str, Session | None]]:
        """(item, role, session) for one council: role is challenging/challenged/observing/free/all."""
        rows: list[tuple[Item, str, Session | None]] = []
        for item in self.items:
            if item.kind != "slot":
                rows.append((item, "all", None))
                continue
            mine = next(
                (s for s in item.sessions if council in (s.challenger, s.challenged, s.observer)), None
            )
            if mine is None:
                rows.append((item, "free", None))
            elif mine.challenger == council:
                rows.append((item, "challenging", mine))
            elif mine.challenged == council:
                rows.append((item, "challenged", mine))
            else:
                rows.append((item, "observing", mine))
        return rows


def build_timetable(
    *,
    groups: Sequence[Sequence[str]],
    start: dt.datetime,
    session_minutes: int,
    break_minutes: int,
    plenary_break_minutes: int,
    plenary_minutes: int,
    rooms: Sequence[str] = (),
    plenary_room: str = "",
) -> Timetable:
    """Rooms are given to groups in order; a group without one gets "Room to be confirmed"."""
    tgroups = [
        TimetableGroup(n, tuple(g), rooms[n - 1] if n - 1 < len(rooms) else "Room to be confirmed")
        for n, g in enumerate(groups, start=1)
    ]
    slot_count = max((len(g.councils) for g in tgroups), default=0)
    session = dt.timedelta(minutes=session_minutes)
    items: list[Item] = []
    now = start
    for slot in range(slot_count):
        if slot:
            if break_minutes:
                items.append(Item("break", "Break", now, now + dt.timedelta(minutes=break_minutes)))
            now += dt.timedelta(minutes=break_minutes)
        sessions = []
        for g in tgroups:
            if slot >= len(g.councils):
                continue
            n = len(g.councils)
            challenger, challenged = g.councils[slot], g.councils[(slot + 1) % n]
            observer = g.councils[(slot + 2) % n] if n == 3 else None
            sessions.append(Session(g.number, g.room, challenger, challenged, observer))
        title = f"Session {slot + 1}" + (" (roles reversed)" if slot == 1 else "")
        items.append(Item("slot", title, now, now + session, tuple(sessions)))
        now += session
    if plenary_break_minutes:
        items.append(Item("break", "Break", now, now + dt.timedelta(minutes=plenary_break_minutes)))
    now += dt.timedelta(minutes=plenary_break_minutes)
    items.append(
        Item(
            "plenary",
            "Plenary: common themes",
            now,
            now + dt.timedelta(minutes=plenary_minutes),
            room=plenary_room,
        )
    )
    return Timetable(tuple(items))


def _cell(text: str) -> str:
    """Never let a spreadsheet read a cell as a formula; nothing a file cannot hold (``core.text``)."""
    text = text_clean(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def timetable_csv(timetable: Timetable) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Start", "End", "Item", "Group", "Room", "Challenger", "Challenged", "Observer"])
    for item in timetable.items:
        times = [item.start.strftime("%H:%M"), item.end.strftime("%H:%M")]
        if item.kind == "slot":
            for s in item.sessions:
                writer.writerow(
                    [
                        *times,
                        item.title,
                        s.group,
                        _cell(s.room),
                        _cell(s.challenger),
                        _cell(s.challenged),
                        _cell(s.observer or ""),
                    ]
                )
        else:
            writer.writerow([*times, item.title, "", _cell(item.room), "", "", ""])
    return out.getvalue()


# --- iCalendar (RFC 5545), written by hand: CRLF line ends, folded at 75 octets, text escaped ---------------


# Every line break a calendar program might honour: CRLF, a bare CR or LF, and the Unicode line and paragraph
# separators (and NEL). Each becomes the escaped "\n" of RFC 5545 (3.3.11), so no text can start a line.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


def _escape(text: str) -> str:
    """TEXT per RFC 5545 3.3.11: backslash, semicolon and comma escaped, every line break as ``\\n``, and no
    control character (the rule's CONTROL excludes them; ``core.text`` removes them, tab kept)."""
    text = text_clean(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _LINE_BREAK.sub("\\\\n", text)


def _fold(line: str) -> str:
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += b
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def council_ics(
    *, timetable: Timetable, council: str, summit_name: str, venue: str, uid_prefix: str, stamp: dt.datetime
) -> str:
    """An .ics calendar with one event per session the council attends and the plenary (times in UTC)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//SLI Scorecard//Peer challenge summit//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(summit_name)}",
    ]
    for n, (item, role, session) in enumerate(timetable.for_council(council), start=1):
        if role in ("free",) or item.kind == "break":
            continue
        if item.kind == "plenary":
            summary, location = f"{summit_name}: plenary", ", ".join(x for x in (item.room, venue) if x)
            description = "All councils: common themes from the day's peer challenges."
        else:
            assert session is not None
            if role == "challenging":
                summary = f"Peer challenge: {council} challenges {session.challenged}"
            elif role == "challenged":
                summary = f"Peer challenge: {session.challenger} challenges {council}"
            else:
                summary = f"Peer challenge: observing {session.challenger} challenge {session.challenged}"
            location = f"{session.room}, {venue}"
            description = (
                f"{item.title}, group {session.group}. Challenger: {session.challenger}; challenged: {session.challenged}"
                + (f"; observer: {session.observer}" if session.observer else "")
            )
        lines += [
            "BEGIN:VEVENT",
            f"UID:{uid_prefix}-{n}@sli-scorecard",
            f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART:{_utc(item.start)}",
            f"DTEND:{_utc(item.end)}",
            f"SUMMARY:{_escape(summary)}",
            f"LOCATION:{_escape(location)}",
            f"DESCRIPTION:{_escape(description)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
