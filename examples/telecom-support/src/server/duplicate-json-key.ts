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

/** The index of the quote that closes the string opening at `start`. */
function endOfString(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index += 1) {
    if (text[index] === '\\') index += 1;
    else if (text[index] === '"') return index;
  }
  return text.length;
}
