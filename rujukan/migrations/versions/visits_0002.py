"""Visits, schema 2: one record per region, visit date and set of practices. Adds practice_key
(the sorted, distinct, comma-joined practice ids) and its unique index; visits that already share
region, date and practices are merged into the first recorded one (its id and practice order),
which takes the latest non-empty purpose and the latest time. Nothing else is dropped."""

import sqlalchemy as sa
from alembic import op

revision = "visits_0002"
down_revision = "visits_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("visits", sa.Column("practice_key", sa.Text, nullable=False, server_default=""))
    con = op.get_bind()
    practices: dict[int, list[str]] = {}
    for visit_id, practice_id in con.execute(sa.text("SELECT visit_id, practice_id FROM visit_practices ORDER BY visit_id, position")):
        practices.setdefault(visit_id, []).append(practice_id)
    groups: dict[tuple[str, str, str], list[tuple[int, str, str]]] = {}
    for visit_id, code, day, purpose, created in con.execute(
        sa.text("SELECT id, region_code, visit_date, purpose, created FROM visits ORDER BY id")
    ).fetchall():
        key = ",".join(sorted(set(practices.get(visit_id, []))))
        con.execute(sa.text("UPDATE visits SET practice_key = :key WHERE id = :id"), {"key": key, "id": visit_id})
        groups.setdefault((code, day, key), []).append((visit_id, purpose, created))
    for rows in groups.values():
        if len(rows) < 2:
            continue
        keep = rows[0][0]
        latest = max(rows, key=lambda r: (r[2], r[0]))
        said = [r for r in rows if r[1].strip()]
        purpose = max(said, key=lambda r: (r[2], r[0]))[1] if said else ""
        con.execute(sa.text("UPDATE visits SET purpose = :purpose, created = :created WHERE id = :id"),
                    {"purpose": purpose, "created": latest[2], "id": keep})
        merged = [{"id": r[0]} for r in rows[1:]]
        con.execute(sa.text("DELETE FROM visit_practices WHERE visit_id = :id"), merged)
        con.execute(sa.text("DELETE FROM visits WHERE id = :id"), merged)
    op.create_index("visits_once", "visits", ["region_code", "visit_date", "practice_key"], unique=True)


def downgrade() -> None:
    op.drop_index("visits_once", "visits")
    op.drop_column("visits", "practice_key")
