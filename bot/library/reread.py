"""Stored values that read sentences, computed again by today's rules: a passage's `question_share` and a turn's
`asks`, and whether a passage states a number. Ingestion stores them, so a changed rule (where a sentence ends, what
asks, what counts as a number) needs a migration that reads the rows it can change again (`passage_features`);
migrations 0012 to 0019 call this."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from bot.text.passages import question_share
from bot.text.sentences import ends_asking


def reread_asking(bind: Connection, holding: Sequence[str], also: Sequence[str] = ()) -> None:
    """Recompute both values for the rows whose text holds one of `holding`, and one of `also` if given (the rest
    cannot change), and write the ones that differ."""
    for name, column, rule in (("passages", "question_share", question_share), ("turns", "asks", ends_asking)):
        reread(bind, name, column, rule, holding, also)


def reread(
    bind: Connection,
    name: str,
    column: str,
    rule: Callable[[str], object],
    holding: Sequence[str],
    also: Sequence[str] = (),
) -> None:
    """Recompute `column` of table `name` by `rule` of the text, for the rows whose text holds one of `holding`
    (and one of `also`, if given), and write the values that differ."""
    table = sa.table(name, sa.column("id"), sa.column("text"), sa.column(column))
    held = sa.and_(
        *(sa.or_(*(table.c.text.contains(n, autoescape=True) for n in group)) for group in (holding, also) if group)
    )
    rows = bind.execute(sa.select(table.c.id, table.c.text, table.c[column]).where(held)).all()
    changed = [{"row": row_id, "value": value} for row_id, text, old in rows if (value := rule(text)) != old]
    if changed:
        update = table.update().where(table.c.id == sa.bindparam("row")).values({column: sa.bindparam("value")})
        bind.execute(update, changed)
