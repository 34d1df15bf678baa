import type { ComponentChildren } from 'preact';

/** A value masked by the engine (P1): `****1234`, `••••`, `[redacted]`. Never unmasked here. */
export function isMasked(value: unknown): boolean {
  return typeof value === 'string' && /^(\*{3,}|•{3,})\S{0,8}$|^\[(redacted|masked)[^\]]*\]$/i.test(value);
}

const MAX_INLINE = 160;

/**
 * Any recorded value: a string as text, a masked value marked as such, an object or array
 * as compact JSON (expandable when long). Text is always escaped by Preact, so hostile
 * content is shown, never run.
 */
export function ValueView({ value }: { value: unknown }) {
  if (isMasked(value)) {
    return (
      <span class="masked" title="Masked: this value is sensitive and is never shown in clear">
        <code>{value as string}</code> <span class="tag">masked</span>
      </span>
    );
  }
  if (value === undefined) return <span class="muted">—</span>;
  if (typeof value === 'string') return <Expandable full={value}>{`“${value}”`}</Expandable>;
  if (value === null || typeof value !== 'object') return <code>{String(value)}</code>;
  if (isSmallRecord(value)) return <InlineRecord value={value} />;
  const json = JSON.stringify(value);
  if (json.length <= MAX_INLINE) return <code class="json">{json}</code>;
  return (
    <details class="json-details">
      <summary>
        <code>{json.slice(0, 80)}…</code>
      </summary>
      <pre>{JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}

const isPrimitive = (value: unknown) => value === null || ['string', 'number', 'boolean'].includes(typeof value);

function isSmallRecord(value: object): value is Record<string, unknown> {
  if (Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return entries.length > 0 && entries.length <= 6 && entries.every(([, item]) => isPrimitive(item) && String(item).length <= 60);
}

/** A small flat object, `{ key: value, … }`, each value shown (and masked values marked) like any other. */
function InlineRecord({ value }: { value: Record<string, unknown> }) {
  const entries = Object.entries(value);
  return (
    <code class="json record-inline">
      {'{'}
      {entries.map(([key, item], index) => (
        <span key={key}>
          {JSON.stringify(key)}:{isMasked(item) ? <ValueView value={item} /> : JSON.stringify(item)}
          {index < entries.length - 1 ? ',' : ''}
        </span>
      ))}
      {'}'}
    </code>
  );
}

function Expandable({ full, children }: { full: string; children: ComponentChildren }) {
  if (full.length <= MAX_INLINE) return <span class="string">{children}</span>;
  return (
    <details class="json-details">
      <summary>“{full.slice(0, 120)}…”</summary>
      <pre>{full}</pre>
    </details>
  );
}

/** A record of named values as a definition list. */
export function Fields({ values }: { values: Record<string, unknown> }) {
  const entries = Object.entries(values).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return <span class="muted">none</span>;
  return (
    <dl class="fields">
      {entries.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>
            <ValueView value={value} />
          </dd>
        </div>
      ))}
    </dl>
  );
}
