/** A time as the operator reads it: local date and time with seconds. */
export function formatTime(iso: unknown): string {
  if (typeof iso !== 'string') return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** "3 min ago", "2 h ago", "5 d ago" (from `now`). */
export function formatAge(iso: string, now = Date.now()): string {
  const ms = now - new Date(iso).getTime();
  if (!Number.isFinite(ms)) return '';
  if (ms < 0) return 'in the future';
  const seconds = Math.round(ms / 1_000);
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3_600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.round(seconds / 3_600)} h ago`;
  return `${Math.round(seconds / 86_400)} d ago`;
}

/** A duration in ms: "840 ms", "2.4 s", "3 min 5 s". */
export function formatDuration(ms: unknown): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
  if (ms < 172_800_000) return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
  return `${Math.round(ms / 86_400_000)} d`;
}

/** Milliseconds between two ISO times, or null. */
export function between(start: unknown, end: unknown): number | null {
  if (typeof start !== 'string' || typeof end !== 'string') return null;
  const ms = new Date(end).getTime() - new Date(start).getTime();
  return Number.isFinite(ms) && ms >= 0 ? ms : null;
}

/** A confidence 0–1 as a percentage. */
export function formatConfidence(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? `${Math.round(value * 100)} %` : '—';
}

/** Reads a field of an event's data as a string (or null). */
export function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** Describes an engine action (`{ type: 'ask', slot, … }`) in a few words. */
export function describeAction(action: unknown): string {
  if (typeof action !== 'object' || action === null) return '—';
  const a = action as Record<string, unknown>;
  const reason = text(a.reason) ? ` (${text(a.reason)})` : '';
  switch (a.type) {
    case 'ask':
      return `ask for ${text(a.slot) ?? '?'}`;
    case 'execute':
      return `run ${text(a.workflow) ?? '?'}${text(a.outcome) ? ` → ${text(a.outcome)}` : ''}${reason}`;
    case 'escalate':
      return `escalate${reason}`;
    case 'fallback':
      return `fallback${reason}`;
    case 'cancelled':
      return `cancel ${text(a.workflow) ?? ''}${reason}`.trim();
    case 'acknowledge':
      return 'acknowledge';
    case 'wait':
      return `wait for ${text(a.workflow) ?? '?'}${reason}`;
    case 'resume':
      return `resume ${text(a.workflow) ?? '?'}`;
    case 'abandon':
      return `abandon ${text(a.workflow) ?? '?'}${reason}`;
    default:
      return text(a.type) ?? JSON.stringify(action);
  }
}
