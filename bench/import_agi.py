"""AGI import benchmark: files of 1,000 and 10,000 employees × 12 months imported end to end,
next to a bare `lxml.etree.iterparse` pass over the same file.

    .venv/bin/python -m bench.import_agi [--employees 1000 10000] [--months 12]

End to end is what a real import does: the file is queued as an import job (stored in encrypted
pieces, as an upload is), then the worker's JobRunner streams it through the AGI adapter
(validation included) and stores every statement through `app.income.service` (personnummer
encrypted, blind-indexed, upserted by key), committing progress as it goes. The bare pass is
`iterparse` over the file on disk, clearing each form as it ends: the least any streaming
reader of this XML must do. Prints both times, their ratio, and the peak Python memory of each
import (tracemalloc; libxml2's own buffers are not counted, and are bounded by the clearing),
and the process's largest resident size so far (which only grows: run one size alone to see
its own).
Also the CPU seconds of both and their ratio, and the load average: on a busy machine the wall
times swing, the CPU times much less (on SQLite all the work is this process's; on PostgreSQL
the server's share is not counted).

Uses a fresh SQLite database in a temporary folder, or DATABASE_URL when set (it is emptied).
Aims: the import within 3× of the bare parse; peak memory for 10,000 employees within 20 % of
that for 1,000. Not a timed test.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
import tracemalloc
import uuid
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from sqlalchemy import func, select

from app.companies import service as companies
from app.extensions import db
from app.imports import service as imports
from app.income.models import AgiIncome
from app.people import service as people
from app.worker.imports import JobRunner
from bench.scratch import scratch_app
from payroll_adapters import generate_agi, parse
from payroll_adapters.agi_format import COMPONENT_NAMESPACE
from payroll_adapters.agi_generate import DEMO_ORGANISATIONSNUMMER

ADMIN_PNR = "198001019804"
OTHER_ORGANISATIONSNUMMER = "5599999991"


@dataclass(frozen=True)
class Figures:
    employees: int
    size: int
    statements: int
    bare: Timing
    adapter_seconds: float
    upload_seconds: float
    imported: Timing
    peak_bytes: int
    max_rss: int

    @property
    def ratio(self) -> float:
        return self.imported.wall / self.bare.wall

    @property
    def cpu_ratio(self) -> float:
        return self.imported.cpu / self.bare.cpu


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float


class _Timer:
    def __enter__(self) -> _Timer:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_: object) -> None:
        self.timing = Timing(time.perf_counter() - self._wall, time.process_time() - self._cpu)


def write_file(path: Path, employees: int, months: int, orgnr: str) -> int:
    with path.open("wb") as out:
        for chunk in generate_agi(employees, months, seed=employees, organisationsnummer=orgnr):
            out.write(chunk)
    return path.stat().st_size


def bare_parse(path: Path) -> Timing:
    form = f"{{{COMPONENT_NAMESPACE}}}Blankett"
    with _Timer() as timer:
        for _event, element in etree.iterparse(str(path), events=("end",), tag=form):
            element.clear(keep_tail=True)
            while element.getprevious() is not None:
                del element.getparent()[0]
    return timer.timing


def adapter_only(path: Path) -> float:
    """The AGI adapter alone (parse and validate, nothing stored): the floor of any import."""
    started = time.perf_counter()
    with path.open("rb") as stream:
        for _item in parse("agi", stream, max_bytes=1 << 40):
            pass
    return time.perf_counter() - started


def import_file(path: Path, company_id: uuid.UUID, *, traced: bool) -> tuple[float, Timing, int]:
    """(upload seconds, import time, peak bytes when traced) of one file as an import job."""
    started = time.perf_counter()
    with db.new_session() as session, path.open("rb") as stream:
        imports.create_job(
            session, company_id=company_id, format="agi", stream=stream, max_bytes=1 << 40
        )
        session.commit()
    uploaded = time.perf_counter()
    runner = JobRunner(sessions=db.new_session, max_bytes=1 << 40, name="bench")
    if traced:
        tracemalloc.start()
    with _Timer() as timer:
        report = runner.run_due()
    peak = tracemalloc.get_traced_memory()[1] if traced else 0
    tracemalloc.stop()
    if report != {"imports_done": 1}:
        raise RuntimeError(f"the import did not finish: {report}")
    return uploaded - started, timer.timing, peak


def company(orgnr: str, name: str) -> uuid.UUID:
    with db.new_session() as session:
        admin = people.find_or_create_person(
            session, ADMIN_PNR, first_name="Bench", last_name="Admin"
        )
        found = companies.register_company(
            session, organisationsnummer=orgnr, name=name, admin=admin
        )
        session.commit()
        return found.id


def run(employees: list[int], months: int) -> list[Figures]:
    found = []
    with scratch_app() as (_app, scratch):
        # Timed on one company, measured (tracemalloc slows Python down) on another.
        timed = company(DEMO_ORGANISATIONSNUMMER, "Bench AB")
        measured = company(OTHER_ORGANISATIONSNUMMER, "Bench Minne AB")
        for count in employees:
            path = scratch / f"agi-{count}.xml"
            size = write_file(path, count, months, DEMO_ORGANISATIONSNUMMER)
            bare = min((bare_parse(path) for _ in range(3)), key=lambda timing: timing.wall)
            adapter = adapter_only(path)
            upload, imported, _ = import_file(path, timed, traced=False)
            write_file(path, count, months, OTHER_ORGANISATIONSNUMMER)
            _, _, peak = import_file(path, measured, traced=True)
            with db.new_session() as session:
                stored = session.scalar(
                    select(func.count()).select_from(AgiIncome).where(AgiIncome.company_id == timed)
                )
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            found.append(
                Figures(count, size, stored or 0, bare, adapter, upload, imported, peak, rss)
            )
            path.unlink()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--employees", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    figures = run(args.employees, args.months)
    print(f"load average (1 min): {load:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(
        f"{'employees':>9} {'file MB':>8} {'rows':>8} {'bare s':>7} {'adapter s':>9} "
        f"{'upload s':>8} {'import s':>8} {'ratio':>6} {'peak MB':>8} "
        f"{'bare cpu':>8} {'import cpu':>10} {'cpu ratio':>9} {'max RSS MB':>10}"
    )
    for row in figures:
        print(
            f"{row.employees:>9} {row.size / 1e6:>8.1f} {row.statements:>8} "
            f"{row.bare.wall:>7.2f} {row.adapter_seconds:>9.2f} {row.upload_seconds:>8.2f} "
            f"{row.imported.wall:>8.2f} "
            f"{row.ratio:>6.2f} {row.peak_bytes / 1e6:>8.1f} "
            f"{row.bare.cpu:>8.2f} {row.imported.cpu:>10.2f} {row.cpu_ratio:>9.2f} "
            f"{row.max_rss / 1e6:>10.1f}"
        )
    if len(figures) >= 2:
        growth = figures[-1].peak_bytes / figures[0].peak_bytes - 1
        print(f"peak memory {figures[-1].employees} vs {figures[0].employees}: {growth:+.0%}")


if __name__ == "__main__":
    main()
