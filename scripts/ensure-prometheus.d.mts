/** The first Prometheus found (`TICKETFLOW_PROMETHEUS`, then the usual paths), or null. */
export declare function findPrometheus(): string | null;
/** Finds Prometheus, installing Debian's package when missing and root. */
export declare function ensurePrometheus(options?: { install?: boolean }): { path: string } | { path: null; reason: string };
/** The Prometheus path, or null after a loud banner; throws under CI=true when there is none. */
export declare function requirePrometheus(suite: string): string | null;
