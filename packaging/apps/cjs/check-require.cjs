// require()s every entry of every installed @ticketflow package (read from their exports maps)
// and prints what loaded and what failed, as JSON, for the packaging test to judge.
'use strict';
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const scope = join(__dirname, 'node_modules', '@ticketflow');
const report = { loaded: {}, failed: {} };
for (const folder of readdirSync(scope)) {
  const manifest = JSON.parse(readFileSync(join(scope, folder, 'package.json'), 'utf8'));
  for (const subpath of Object.keys(manifest.exports)) {
    if (subpath.endsWith('.json')) continue;
    const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    try {
      report.loaded[specifier] = Object.keys(require(specifier)).length;
    } catch (error) {
      report.failed[specifier] = `${error.code ?? error.name}: ${String(error.message).split('\n')[0]}`;
    }
  }
}
console.log(JSON.stringify(report));
