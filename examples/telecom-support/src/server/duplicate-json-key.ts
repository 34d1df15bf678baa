/**
 * The first key that appears twice in one object of a JSON text, or null. Parsers disagree on
 * such objects (`JSON.parse` keeps the last value, others the first), so a body with one could
 * mean one thing to a proxy or a log and another to this server: it is refused. Keys are
 * compared as decoded (`"a"` and `"\u0061"` are the same key). `text` must be valid JSON
 * (parse it first); one pass, no allocation but the keys of the objects being read.
 */
export function duplicateJsonKey(text: string): string | null {
  const objects: { keys: Set<string>; expectingKey: boolean }[] = [];
  const containers: ('object' | 'array')[] = [];
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '"') {
      const end = endOfString(text, index);
      const current = containers.at(-1) === 'object' ? objects.at(-1) : undefined;
      if (current?.expectingKey) {
        const raw = text.slice(index + 1, end);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(index, end + 1)) as string) : raw;
        if (current.keys.has(key)) return key;
        current.keys.add(key);
        current.expectingKey = false;
      }
      index = end;
    } else if (char === '{') {
      containers.push('object');
      objects.push({ keys: new Set(), expectingKey: true });
    } else if (char === '[') {
      containers.push('array');
    } else if (char === '}' || char === ']') {
      if (containers.pop() === 'object') objects.pop();
    } else if (char === ',' && containers.at(-1) === 'object') {
      objects.at(-1)!.expectingKey = true;
    }
  }
  return null;
}

/** The index of the quote that closes the string opening at `start` (a jump per quote, not a step per character). */
function endOfString(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (text[quote - 1 - backslashes] === '\\') backslashes += 1;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return text.length;
}
