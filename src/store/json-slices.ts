/**
 * JSON parsing that yields to the event loop, for the large files of an index version.
 *
 * Why: the answering thread loads each new version before it swaps it in (after a build in the
 * worker, or `npm run ingest` picked up by the watcher). `JSON.parse` of one 5 MB vocabulary or
 * 4 MB term dictionary is one uninterrupted 0.2-0.5 s, and readers wait that long. The files'
 * format stays as it is; what changes is that their large arrays and objects are parsed a slice
 * of members at a time (each slice a plain `JSON.parse`), with a turn of the event loop between.
 */

/** Members per slice are cut at top-level commas once a slice holds this many characters. */
export const SLICE_CHARS = 64 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPENERS = new Set([0x5b, 0x7b]); // [ {
const CLOSERS = new Set([0x5d, 0x7d]); // ] }

/**
 * Parses the JSON array or object that opens at `text[open]`, a slice of elements (or members) at
 * a time: `onSlice` gets each slice as an array (or object), in order. Yields to the event loop
 * after each slice.
 * @returns the index just after the container's closing bracket
 * @throws SyntaxError when the container is not well formed
 */
export async function parseInSlices(text: string, open: number, onSlice: (slice: unknown) => void, sliceChars = SLICE_CHARS): Promise<number> {
  const opener = text[open];
  if (opener !== "[" && opener !== "{") throw new SyntaxError(`expected [ or { at ${open}`);
  const closer = opener === "[" ? "]" : "}";
  let depth = 0;
  let inString = false;
  let sliceStart = open + 1;
  for (let i = open; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (OPENERS.has(c)) depth++;
    else if (CLOSERS.has(c)) {
      depth--;
      if (depth === 0) {
        onSlice(JSON.parse(opener + text.slice(sliceStart, i) + closer));
        return i + 1;
      }
    } else if (c === COMMA && depth === 1 && i - sliceStart >= sliceChars) {
      onSlice(JSON.parse(opener + text.slice(sliceStart, i) + closer));
      sliceStart = i + 1;
      await yieldToEventLoop();
    }
  }
  throw new SyntaxError("unexpected end of JSON input");
}

/**
 * Parses a JSON object whose `large` members (arrays or objects, in this order in the text, as
 * `JSON.stringify` wrote them) are handed to `onSlice` a slice at a time instead of returned; the
 * other members are returned (the large ones as empty containers). Falls back to one `JSON.parse`
 * when a large member is not where expected (the result is the same, only not sliced).
 *
 * @example
 *   const terms: string[] = [];
 *   const header = await parseObjectInSlices(text, ["terms"], (key, slice) => { for (const t of slice as string[]) terms.push(t); });
 */
export async function parseObjectInSlices(
  text: string,
  large: string[],
  onSlice: (key: string, slice: unknown) => void,
): Promise<Record<string, unknown>> {
  // First every large member is parsed, then handed over: a member found out of place sends the
  // whole text to the fallback, which must not repeat slices already handed over.
  const spans: Array<{ key: string; start: number; end: number; empty: string; slices: unknown[] }> = [];
  let from = 0;
  for (const key of large) {
    const marker = `"${key}":`;
    const at = text.indexOf(marker, from);
    const open = at + marker.length;
    if (at < 0 || (text[open] !== "[" && text[open] !== "{")) return whole(text, large, onSlice);
    const slices: unknown[] = [];
    const end = await parseInSlices(text, open, (slice) => slices.push(slice));
    spans.push({ key, start: open, end, empty: text[open] === "[" ? "[]" : "{}", slices });
    from = end;
  }
  for (const { key, slices } of spans) {
    for (const slice of slices) {
      onSlice(key, slice);
      await yieldToEventLoop();
    }
  }
  // The rest (counts, small lists) with the large members emptied: a small parse.
  let rest = "";
  let at = 0;
  for (const { start, end, empty } of spans) {
    rest += text.slice(at, start) + empty;
    at = end;
  }
  return JSON.parse(rest + text.slice(at)) as Record<string, unknown>;
}

function whole(text: string, large: string[], onSlice: (key: string, slice: unknown) => void): Record<string, unknown> {
  const parsed = JSON.parse(text) as Record<string, unknown>;
  for (const key of large) {
    if (parsed[key] === undefined) continue;
    onSlice(key, parsed[key]);
    parsed[key] = Array.isArray(parsed[key]) ? [] : {};
  }
  return parsed;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
