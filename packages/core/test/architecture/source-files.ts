import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every TypeScript source file under `root` (tests, test helpers and declaration files excluded). */
export function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (directory: string) => {
    for (const name of readdirSync(directory)) {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'node_modules' && name !== 'dist') walk(path);
      } else if (/\.tsx?$/.test(name) && !/\.(test|test-d|test-helpers)\.tsx?$|\.d\.ts$|\.fixture\.ts$/.test(name)) {
        files.push(path);
      }
    }
  };
  walk(root);
  return files;
}

/** The functions of a TypeScript file longer than `max` lines: name and length (a brace-matching scan, good enough for this code base's style). */
export function longFunctions(file: string, max: number): { name: string; lines: number; line: number }[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const found: { name: string; lines: number; line: number }[] = [];
  const start =
    /^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:function\s*\*?\s*([A-Za-z0-9_$]+)|(?:private|public|protected|static|readonly|\s)*(?:async\s+)?([A-Za-z0-9_$]+)\s*(?:<[^>]*>)?\([^)]*\)?[^;]*\{\s*$|(?:const|let)\s+([A-Za-z0-9_$]+)\s*=\s*(?:async\s*)?(?:\([^)]*\)|[A-Za-z0-9_$]+)\s*(?::[^=]+)?=>\s*\{\s*$)/;
  for (let index = 0; index < lines.length; index += 1) {
    const match = start.exec(lines[index]!);
    if (!match) continue;
    const name = match[1] ?? match[2] ?? match[3] ?? '?';
    if (['if', 'for', 'while', 'switch', 'catch', 'return', 'else'].includes(name)) continue;
    let depth = 0;
    let end = index;
    for (let cursor = index; cursor < lines.length; cursor += 1) {
      for (const character of stripStrings(lines[cursor]!)) {
        if (character === '{') depth += 1;
        else if (character === '}') depth -= 1;
      }
      if (depth <= 0 && cursor > index) {
        end = cursor;
        break;
      }
      if (depth <= 0 && cursor === index && lines[cursor]!.includes('}')) {
        end = cursor;
        break;
      }
    }
    const length = end - index + 1;
    if (length > max) found.push({ name, lines: length, line: index + 1 });
  }
  return found;
}

function stripStrings(line: string): string {
  return line.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`|\/\/.*$/g, '');
}

/** The core's folders each source folder imports (relative imports only). */
export function folderGraph(srcRoot: string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(srcRoot)) {
    const folder = relative(srcRoot, file).split('/')[0]!;
    if (folder.endsWith('.ts')) continue;
    const edges = graph.get(folder) ?? new Set<string>();
    graph.set(folder, edges);
    for (const match of readFileSync(file, 'utf8').matchAll(/from '(\.\.?\/[^']+)'/g)) {
      const target = relative(srcRoot, join(file, '..', match[1]!)).split('/')[0]!;
      if (target !== folder && !target.endsWith('.js')) edges.add(target);
    }
  }
  return graph;
}

/** The cycles of a folder graph, each as a path. */
export function cyclesOf(graph: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: string, path: string[]) => {
    if (state.get(node) === 'done') return;
    if (state.get(node) === 'visiting') {
      cycles.push([...path.slice(path.indexOf(node)), node]);
      return;
    }
    state.set(node, 'visiting');
    for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    state.set(node, 'done');
  };
  for (const node of graph.keys()) visit(node, []);
  return cycles;
}
