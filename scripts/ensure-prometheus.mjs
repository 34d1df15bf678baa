#!/usr/bin/env node
// Finds a Prometheus server binary for the scrape test of the telecom example (issue 17.6).
// When it is missing and this process is root with apt-get, installs Debian's `prometheus`
// package (its service is not started here: the test runs its own server on a free port with
// a temporary configuration, and stops it by pid).
//
// The rule for integration suites applies: the test that needs Prometheus fails under CI=true
// when there is none, and otherwise skips loudly (see `requirePrometheus`).
//
// usage: node scripts/ensure-prometheus.mjs        prints the path, or why there is none (exit 1)
//        import { ensurePrometheus, requirePrometheus } from '…/scripts/ensure-prometheus.mjs'
import { fileURLToPath } from 'node:url';
import { debianBinary } from './ensure-debian-binary.mjs';

const CANDIDATES = ['/usr/bin/prometheus', '/usr/local/bin/prometheus', '/opt/prometheus/prometheus'];

const binary = debianBinary({
  label: 'Prometheus',
  packageName: 'prometheus',
  envVariable: 'TICKETFLOW_PROMETHEUS',
  candidates: CANDIDATES,
  what: 'the Prometheus test',
});

/** The first Prometheus found: `TICKETFLOW_PROMETHEUS`, then the usual paths. */
export const findPrometheus = binary.find;
/** Finds Prometheus, installing Debian's `prometheus` package when it is missing and this process may (`install: false` to only look). */
export const ensurePrometheus = binary.ensure;
/** For a test file: the Prometheus path, or null after a loud banner (outside CI); throws under CI=true when there is none. */
export const requirePrometheus = binary.require;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) binary.main();
