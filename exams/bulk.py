"""Inserting many score rows, with their history, at the database's speed.

Django's `bulk_create` spends most of its time compiling each value of each row (a grade's 9,000 scores and 25,000
item scores, twice with their history: about 4 s of Python on this machine for 0.5 s of SQLite). The import has
checked every value already, so it inserts the plain tuples with the database driver's `executemany` through
Django's cursor (placeholders, adaptation and transactions as usual; the database's constraints still apply),
then reads the new ids back in one query and writes the history rows the same way: what `bulk_create_with_history`
would write (history type "+", the user, the reason, the moment).
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

BATCH = 5000


def insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """INSERT the tuples (in `columns` order, column names) into the model's table."""
    if not rows:
        return
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table), ", ".join(quote(c) for c in columns), ", ".join(["%s"] * len(columns)))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start:start + BATCH])


def insert_history(model, columns: list[str], rows: list[tuple], *, user, reason: str) -> None:
    """History rows of newly created objects: `columns` are the tracked columns starting with "id"; each row the
    object's values in that order."""
    history = model.history.model
    moment = connection.ops.adapt_datetimefield_value(timezone.now())
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    known = {f.column for f in history._meta.concrete_fields}
    assert set(columns) <= known, set(columns) - known
    extra = ["history_date", "history_change_reason", "history_type", "history_user_id"]
    tail = (moment, reason, "+", user_id)
    insert_rows(history, columns + extra, [row + tail for row in rows])
