import { StoreError } from '@ticketflow/core/adapter';
import type { CommitResult, StoredEventRow, StoredTicketRow, TicketSummary } from '@ticketflow/core/adapter';

const ADAPTER = 'redis';

/** The reply of `HMGET document version document`. */
export function decodeLoadReply(reply: unknown): StoredTicketRow | null {
  const [version, document] = textList(reply, 'the stored ticket');
  if (version === null && document === null) return null;
  if (version === null || document === null || version === undefined || document === undefined) {
    throw corrupt('the stored ticket lacks its version or its document');
  }
  if (!/^[1-9]\d*$/.test(version) || !Number.isSafeInteger(Number(version))) throw corrupt('the stored version is not a positive integer');
  return { document, version: Number(version) };
}

/** The reply of `LRANGE events after …`: the event with seq n is element n - 1. */
export function decodeEventsReply(reply: unknown, after: number): StoredEventRow[] {
  return textList(reply, 'the stored events').map((text, index) => {
    if (text === null || text === undefined) throw corrupt('a stored event is missing');
    return { seq: after + index + 1, event: text };
  });
}

/** The reply of the commit script: `{1, version}` or `{0, current version or 0}`. */
export function decodeCommitReply(reply: unknown): CommitResult {
  if (!Array.isArray(reply) || reply.length !== 2) throw corrupt('the commit script gave an unexpected reply');
  const [ok, version] = reply.map(Number) as [number, number];
  if (!Number.isSafeInteger(version) || version < 0) throw corrupt('the commit script gave an unexpected version');
  if (ok === 1 && version > 0) return { ok: true, version };
  return { ok: false, reason: 'conflict', version: version === 0 ? null : version };
}

/** What the list script read of one range (or of the claims), and where to go on. */
export interface IndexRead {
  /** The summaries of the tickets still there. */
  tickets: TicketSummary[];
  /** Members whose ticket exists but whose summary vanished meanwhile: read, not returned. */
  unsummarised: number;
  /** A range: the min to go on from and how many live tickets it still wants. Claims: the last member returned and its score. */
  resume: [string, string];
  /** Whether the range (or the claims below the bound) has no member left to read. */
  ended: boolean;
}

/**
 * The reply of the list script (`ranges` groups): per range, `{resume, resume, ended, member, summary, …}`. A
 * summary is `[version, status, encoded status, updatedAt, claim ISO or '', updatedAt ms]`; a
 * member ends with ` <ticket id>` after its 24-character updatedAt.
 */
export function decodeListReply(reply: unknown, mode: 'updated' | 'status' | 'claims', ranges: number): IndexRead[] {
  if (!Array.isArray(reply) || reply.length !== ranges) throw corrupt('the index came back in an unexpected shape');
  return reply.map((group: unknown) => {
    const items = textList(group, 'the index');
    const [first, second, ended] = items;
    if (typeof first !== 'string' || typeof second !== 'string' || (ended !== '0' && ended !== '1'))
      throw corrupt('the index came back in an unexpected shape');
    const tickets: TicketSummary[] = [];
    let unsummarised = 0;
    for (let index = 3; index + 1 < items.length; index += 2) {
      const member = items[index];
      const text = items[index + 1];
      if (typeof member !== 'string') throw corrupt('an index member is missing');
      if (typeof text !== 'string') {
        unsummarised += 1;
        continue;
      }
      const ticketId = member.slice((mode === 'status' ? member.indexOf(' ') + 1 : 0) + 25);
      tickets.push(summaryOf(ticketId, text));
    }
    return { tickets, unsummarised, resume: [first, second], ended: ended === '1' };
  });
}

function summaryOf(ticketId: string, text: string): TicketSummary {
  let summary: unknown;
  try {
    summary = JSON.parse(text);
  } catch {
    throw corrupt('an index entry is not valid JSON');
  }
  if (!Array.isArray(summary) || typeof summary[1] !== 'string' || typeof summary[3] !== 'string') throw corrupt('an index entry is not a ticket summary');
  const claim: unknown = summary[4];
  return {
    ticketId,
    version: Number(summary[0]),
    status: summary[1],
    updatedAt: summary[3],
    claimExpiresAt: typeof claim === 'string' && claim !== '' ? claim : null,
  };
}

function textList(reply: unknown, what: string): (string | null | undefined)[] {
  if (!Array.isArray(reply)) throw corrupt(`${what} came back in an unexpected shape`);
  return reply.map((item: unknown) => {
    if (item === null || typeof item === 'string') return item;
    if (Buffer.isBuffer(item)) return item.toString('utf8');
    throw corrupt(`${what} came back in an unexpected shape`);
  });
}

function corrupt(message: string): StoreError {
  return new StoreError({ kind: 'corrupt', adapter: ADAPTER, retryable: false, message });
}
