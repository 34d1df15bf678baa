import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { repositoryRoot } from './workspace.js';

/**
 * The README code convention: every ```ts block of the root README and of each published
 * package's README is type-checked, as its own ES module, against the packed packages.
 * The line right before the fence (blank lines aside) may say otherwise:
 *
 * - `<!-- not compiled: why -->` skips the block (a fragment that cannot stand alone);
 * - `<!-- prelude: declare const url: string; -->` prepends code the block assumes
 *   (an import, a variable of the surrounding text), so a fragment is still checked.
 *
 * A block may import `./telecom.js`, which stands for the reader's own domain module: its
 * `intents` and `workflows` (apps/esm/snippets/telecom.ts).
 */
export interface Snippet {
  /** The README, relative to the repository root. */
  readme: string;
  /** 1-based line of the opening fence. */
  fenceLine: number;
  /** File name for the block, e.g. `packages-core-README-1.ts`. */
  fileName: string;
  /** Prelude then code, as written to the file. */
  source: string;
  /** Lines of prelude before the block's first line. */
  preludeLines: number;
}

export interface SkippedSnippet {
  readme: string;
  fenceLine: number;
  reason: string;
}

const opening = /^```(?:ts|typescript)\s*$/;
const notCompiled = /^<!--\s*not compiled(?::\s*(.*?))?\s*-->$/;
const prelude = /^<!--\s*prelude:\s*([\s\S]*?)\s*-->$/;

/** Splits a README into its compiled and skipped ```ts blocks. */
export function readmeSnippets(readmePath: string): { snippets: Snippet[]; skipped: SkippedSnippet[] } {
  const readme = relative(repositoryRoot, readmePath);
  const lines = readFileSync(readmePath, 'utf8').split('\n');
  const snippets: Snippet[] = [];
  const skipped: SkippedSnippet[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    if (!opening.test(lines[index]!)) continue;
    const end = lines.findIndex((line, at) => at > index && /^```\s*$/.test(line));
    if (end === -1) throw new Error(`${readme}:${index + 1}: a code block is not closed`);
    const code = lines.slice(index + 1, end).join('\n');
    const marker = previousNonBlank(lines, index);
    const skip = notCompiled.exec(marker);
    if (skip) {
      if (!skip[1]) throw new Error(`${readme}:${index + 1}: say why a block is not compiled (<!-- not compiled: why -->)`);
      skipped.push({ readme, fenceLine: index + 1, reason: skip[1] });
    } else {
      const preludeCode = prelude.exec(marker)?.[1] ?? '';
      const fileName = `${readme.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '-')}-${snippets.length + 1}.ts`;
      const preludeLines = preludeCode ? preludeCode.split('\n').length : 0;
      snippets.push({ readme, fenceLine: index + 1, fileName, source: preludeCode ? `${preludeCode}\n${code}\n` : `${code}\n`, preludeLines });
    }
    index = end;
  }
  return { snippets, skipped };
}

function previousNonBlank(lines: readonly string[], index: number): string {
  for (let at = index - 1; at >= 0; at -= 1) {
    if (lines[at]!.trim() !== '') return lines[at]!.trim();
  }
  return '';
}

/** Rewrites `snippets/x.ts(3,5): error …` in tsc output to the README line it came from. */
export function toReadmeLocations(tscOutput: string, snippets: readonly Snippet[]): string {
  return tscOutput.replace(/snippets\/([\w.-]+\.ts)\((\d+),(\d+)\)/g, (match, fileName: string, line: string, column: string) => {
    const snippet = snippets.find((candidate) => candidate.fileName === fileName);
    if (!snippet) return match;
    const inBlock = Number(line) - snippet.preludeLines;
    return inBlock >= 1 ? `${snippet.readme}:${snippet.fenceLine + inBlock}:${column}` : `${snippet.readme}:${snippet.fenceLine} (prelude line ${line})`;
  });
}
