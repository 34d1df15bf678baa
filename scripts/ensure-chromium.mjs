#!/usr/bin/env node
// Finds Debian's Chromium for the browser tests (Playwright's `playwright-core` drives it;
// `npx playwright install` is never used: browsers come from the distribution). When it is
// missing and this process is root with apt-get, installs the `chromium` package.
//
// The rule for integration suites applies: the test that needs the browser fails under
// CI=true when there is none, and otherwise skips loudly (see `requireChromium`).
//
// usage: node scripts/ensure-chromium.mjs        prints the path, or why there is none (exit 1)
//        import { ensureChromium, requireChromium } from '…/scripts/ensure-chromium.mjs'
import { fileURLToPath } from 'node:url';
import { debianBinary } from './ensure-debian-binary.mjs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium', '/usr/bin/google-chrome'];

/** The flags that make headless Chromium quiet, offline and usable as root in a container. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const binary = debianBinary({
  label: 'Chromium',
  packageName: 'chromium',
  envVariable: 'TICKETFLOW_CHROMIUM',
  candidates: CANDIDATES,
  what: 'the browser tests',
});

/** The first Chromium found: `TICKETFLOW_CHROMIUM`, then the usual paths. */
export const findChromium = binary.find;
/** Finds Chromium, installing Debian's `chromium` package when it is missing and this process may (`install: false` to only look). */
export const ensureChromium = binary.ensure;
/** For a test file: the Chromium path, or null after a loud banner (outside CI); throws under CI=true when there is none. */
export const requireChromium = binary.require;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) binary.main();
