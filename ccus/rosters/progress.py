"""An import's progress, written on a connection of its own so that its page sees it move."""

from django.db import connection

from ccus.rosters.models import ImportJob

# Percent shown once the file is read and while its rows are written (the rest is the commit).
START, WRITTEN = 5, 95


class JobProgress:
    """Write a job's percentage on a connection of its own, committed at once.

    SQLite lets one connection write at a time: there the page shows only the start and the end.
    """

    def __init__(self, job_id: int, total: int) -> None:
        self.job_id, self.total, self.shown = job_id, max(total, 1), START
        self.side = None
        # Inside an outer transaction that may hold the job's row, a second connection would
        # wait for it forever; nobody could see the progress before its commit anyway.
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self.side = connection.get_new_connection(connection.get_connection_params())
            self.side.autocommit = True

    def __enter__(self) -> "JobProgress":
        return self

    def __exit__(self, *exc) -> None:
        if self.side is not None:
            self.side.close()

    def __call__(self, done: int) -> None:
        percent = min(START + (WRITTEN - START) * done // self.total, WRITTEN)
        if self.side is None or percent == self.shown:
            return
        self.shown = percent
        table = connection.ops.quote_name(ImportJob._meta.db_table)
        sql = f"UPDATE {table} SET progress = %s WHERE id = %s"  # noqa: S608
        self.side.execute(sql, (percent, self.job_id))
