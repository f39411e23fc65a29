"""The worker's archive-timestamp job: each pass renews the sealed PDFs that are due, one
transaction each (see `app.certificates.archive`)."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from app.certificates import archive
from app.database import utcnow
from app.worker.steps import step

log = logging.getLogger(__name__)


@dataclass
class ArchiveRenewer:
    sessions: Callable[[], Session]
    renewal: archive.Renewal
    clock: Callable[[], datetime] = utcnow
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> Counter[str]:
        """Renew what is due now, a batch at a time; a document that fails is logged and left
        due (the next pass tries again), the others go on."""
        report: Counter[str] = Counter()
        now = self.clock()
        failed: set[object] = set()
        while not self.stop.is_set():
            with step(self.sessions) as session:
                ids = archive.due(
                    session, now, self.renewal.margin, self.renewal.batch_size + len(failed)
                )
            todo = [i for i in ids if i not in failed]
            if not todo:
                break
            for document_id in todo:
                try:
                    with step(self.sessions) as session:
                        done = archive.renew(session, document_id, self.renewal, now)
                except archive.RenewalRefused as exc:
                    log.warning("archive timestamp for %s not renewed: %s", document_id, exc)
                    failed.add(document_id)
                    report["archive_timestamps_failed"] += 1
                    continue
                if done:
                    report["archive_timestamps_added"] += 1
                else:
                    failed.add(document_id)  # another worker holds or renewed it
        return report
