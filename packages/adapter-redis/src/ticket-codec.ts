import { StoreError, type CommitResult, type LoadedTicket, type StoredTicketEvent, type TicketDoc, type TicketEvent } from '@ticketflow/core';

const ADAPTER = 'redis';

/** The document as JSON text for the commit script. */
export function encodeDocument(ticket: TicketDoc): string {
  try {
    return JSON.stringify(ticket);
  } catch (error) {
    throw new StoreError({ kind: 'invalid', adapter: ADAPTER, message: 'the ticket is not JSON', cause: error });
  }
}

/** An event as a JSON object without `seq`: the commit script puts the seq in front. */
export function encodeEvent(event: TicketEvent): string {
  const { seq: _ignored, ...rest } = event as TicketEvent & { seq?: unknown };
  let text: string | undefined;
  try {
    text = JSON.stringify(rest) as string | undefined;
  } catch (error) {
    throw new StoreError({ kind: 'invalid', adapter: ADAPTER, message: 'an event is not JSON', cause: error });
  }
  if (text === undefined || !text.startsWith('{') || text === '{}') {
    throw new StoreError({ kind: 'invalid', adapter: ADAPTER, message: 'an event must serialise to a non-empty JSON object' });
  }
  return text;
}

/** The reply of `HMGET document version document`. */
export function decodeLoadReply(reply: unknown): LoadedTicket | null {
  const [version, document] = textList(reply, 'the stored ticket');
  if (version === null && document === null) return null;
  if (version === null || document === null || version === undefined || document === undefined) {
    throw corrupt('the stored ticket lacks its version or its document');
  }
  if (!/^[1-9]\d*$/.test(version) || !Number.isSafeInteger(Number(version))) throw corrupt('the stored version is not a positive integer');
  const ticket = parseJson(document, 'the stored document');
  if (typeof ticket !== 'object' || ticket === null || Array.isArray(ticket)) throw corrupt('the stored document is not a JSON object');
  return { ticket: ticket as TicketDoc, version: Number(version) };
}

/** The reply of `LRANGE events after …`: only events with `seq > after`, in order. */
export function decodeEventsReply(reply: unknown, after: number): StoredTicketEvent[] {
  const events: StoredTicketEvent[] = [];
  for (const text of textList(reply, 'the stored events')) {
    if (text === null || text === undefined) throw corrupt('a stored event is missing');
    const event = parseJson(text, 'a stored event') as Partial<StoredTicketEvent> | null;
    if (typeof event !== 'object' || event === null || !Number.isSafeInteger(event.seq) || typeof event.type !== 'string') {
      throw corrupt('a stored event is not an event record');
    }
    if (event.seq! > after) events.push(event as StoredTicketEvent);
  }
  return events;
}

/** The reply of the commit script: `{1, version}` or `{0, current version or 0}`. */
export function decodeCommitReply(reply: unknown): CommitResult {
  if (!Array.isArray(reply) || reply.length !== 2) throw corrupt('the commit script gave an unexpected reply');
  const [ok, version] = reply.map(Number) as [number, number];
  if (!Number.isSafeInteger(version) || version < 0) throw corrupt('the commit script gave an unexpected version');
  if (ok === 1 && version > 0) return { ok: true, version };
  return { ok: false, reason: 'conflict', version: version === 0 ? null : version };
}

function textList(reply: unknown, what: string): (string | null | undefined)[] {
  if (!Array.isArray(reply)) throw corrupt(`${what} came back in an unexpected shape`);
  return reply.map((item: unknown) => {
    if (item === null || typeof item === 'string') return item;
    if (Buffer.isBuffer(item)) return item.toString('utf8');
    throw corrupt(`${what} came back in an unexpected shape`);
  });
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // The parser's message quotes the stored text, which may be personal data: not copied.
    throw corrupt(`${what} is not valid JSON`);
  }
}

function corrupt(message: string): StoreError {
  return new StoreError({ kind: 'corrupt', adapter: ADAPTER, message });
}
