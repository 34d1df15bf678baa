import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { ConfigurationError } from '@ticketflow/core';

/** One file of the built page, held in memory with its precompressed variants. */
export interface StaticAsset {
  body: Buffer;
  /** Whether compressed variants are worth sending (text of 1 KiB or more). */
  compressible: boolean;
  /** Compressed variants, made on first request (registration stays fast). */
  encoded: { gzip?: Buffer; br?: Buffer };
  contentType: string;
  etag: string;
  cacheControl: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite names every file under `assets/` after its content hash: it never changes. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page itself is revalidated (ETag) so that a new version is picked up at once. */
const REVALIDATE = 'no-cache';

/**
 * Where the built page is: `dist/web` beside the compiled plugin, or — when the plugin runs
 * from its sources (the package's own tests) — the package's `dist/web`.
 */
export function findWebDirectory(): string {
  const candidates = ['./web/', '../dist/web/'].map((path) => fileURLToPath(new URL(path, import.meta.url)));
  const found = candidates.find((directory) => existsSync(join(directory, 'index.html')));
  if (!found) {
    throw new ConfigurationError({
      message: 'The inspector page is not built',
      issues: [`no index.html in ${candidates.join(' or ')}; run the package's build (tsup && vite build)`],
    });
  }
  return found;
}

/**
 * Reads every file of the built page once, at registration: a request never touches the
 * file system, and only these paths exist (no traversal possible).
 */
export function loadStaticAssets(directory: string): Map<string, StaticAsset> {
  const assets = new Map<string, StaticAsset>();
  for (const file of listFiles(directory)) {
    const path = relative(directory, file).split(sep).join('/');
    if (path.endsWith('.map')) continue;
    const body = readFileSync(file);
    const contentType = CONTENT_TYPES[extname(path)] ?? 'application/octet-stream';
    const compressible = body.length >= 1_024 && /^(text\/|application\/json|image\/svg)/.test(contentType);
    assets.set(path, {
      body,
      compressible,
      encoded: {},
      contentType,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      cacheControl: path.startsWith('assets/') ? IMMUTABLE : REVALIDATE,
    });
  }
  return assets;
}

function listFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    return entry.isDirectory() ? listFiles(path) : entry.isFile() ? [path] : [];
  });
}

/** Picks the smallest encoding the client accepts. */
export function chooseEncoding(asset: StaticAsset, acceptEncoding: string | undefined): { body: Buffer; encoding: 'br' | 'gzip' | null } {
  if (!asset.compressible) return { body: asset.body, encoding: null };
  const accepted = parseAcceptEncoding(acceptEncoding ?? '');
  if (accepted.has('br')) {
    asset.encoded.br ??= brotliCompressSync(asset.body, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: asset.body.length },
    });
    return { body: asset.encoded.br, encoding: 'br' };
  }
  if (accepted.has('gzip')) {
    asset.encoded.gzip ??= gzipSync(asset.body, { level: 9 });
    return { body: asset.encoded.gzip, encoding: 'gzip' };
  }
  return { body: asset.body, encoding: null };
}

function parseAcceptEncoding(header: string): Set<string> {
  const accepted = new Set<string>();
  for (const part of header.split(',')) {
    const [name, ...parameters] = part.trim().toLowerCase().split(';');
    const quality = parameters.map((parameter) => parameter.trim()).find((parameter) => parameter.startsWith('q='));
    if (name && !(quality && Number(quality.slice(2)) === 0)) accepted.add(name);
  }
  return accepted;
}
