/**
 * What goes into spans as content (messages, entities, tool inputs and outputs): nothing
 * unless `captureContent` is on, and then only through the redaction function (the core's
 * `defaultRedact` unless the app gives its own). A value that cannot be serialised, or a
 * redaction that throws, leaves the attribute out: content capture never breaks a turn.
 */
export class ContentCapture {
  constructor(
    readonly enabled: boolean,
    private readonly redact: (text: string) => string,
  ) {}

  /** The text, redacted; undefined when capture is off or the redaction fails. */
  text(value: unknown): string | undefined {
    if (!this.enabled || typeof value !== 'string') return undefined;
    try {
      const redacted: unknown = this.redact(value);
      if (typeof redacted === 'string') return redacted;
      // An async redact's promise: content is left out, and its rejection must not go unhandled.
      if (typeof (redacted as PromiseLike<unknown> | undefined)?.then === 'function') (redacted as PromiseLike<unknown>).then(undefined, () => undefined);
      return undefined;
    } catch {
      return undefined;
    }
  }

  /** A JSON value as redacted JSON text (tool inputs and outputs, entities). */
  json(value: unknown): string | undefined {
    if (!this.enabled || value === undefined) return undefined;
    return this.text(safeStringify(value));
  }

  /** One message in the GenAI conventions' messages format, as JSON text. */
  messages(role: 'user' | 'assistant', content: unknown, finishReason?: string): string | undefined {
    const text = this.text(content);
    if (text === undefined) return undefined;
    const message = { role, parts: [{ type: 'text', content: text }], ...(finishReason ? { finish_reason: finishReason } : {}) };
    return JSON.stringify([message]);
  }
}

function safeStringify(value: unknown): string | undefined {
  try {
    return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? item.toString() : item));
  } catch {
    return undefined;
  }
}
