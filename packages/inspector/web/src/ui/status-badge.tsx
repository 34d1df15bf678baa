import { statusLabel } from './status.js';

/** A ticket status: symbol, words and the raw name; colour only adds to them. */
export function StatusBadge({ status }: { status: string }) {
  const { label, symbol } = statusLabel(status);
  return (
    <span class={`badge status-${status.replace(/[^a-z_]/g, '')}`} title={status}>
      <span aria-hidden="true">{symbol}</span> {label}
    </span>
  );
}
