"""When digests are due: local-time arithmetic (pure) and the APScheduler jobs built from the subscriptions table.

The jobs only decide *when to look*; whether a digest is due and who sends it is decided by
`DigestService.run_due` against the database, so a lost, doubled or late job never changes what is posted.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger(__name__)

SWEEP_JOB = "digest:sweep"


def scheduled_at(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant of local time `at` on `day` in `zone`.

    Through a DST change the local time stays put (09:00 Berlin is 08:00 UTC in winter, 07:00 in summer).
    A local time that does not exist that day (02:30 on the spring-forward night) maps to the same wall-clock
    reading in the old offset, i.e. one hour later in the new one; a time that occurs twice uses the first.
    """
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)


def local_today(now: datetime, zone: ZoneInfo) -> date:
    """The calendar date in `zone` at the instant `now`."""
    return now.astimezone(zone).date()


def next_run(now: datetime, at: time, zone: ZoneInfo) -> datetime:
    """The first scheduled instant after `now` (UTC)."""
    day = local_today(now, zone)
    for offset in range(3):
        moment = scheduled_at(day + timedelta(days=offset), at, zone)
        if moment > now:
            return moment
    raise AssertionError("unreachable: a local time recurs within two days")


@cache
def _zone_names() -> tuple[str, ...]:
    return tuple(sorted(name for name in available_timezones() if "/" in name or name == "UTC"))


def matching_timezones(text: str, limit: int = 25) -> list[str]:
    """IANA zones for autocomplete: names starting with the text first, then names containing it."""
    needle = text.strip().casefold().replace(" ", "_")
    names = _zone_names()
    starts = [n for n in names if n.casefold().startswith(needle) or n.casefold().split("/")[-1].startswith(needle)]
    contains = [n for n in names if needle in n.casefold() and n not in starts]
    return (starts + contains)[:limit]


def cron_trigger(at: time, zone: ZoneInfo) -> CronTrigger:
    """A daily trigger at local `at` in `zone` (APScheduler keeps it at that wall-clock time through DST)."""
    return CronTrigger(hour=at.hour, minute=at.minute, timezone=zone)


class JobTable:
    """The AsyncIOScheduler in the bot's loop, with one cron job per active subscription plus a sweep.

    `sync` rebuilds the cron jobs from (id, time, zone) rows so the table is the only source of truth; the sweep
    re-reads the table (changes made by another process) and catches what a cron job missed.
    """

    def __init__(
        self,
        fire: Callable[[int | None], Awaitable[None]],
        *,
        sweep_seconds: float = 60.0,
    ) -> None:
        self.fire = fire  # fire(subscription_id) or fire(None) for the sweep
        self.sweep_seconds = sweep_seconds
        self.scheduler: AsyncIOScheduler | None = None

    @property
    def running(self) -> bool:
        """True between start and stop."""
        return self.scheduler is not None and self.scheduler.running

    def start(self) -> None:
        """Start the scheduler in the running event loop, with the sweep job."""
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.scheduler.add_job(
            self.fire,
            IntervalTrigger(seconds=self.sweep_seconds, timezone=UTC),
            args=[None],
            id=SWEEP_JOB,
            coalesce=True,
            max_instances=1,
        )
        self.scheduler.start()

    def sync(self, rows: Iterable[tuple[int, time, ZoneInfo]]) -> None:
        """Make the cron jobs exactly the given subscriptions' (id, local time, zone)."""
        if self.scheduler is None:
            return
        wanted = {f"digest:{sub_id}": (sub_id, at, zone) for sub_id, at, zone in rows}
        for job in self.scheduler.get_jobs():
            if job.id != SWEEP_JOB and job.id not in wanted:
                job.remove()
        for job_id, (sub_id, at, zone) in wanted.items():
            self.scheduler.add_job(
                self.fire,
                cron_trigger(at, zone),
                args=[sub_id],
                id=job_id,
                replace_existing=True,
                coalesce=True,
                max_instances=1,
                misfire_grace_time=None,  # run_due applies the digest grace itself
            )
        log.debug("digest jobs: %d subscriptions", len(wanted))

    def jobs(self) -> dict[str, datetime | None]:
        """Job id → next fire time, for logs and tests."""
        if self.scheduler is None:
            return {}
        return {job.id: job.next_run_time for job in self.scheduler.get_jobs()}

    def stop(self) -> None:
        """Shut the scheduler down without waiting for running jobs (they finish on their own)."""
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.scheduler = None
