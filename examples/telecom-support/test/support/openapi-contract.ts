import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** An OpenAPI 3.1 document, loosely typed: the checker reads it, it does not trust it. */
export type OpenApiDocument = Record<string, any>;

/** A response as the checker sees it. */
export interface ObservedResponse {
  method: string;
  /** The request path with its query (`/v1/tickets/T-1/events?limit=2`). */
  url: string;
  status: number;
  headers: Headers;
  /** The raw body text. */
  text: string;
}

/**
 * Checks real responses against an OpenAPI 3.1 document: finds the operation by method and
 * path template (or the document's `RouteNotFound` / `MethodNotAllowed` responses when no
 * operation matches), requires the status to be documented, every required header to be
 * present and match its schema, and the body to match the media type's schema (JSON
 * Schema 2020-12, ajv). Counts what it checked.
 */
export class OpenApiContract {
  readonly checked = { responses: 0, headers: 0, bodies: 0 };
  readonly seen = new Set<string>();
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<unknown, ValidateFunction>();
  private readonly templates: { pattern: RegExp; path: string }[];

  constructor(readonly document: OpenApiDocument) {
    this.ajv = new Ajv2020({ strict: true, allErrors: true, strictRequired: false });
    addFormats.default(this.ajv);
    this.ajv.addKeyword({ keyword: 'example' }); // OpenAPI's Schema Object keyword
    this.ajv.addSchema(rewriteRefs({ $id: 'urn:openapi:components', $defs: document.components?.schemas ?? {} }) as object);
    this.templates = Object.keys(document.paths ?? {}).map((path) => ({
      path,
      pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`),
    }));
  }

  /** A validator for a schema of the document (its `#/components/schemas` refs resolved). */
  validator(schema: unknown): ValidateFunction {
    let validate = this.validators.get(schema);
    if (!validate) {
      validate = this.ajv.compile(rewriteRefs(schema) as object);
      this.validators.set(schema, validate);
    }
    return validate;
  }

  /** Resolves a `$ref` inside the document (`#/components/...`). */
  resolve<T = any>(value: any): T {
    if (!value || typeof value !== 'object' || typeof value.$ref !== 'string') return value as T;
    return value.$ref
      .slice(2)
      .split('/')
      .reduce((node: any, key: string) => node?.[key], this.document) as T;
  }

  /** The documented response for an observed one; throws with a reason when there is none. */
  responseFor(observed: Pick<ObservedResponse, 'method' | 'url' | 'status'>): { key: string; response: any } {
    const path = observed.url.split('?')[0]!;
    const template = this.templates.find((candidate) => candidate.pattern.test(path));
    const operation = template ? this.document.paths[template.path][observed.method.toLowerCase()] : undefined;
    if (!operation) {
      const fallback = template ? 'MethodNotAllowed' : 'RouteNotFound';
      const expected = template ? 405 : 404;
      if (observed.status !== expected) throw new Error(`${observed.method} ${path}: no operation, so ${expected} was expected, got ${observed.status}`);
      return { key: `${observed.method} (no operation) ${expected}`, response: this.resolve({ $ref: `#/components/responses/${fallback}` }) };
    }
    const response = operation.responses?.[String(observed.status)] ?? operation.responses?.default;
    if (!response) throw new Error(`${observed.method} ${template!.path} (${operation.operationId}): status ${observed.status} is not documented`);
    return { key: `${operation.operationId} ${observed.status}`, response: this.resolve(response) };
  }

  /** Checks one response; returns the list of problems (empty when it conforms). */
  check(observed: ObservedResponse): string[] {
    const problems: string[] = [];
    const label = `${observed.method} ${observed.url} → ${observed.status}`;
    let documented: { key: string; response: any };
    try {
      documented = this.responseFor(observed);
    } catch (error) {
      return [`${label}: ${(error as Error).message}`];
    }
    this.checked.responses += 1;
    this.seen.add(documented.key);
    for (const [name, reference] of Object.entries<any>(documented.response.headers ?? {})) {
      const header = this.resolve(reference);
      const value = observed.headers.get(name);
      if (value === null) {
        if (header.required) problems.push(`${label}: required header ${name} is missing`);
        continue;
      }
      this.checked.headers += 1;
      const validate = this.validator(header.schema);
      if (!validate(value)) problems.push(`${label}: header ${name}: ${JSON.stringify(value)} ${this.ajv.errorsText(validate.errors)}`);
    }
    const media = documented.response.content?.['application/json'];
    if (!media) {
      if (observed.text !== '') problems.push(`${label}: no content is documented but the body is ${observed.text.slice(0, 80)}`);
      return problems;
    }
    const type = observed.headers.get('content-type') ?? '';
    if (!type.startsWith('application/json')) problems.push(`${label}: content-type ${type}, documented application/json`);
    let body: unknown;
    try {
      body = JSON.parse(observed.text);
    } catch {
      return [...problems, `${label}: the body is not JSON: ${observed.text.slice(0, 80)}`];
    }
    this.checked.bodies += 1;
    const validate = this.validator(media.schema);
    if (!validate(body)) problems.push(`${label}: body: ${this.ajv.errorsText(validate.errors)}`);
    return problems;
  }
}

/** `#/components/schemas/X` → the components schema registered with ajv. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [
      key,
      key === '$ref' && typeof child === 'string' && child.startsWith('#/components/schemas/')
        ? `urn:openapi:components#/$defs/${child.slice('#/components/schemas/'.length)}`
        : rewriteRefs(child),
    ]),
  );
}
