/**
 * Test helper process: applies the same keys as its siblings on one shared ledger file,
 * starting at an agreed moment, and prints which keys it produced.
 * Usage: apply-race-worker.ts <ledger file> <worker> <keys> <start at epoch ms>
 */
import { SqliteEffectLedger } from './sqlite-effect-ledger.js';

const [filename, worker, keyCount, startAt] = process.argv.slice(2);
const ledger = new SqliteEffectLedger({ filename: filename!, worker: worker! });
while (Date.now() < Number(startAt)) await new Promise((resolve) => setTimeout(resolve, 1));
const produced: string[] = [];
for (let index = 0; index < Number(keyCount); index += 1) {
  const key = `K:${index}`;
  const result = ledger.apply({ operation: 'issue_credit', key, input: { index }, at: new Date().toISOString() }, () => ({ by: worker }));
  if (result.status === 'cancelled') throw new Error('a key nobody undid was cancelled');
  if (result.status === 'applied') produced.push(key);
  if ((result.output as { by?: string }).by === undefined) throw new Error('an answer without its recorded output');
}
ledger.close();
process.stdout.write(JSON.stringify(produced));
