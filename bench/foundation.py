"""Foundation benchmark: what encryption, the audit chain and a certificate's life cost.

    .venv/bin/python -m bench.foundation [--journeys 300] [--people 5000]

Uses DATABASE_URL when set (e.g. PostgreSQL), else a temporary SQLite file. Prints its figures;
it is not a timed test.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from cryptography.fernet import Fernet
from sqlalchemy import func, select

from app.akassa import service as akassa_service
from app.audit.service import verify_chain
from app.certificates import service as certificates
from app.certificates.models import Certificate
from app.extensions import db
from app.people import service as people
from app.privacy import vault
from bench.scratch import scratch_app
from tests import factories as f


def per_second(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s ({seconds / count * 1e6:,.1f} µs each)"


def timed(action: Callable[[], object], repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        action()
    return time.perf_counter() - start


def crypto_figures(repeat: int = 20000) -> None:
    keys = vault.Vault([Fernet.generate_key().decode()], "k" * 40)
    token = keys.encrypt("191212121212")
    cases: dict[str, Callable[[], object]] = {
        "encrypt personnummer": lambda: keys.encrypt("191212121212"),
        "decrypt personnummer": lambda: keys.decrypt(token),
        "blind index (HMAC)": lambda: keys.blind_index("191212121212"),
    }
    print("personal data")
    for name, action in cases.items():
        print(f"  {name:<22} {per_second(repeat, timed(action, repeat))}")


def journey_figures(journeys: int, population: int) -> None:
    session = db.session
    w = f.world(session)
    unionens = akassa_service.get_by_code(session, "unionens")
    session.commit()
    durations = []
    for _ in range(journeys):
        start = time.perf_counter()
        cert = certificates.create_draft(
            session,
            company=w.company,
            variant="full",
            content=f.content(),
            actor=w.by_certifier,
            now=f.NOW,
        )
        certificates.sign(
            session,
            cert,
            signer=w.certifier,
            evidence=f.EVIDENCE,
            confirmed_warnings=certificates.draft_warnings(session, cert),
            now=f.NOW,
        )
        certificates.deliver(session, cert, now=f.NOW)
        certificates.approve(
            session,
            cert,
            employee=w.employee,
            akassa=unionens,
            version_number=1,
            evidence=f.EVIDENCE,
            now=f.NOW + timedelta(days=1),
        )
        session.commit()
        durations.append(time.perf_counter() - start)
    ms = sorted(d * 1000 for d in durations)
    print(f"certificate journeys (create, sign, deliver, approve; one commit each), n={journeys}")
    print(
        f"  p50 {statistics.median(ms):.2f} ms   p99 {ms[int(len(ms) * 0.99) - 1]:.2f} ms   "
        f"throughput {journeys / sum(durations):,.0f} journeys/s"
    )

    for n in range(population):
        people.find_or_create_person(session, _test_pnr(n), first_name="Bench", last_name=str(n))
    session.commit()
    probe = _test_pnr(population // 2)
    lookups = 2000
    seconds = timed(lambda: people.find_person(session, probe), lookups)
    print(f"blind-index lookup among {population:,} people: {per_second(lookups, seconds)}")

    start = time.perf_counter()
    report = verify_chain(session)
    seconds = time.perf_counter() - start
    print(
        f"audit chain verify: {report.checked:,} events in {seconds * 1000:.0f} ms "
        f"({report.checked / seconds:,.0f} events/s), intact={report.ok}"
    )
    total = session.scalar(select(func.count()).select_from(Certificate))
    print(f"certificates stored: {total:,}")


def _test_pnr(n: int) -> str:
    """Valid test personnummer: birth numbers 980-999 are never assigned to anyone."""
    from stdnum import luhn  # noqa: PLC0415

    day = 1 + n % 28
    month = 1 + (n // 28) % 12
    year = 1940 + (n // 336) % 60
    birth = 980 + (n // 20160) % 20
    base = f"{year % 100:02d}{month:02d}{day:02d}{birth:03d}"
    return f"{year}{month:02d}{day:02d}{birth:03d}{luhn.calc_check_digit(base)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--journeys", type=int, default=300)
    parser.add_argument("--people", type=int, default=5000)
    args = parser.parse_args()
    crypto_figures()
    with scratch_app():
        akassa_service.load_reference_data(db.session)
        db.session.commit()
        journey_figures(args.journeys, args.people)


if __name__ == "__main__":
    main()
