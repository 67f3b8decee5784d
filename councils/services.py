"""Writes for the councils app: reference data, nearest-neighbour groups and demo users.

Each import validates everything first and collects every problem, then writes in one transaction,
so a failed import leaves the database exactly as it was.
"""

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from core.cache import rows_written
from councils.models import Council, Membership, NearestNeighbour, Region, User

GSS_RE = re.compile(r"^E\d{8}$")
COUNCIL_GSS_RE = re.compile(r"^E(06|08|09|10)\d{6}$")

# The first three characters of an English council's GSS code say what kind of council it is.
COUNCIL_TYPE_BY_GSS_PREFIX = {
    "E06": Council.CouncilType.UNITARY,
    "E08": Council.CouncilType.METROPOLITAN_DISTRICT,
    "E09": Council.CouncilType.LONDON_BOROUGH,
    "E10": Council.CouncilType.COUNTY,
}


class ImportFailed(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s): " + "; ".join(problems[:5]))


@dataclass
class LoadResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def _upsert(model: Any, lookup: dict[str, Any], values: dict[str, Any], result: LoadResult) -> Any:
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        result.created += 1
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        result.updated += 1
    else:
        result.unchanged += 1
    return obj


def _has_field(model: Any, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:  # FieldDoesNotExist (a historical model in an earlier migration)
        return False
    return True


def council_slug(*, name: str, gss_code: str, status: str = "current") -> str:
    """A council's slug: its name, with the GSS code added for a former council (e.g. dorset-e10000009),
    so an abolished council and its successor of the same name never compete for one slug."""
    slug = slugify(name)[:130] or gss_code.lower()
    return f"{slug}-{gss_code.lower()}" if status == "former" else slug


def reference_data_load(
    *,
    regions_path: Path | None = None,
    councils_path: Path | None = None,
    region_model: Any = Region,
    council_model: Any = Council,
) -> LoadResult:
    """Load regions and councils from the committed CSVs (or given paths), matched on GSS code.

    Idempotent. A council already in the database (for example one a national ASCOF import created with
    no region) is updated in place: name, type, CASSR code, region, status and successors come from the
    file. The optional ``status`` (current/former) and ``replaced_by`` (successors' GSS codes, space
    separated) columns record councils abolished since the earliest figures.
    ``region_model``/``council_model`` let the data migrations pass their historical models.
    """
    fixtures_dir = Path(settings.BASE_DIR) / "fixtures"
    regions_path = regions_path or fixtures_dir / "regions.csv"
    councils_path = councils_path or fixtures_dir / "councils.csv"
    problems: list[str] = []
    region_rows = _read_csv(regions_path, ["gss_code", "name"], problems)
    council_rows = _read_csv(
        councils_path, ["name", "gss_code", "cassr_code", "council_type", "region_gss_code"], problems
    )
    region_codes = {row["gss_code"] for _, row in region_rows} | set(
        region_model.objects.values_list("gss_code", flat=True)
    )
    for line, row in region_rows:
        if not GSS_RE.match(row["gss_code"]) or not row["gss_code"].startswith("E12"):
            problems.append(f"{regions_path.name}, row {line}, column gss_code: not a region GSS code")
    file_codes = {row["gss_code"] for _, row in council_rows}
    known_codes = file_codes | set(council_model.objects.values_list("gss_code", flat=True))
    seen: set[str] = set()
    cassr_seen: dict[str, str] = {}
    for line, row in council_rows:
        where = f"{councils_path.name}, row {line}"
        problems += _council_row_problems(where, row, region_codes, known_codes, seen, cassr_seen)
    if problems:
        raise ImportFailed(problems)

    with_status = _has_field(council_model, "status")
    with_successors = _has_field(council_model, "successors")
    result = LoadResult()
    with transaction.atomic():
        regions = {}
        for _, row in region_rows:
            regions[row["gss_code"]] = _upsert(
                region_model,
                {"gss_code": row["gss_code"]},
                {"name": row["name"], "slug": slugify(row["name"])},
                result,
            )
        wanted = {
            row["gss_code"]: {
                "name": row["name"],
                "slug": council_slug(name=row["name"], gss_code=row["gss_code"], status=row["status"]),
                "cassr_code": int(row["cassr_code"]) if row["cassr_code"] else None,
            }
            for _, row in council_rows
        }
        _free_slugs_and_cassr_codes(council_model, wanted, result)
        councils = {}
        for _, row in council_rows:
            region = regions.get(row["region_gss_code"]) or region_model.objects.get(
                gss_code=row["region_gss_code"]
            )
            values = {
                **wanted[row["gss_code"]],
                "council_type": row["council_type"],
                "region_id": region.pk,
            }
            if with_status:
                values["status"] = row["status"]
            councils[row["gss_code"]] = _upsert(council_model, {"gss_code": row["gss_code"]}, values, result)
        if with_successors:
            for _, row in council_rows:
                council = councils[row["gss_code"]]
                wanted_successors = set(row["successors"])
                current = set(council.successors.values_list("gss_code", flat=True))
                if current != wanted_successors:
                    council.successors.set(
                        council_model.objects.filter(gss_code__in=sorted(wanted_successors))
                    )
    return result


def _council_row_problems(
    where: str,
    row: dict[str, Any],
    region_codes: set[str],
    known_codes: set[str],
    seen: set[str],
    cassr_seen: dict[str, str],
) -> list[str]:
    """What is wrong with one row of the councils file (``seen`` and ``cassr_seen`` carry the rows before);
    fills in the row's ``status`` and ``successors``."""
    problems = []
    if not COUNCIL_GSS_RE.match(row["gss_code"]):
        problems.append(f"{where}, column gss_code: {row['gss_code']!r} is not an English council GSS code")
    if row["gss_code"] in seen:
        problems.append(f"{where}, column gss_code: {row['gss_code']} appears twice")
    seen.add(row["gss_code"])
    if not row["name"]:
        problems.append(f"{where}, column name: the council has no name")
    if row["council_type"] not in Council.CouncilType.values:
        problems.append(
            f"{where}, column council_type: {row['council_type']!r} is not one of "
            + ", ".join(Council.CouncilType.values)
        )
    if row["region_gss_code"] not in region_codes:
        problems.append(f"{where}, column region_gss_code: unknown region {row['region_gss_code']!r}")
    if row["cassr_code"] and not row["cassr_code"].isdigit():
        problems.append(f"{where}, column cassr_code: {row['cassr_code']!r} is not a number")
    elif row["cassr_code"] in cassr_seen:
        problems.append(
            f"{where}, column cassr_code: {row['cassr_code']} is also {cassr_seen[row['cassr_code']]}'s"
        )
    elif row["cassr_code"]:
        cassr_seen[row["cassr_code"]] = row["gss_code"]
    row["status"] = row.get("status") or Council.Status.CURRENT
    if row["status"] not in Council.Status.values:
        problems.append(f"{where}, column status: {row['status']!r} is not current or former")
    successors = (row.get("replaced_by") or "").split()
    for code in successors:
        if code not in known_codes or code == row["gss_code"]:
            problems.append(f"{where}, column replaced_by: {code!r} is not another council in the file")
    row["successors"] = successors
    return problems


def _free_slugs_and_cassr_codes(
    council_model: Any, wanted: dict[str, dict[str, Any]], result: LoadResult
) -> None:
    """Slugs and CASSR codes are unique: a council a national import created may hold the slug or code
    another council of the file should have (two "Dorset"s). Free them first."""
    existing = {c.gss_code: c for c in council_model.objects.all()}
    taken_slugs = {c.slug: code for code, c in existing.items() if code not in wanted}
    taken_cassr = {c.cassr_code: code for code, c in existing.items() if code not in wanted and c.cassr_code}
    for code, fields in wanted.items():
        if fields["slug"] in taken_slugs:
            fields["slug"] = f"{fields['slug']}-{code.lower()}"
        if fields["cassr_code"] in taken_cassr:
            result.warnings.append(
                f"CASSR code {fields['cassr_code']} is held by {taken_cassr[fields['cassr_code']]}; "
                f"{code} was loaded without it"
            )
            fields["cassr_code"] = None
        council = existing.get(code)
        if council is not None and (
            council.slug != fields["slug"] or council.cassr_code != fields["cassr_code"]
        ):
            council.slug, council.cassr_code = f"tmp-{code.lower()}", None
            council.save(update_fields=["slug", "cassr_code"])


def _read_csv(path: Path, required: list[str], problems: list[str]) -> list[tuple[int, dict[str, str]]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [name for name in required if name not in (reader.fieldnames or [])]
            if missing:
                problems.append(f"{path.name}: missing column(s) {', '.join(missing)}")
                return []
            return [
                (line, {key: (value or "").strip() for key, value in row.items() if key})
                for line, row in enumerate(reader, start=2)
            ]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        problems.append(f"{path.name}: cannot be read ({exc})")
        return []


def council_type_for_gss(gss_code: str) -> str | None:
    """The council type implied by an English council GSS code, or None for other codes."""
    return COUNCIL_TYPE_BY_GSS_PREFIX.get(gss_code[:3])


@dataclass
class NeighboursImportResult:
    councils: int = 0
    neighbours: int = 0
    unchanged_councils: int = 0
    new_councils: int = 0  # of ``councils``: those that had no group before
    skipped_councils: list[str] = field(default_factory=list)
    unknown_neighbours: list[str] = field(default_factory=list)
    changes: list[tuple[str, list[str], list[str]]] = field(default_factory=list)  # code, before, after

    def summary(self) -> str:
        return (
            f"{self.councils} comparator group(s) written ({self.neighbours} comparators), "
            f"{self.unchanged_councils} unchanged"
        )


def neighbours_import(*, path: Path, dry_run: bool = False) -> NeighboursImportResult:
    """Replace councils' nearest-neighbour groups from a JSON map ``{gss_code: [gss_code, …]}``.

    Order in each list is kept. The council's own code in its list is ignored. Comparator codes
    that are not yet a known council are kept (they link up when that council is loaded) and
    reported; groups for councils that are not known are skipped and reported. Malformed files,
    invalid codes and repeated codes are errors: nothing is written.
    """
    name = Path(path).name
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ImportFailed([f"{name}: cannot be read ({exc.strerror})"]) from exc
    groups = neighbours_parse(data=raw, name=name)
    with transaction.atomic():
        result = neighbours_write(groups=groups)
        if dry_run:
            transaction.set_rollback(True)
    return result


def neighbours_parse(*, data: bytes, name: str) -> dict[str, list[str]]:
    """The groups in a JSON map ``{gss_code: [gss_code, …]}`` (the council's own code left out of its list),
    or ImportFailed with every problem (file, key, item)."""
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportFailed([f"{name}: not UTF-8 text (byte {exc.start})"]) from exc
    except json.JSONDecodeError as exc:
        raise ImportFailed(
            [f"{name}, line {exc.lineno}, column {exc.colno}: invalid JSON ({exc.msg})"]
        ) from exc
    if not isinstance(parsed, dict):
        raise ImportFailed([f"{name}: expected a JSON object mapping GSS codes to lists of GSS codes"])

    problems: list[str] = []
    groups: dict[str, list[str]] = {}
    for key, codes in parsed.items():
        code = str(key).strip().upper()
        if not GSS_RE.match(code):
            problems.append(f"{name}, key {key!r}: not a GSS code")
            continue
        if not isinstance(codes, list) or not all(isinstance(item, str) for item in codes):
            problems.append(f"{name}, key {key}: expected a list of GSS code strings")
            continue
        cleaned: list[str] = []
        for index, item in enumerate(codes, start=1):
            neighbour = item.strip().upper()
            if not GSS_RE.match(neighbour):
                problems.append(f"{name}, key {key}, item {index}: {item!r} is not a GSS code")
            elif neighbour in cleaned:
                problems.append(f"{name}, key {key}, item {index}: {neighbour} is listed twice")
            elif neighbour != code:
                cleaned.append(neighbour)
        groups[code] = cleaned
    if not groups and not problems:
        problems.append(f"{name}: the file lists no councils")
    if problems:
        raise ImportFailed(problems)
    return groups


@transaction.atomic
def neighbours_write(*, groups: dict[str, list[str]]) -> NeighboursImportResult:
    """Replace the listed councils' groups (in one transaction); what changed, group by group."""
    councils = Council.objects.in_bulk(list(groups), field_name="gss_code")
    known_codes = set(Council.objects.values_list("gss_code", flat=True))
    existing: dict[int, list[str]] = {}
    for row in NearestNeighbour.objects.filter(council__in=councils.values()).order_by("position"):
        existing.setdefault(row.council_id, []).append(row.neighbour_gss_code)

    result = NeighboursImportResult()
    result.skipped_councils = sorted(code for code in groups if code not in councils)
    result.unknown_neighbours = sorted({code for cs in groups.values() for code in cs} - known_codes)
    for code, neighbour_codes in groups.items():
        council = councils.get(code)
        if council is None:
            continue
        before = existing.get(council.pk, [])
        if before == neighbour_codes:
            result.unchanged_councils += 1
            continue
        NearestNeighbour.objects.filter(council=council).delete()
        NearestNeighbour.objects.bulk_create(
            NearestNeighbour(council=council, position=position, neighbour_gss_code=neighbour)
            for position, neighbour in enumerate(neighbour_codes, start=1)
        )
        result.councils += 1
        result.new_councils += not before
        result.neighbours += len(neighbour_codes)
        result.changes.append((code, before, neighbour_codes))
    if result.councils:
        rows_written(NearestNeighbour)  # bulk_create sends no model signal
    return result


def demo_neighbours_remove() -> int:
    """Set aside the synthetic demo comparator groups once real figures are loaded: a real figure is
    compared only with a real group. Councils are left with no group until ``import_neighbours`` loads
    one (their pages say so). Returns the number of comparator rows removed.

    One statement and one bump of the kept reads and pages (``rows_written``): the ORM's delete signalled each
    row, and each signal wrote a new page version to the cache."""
    table = connection.ops.quote_name(NearestNeighbour._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE is_demo = %s", [True])  # noqa: S608 (a model's table)
        deleted = cursor.rowcount
    if deleted:
        rows_written(NearestNeighbour)
    return deleted


# Demo users: one per role, created only in demo mode. Passwords are printed by `seed_demo`.
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 (demo mode only; the backend refuses demo users otherwise)


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    description: str


def demo_users_create(*, region_gss_code: str = "E12000005") -> list[tuple[DemoUser, str]]:
    """Create (or reset) one demo user per role for a region. Refuses outside demo mode."""
    if not settings.DEMO_MODE:
        raise RuntimeError("Demo users can only be created when DEMO_MODE is on.")
    region = Region.objects.get(gss_code=region_gss_code)
    councils = list(region.councils.exclude(status=Council.Status.FORMER).order_by("name"))
    if len(councils) < 2:
        raise RuntimeError(f"{region} needs at least two councils for the demo users.")
    specs: list[tuple[DemoUser, str | None, Any]] = [
        (DemoUser("admin", "Ada", "Admin", "admin (all regions, Django admin)"), None, None),
        (
            DemoUser("sli.lead", "Sam", "Lead", f"regional SLI lead, {region}"),
            Membership.Role.SLI_LEAD,
            region,
        ),
        (
            DemoUser("coordinator", "Chris", "Coordinator", f"peer-challenge coordinator, {region}"),
            Membership.Role.COORDINATOR,
            region,
        ),
        (
            DemoUser(f"delegate.{councils[0].slug}", "Dev", "Delegate", f"DASS delegate, {councils[0]}"),
            Membership.Role.DELEGATE,
            councils[0],
        ),
    ]
    specs += [
        (
            DemoUser(f"dass.{council.slug}", "Director", council.name, f"DASS, {council}"),
            Membership.Role.DASS,
            council,
        )
        for council in councils
    ]
    created = []
    # Hashed once for them all: a hash takes ~0.4 s by design, and every demo user has the same published
    # password, so a salt of their own would hide nothing (18 hashes were half of `seed_demo`'s time).
    password = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        for spec, role, scope in specs:
            user, _ = User.objects.get_or_create(username=spec.username)
            user.first_name, user.last_name, user.is_demo = spec.first_name, spec.last_name, True
            user.email = f"{spec.username}@example.invalid"
            user.is_staff = user.is_superuser = role is None
            user.password = password
            user.save()
            if role is not None:
                Membership.objects.filter(user=user).delete()
                if role == Membership.Role.DASS:
                    Membership.objects.filter(role=role, council=scope).delete()
                Membership.objects.create(
                    user=user,
                    role=role,
                    council=scope if role in Membership.COUNCIL_ROLES else None,
                    region=scope if role in Membership.REGION_ROLES else None,
                )
            created.append((spec, DEMO_PASSWORD))
    return created


def sign_in_times_update(sender, request, user, **kwargs) -> None:  # type: ignore[no-untyped-def]
    """At sign-in, keep the sign-in before this one (``previous_login``: what changed since the last visit)
    and stamp this one. Replaces Django's own ``update_last_login`` receiver, which would lose it."""
    user.previous_login = user.last_login
    user.last_login = timezone.now()
    user.save(update_fields=["previous_login", "last_login"])
