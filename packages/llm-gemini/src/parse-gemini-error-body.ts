/** What an error answer of the Gemini API says, read by structure (google.rpc envelope). */
export interface GeminiErrorBody {
  /** The body was JSON (possibly wrapped as text by the SDK). A non-JSON body came from something in front of the API. */
  json: boolean;
  /** `error.status` of the google.rpc envelope, e.g. `RESOURCE_EXHAUSTED`. */
  rpcStatus?: string;
  /** `error.message` of the envelope, or the raw text of a non-envelope body. */
  message: string;
  /** `ErrorInfo.reason` of every detail, e.g. `API_KEY_INVALID`. */
  reasons: string[];
  /** `QuotaFailure.violations[].quotaId` (and `quotaMetric`), e.g. `GenerateRequestsPerDayPerProjectPerModel-FreeTier`. */
  quotaIds: string[];
  /** `RetryInfo.retryDelay`, e.g. `"26s"`. */
  retryDelay?: unknown;
}

/**
 * Reads the text of an `@google/genai` `ApiError` message. The SDK puts the JSON body there
 * (`JSON.stringify(body)`); for a body it did not take for JSON (content type) it wraps the
 * raw text as `{"error":{"message":"<text>","code":…,"status":"<HTTP reason>"}}` — and that
 * text may itself be a google.rpc envelope. Both layers are unwrapped.
 */
export function parseGeminiErrorBody(text: string): GeminiErrorBody {
  const outer = parseJson(text);
  const envelope = errorObject(outer);
  if (!envelope) return { json: outer !== undefined, message: text, reasons: [], quotaIds: [] };
  const status = typeof envelope.status === 'string' ? envelope.status : undefined;
  const message = typeof envelope.message === 'string' ? envelope.message : '';
  if (status === undefined) return { json: true, message, ...readDetails(envelope.details) };
  if (!isRpcStatus(status)) {
    // The SDK's wrapper around a body it read as text: the text is the real body.
    const inner = parseJson(message);
    if (errorObject(inner)) return parseGeminiErrorBody(message);
    return { json: inner !== undefined, message, reasons: [], quotaIds: [] };
  }
  return { json: true, rpcStatus: status, message, ...readDetails(envelope.details) };
}

function readDetails(details: unknown): Pick<GeminiErrorBody, 'reasons' | 'quotaIds' | 'retryDelay'> {
  const result: Pick<GeminiErrorBody, 'reasons' | 'quotaIds' | 'retryDelay'> = { reasons: [], quotaIds: [] };
  if (!Array.isArray(details)) return result;
  for (const detail of details as Record<string, unknown>[]) {
    const type = typeof detail?.['@type'] === 'string' ? (detail['@type'] as string) : '';
    if (type.endsWith('google.rpc.ErrorInfo') && typeof detail.reason === 'string') result.reasons.push(detail.reason);
    if (type.endsWith('google.rpc.RetryInfo')) result.retryDelay = detail.retryDelay;
    if (type.endsWith('google.rpc.QuotaFailure') && Array.isArray(detail.violations)) {
      for (const violation of detail.violations as Record<string, unknown>[]) {
        for (const key of ['quotaId', 'quotaMetric'] as const) {
          if (typeof violation?.[key] === 'string') result.quotaIds.push(violation[key] as string);
        }
      }
    }
  }
  return result;
}

function errorObject(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const error = (value as { error?: unknown }).error;
  return typeof error === 'object' && error !== null && !Array.isArray(error) ? (error as Record<string, unknown>) : undefined;
}

function isRpcStatus(status: string): boolean {
  return /^[A-Z][A-Z_]*$/.test(status);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
