/** Flags for headless Chromium: quiet, offline, usable as root. */
export declare const CHROMIUM_FLAGS: readonly string[];
/** The first Chromium found (`TICKETFLOW_CHROMIUM`, then the distribution's paths), or null. */
export declare function findChromium(): string | null;
/** Finds Chromium, installing Debian's package when missing and root. */
export declare function ensureChromium(options?: { install?: boolean }): { path: string } | { path: null; reason: string };
/** The Chromium path, or null after a loud banner; throws under CI=true when there is none. */
export declare function requireChromium(suite: string): string | null;
