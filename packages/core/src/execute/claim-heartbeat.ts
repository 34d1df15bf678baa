import { MAX_TIMER_MS } from '../util/sleep.js';
import type { ExecutionJournal } from './execution-journal.js';
import type { TicketWriter } from './ticket-writer.js';

/**
 * Keeps an execution's claim alive while its worker runs (issue 12 item 3): whenever no
 * write renewed the lease for a third of it — a slow tool, a long backoff — it writes the
 * journal again, which renews the lease and gives the ticket a new version. It looks every
 * sixth of the lease, so a running owner's claim version never stands for more than half a
 * lease: the other half is the margin for a stalled event loop or a slow commit. Other
 * workers take a claim over only after seeing one version unchanged for a whole lease, so a
 * live worker is never taken over, whatever its clock says — the renewal is timed on the
 * monotonic clock (`elapsed`), so a wall clock stepped back cannot pause it. A renewal that
 * finds the claim lost aborts the execution (through the journal's `onLost`).
 */
export function startClaimHeartbeat(writer: TicketWriter, journal: ExecutionJournal, leaseMs: number, elapsed: () => number): () => void {
  const renewAfter = Math.max(20, Math.floor(leaseMs / 3));
  const timer = setInterval(
    () => {
      if (writer.lost || writer.hasStaged || elapsed() - writer.lastWriteAt < renewAfter) return;
      journal.renew().catch(() => undefined);
    },
    Math.min(MAX_TIMER_MS, Math.max(10, Math.floor(leaseMs / 6))),
  );
  timer.unref?.();
  return () => clearInterval(timer);
}
