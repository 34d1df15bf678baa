/** How each status reads, with a symbol so that it is legible without colour. */
const STATUS_LABELS: Record<string, { label: string; symbol: string }> = {
  needs_human: { label: 'Needs a human', symbol: '⚑' },
  awaiting_approval: { label: 'Awaiting approval', symbol: '‖' },
  awaiting_input: { label: 'Waiting for the customer', symbol: '…' },
  executing: { label: 'Executing', symbol: '▶' },
  awaiting_confirmation: { label: 'Awaiting confirmation', symbol: '?' },
  collecting: { label: 'Collecting details', symbol: '✎' },
  open: { label: 'Open', symbol: '○' },
  escalated: { label: 'Escalated', symbol: '↑' },
  resolved: { label: 'Resolved', symbol: '✓' },
  closed: { label: 'Closed', symbol: '■' },
};

/** The label and symbol of a status (an unknown status reads as itself). */
export function statusLabel(status: string): { label: string; symbol: string } {
  return STATUS_LABELS[status] ?? { label: status.replace(/_/g, ' '), symbol: '•' };
}
