/**
 * The registered routes as path patterns, filled by Fastify's `onRoute` hook, so that the
 * not-found handler can tell an unknown path (404) from a known path called with the
 * wrong method (405, with `Allow`).
 */
export class RouteTable {
  private readonly routes = new Map<string, { pattern: RegExp; loose: RegExp; methods: Set<string> }>();

  add(url: string, methods: string | readonly string[]): void {
    const entry = this.routes.get(url) ?? { pattern: toPattern(url, '+'), loose: toPattern(url, '*'), methods: new Set<string>() };
    for (const method of typeof methods === 'string' ? [methods] : methods) entry.methods.add(method.toUpperCase());
    this.routes.set(url, entry);
  }

  /** The methods allowed on `path` (sorted), or null when no route has this shape. */
  allowed(path: string): string[] | null {
    for (const entry of this.routes.values()) if (entry.pattern.test(path)) return [...entry.methods].sort();
    return null;
  }

  /** True when `path` is a route's shape with an empty parameter (`/tickets//events`). */
  hasEmptyParameter(path: string): boolean {
    return [...this.routes.values()].some((entry) => !entry.pattern.test(path) && entry.loose.test(path));
  }
}

function toPattern(url: string, quantifier: '+' | '*'): RegExp {
  const source = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? `[^/]${quantifier}` : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}
