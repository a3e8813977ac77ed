import { RecentCache } from "../recent-cache";
import { tokenize, type Token } from "./vietnamese";

/**
 * How many texts `tokenizeRecent` remembers: a question reads its ten or so best articles twice
 * (the retriever's sentence evidence, then the reader), and a follow-up reads them again.
 */
export const RECENT_TEXTS = 64;

const recent = new RecentCache<string, readonly Token[]>(RECENT_TEXTS);

/**
 * `tokenize(text)`, remembered for the last few texts (article bodies): the same tokens, shared,
 * so callers must not change them. Tokenizing a body is most of what reading an article costs.
 */
export function tokenizeRecent(text: string): readonly Token[] {
  return recent.remember(text, () => tokenize(text));
}

/**
 * The tokens `tokenize(text.slice(start, end))` finds, offsets still into `text`, taken from the
 * tokens of the whole text (`all`, from `tokenize(text)`) when no token of the whole crosses
 * either end: a token is a run of letters and digits found without looking behind it, so a slice
 * then holds exactly the whole's tokens between its ends. Otherwise (a span cut inside "3.5"), null.
 */
export function tokensWithin(all: readonly Token[], start: number, end: number): readonly Token[] | null {
  const range = tokenRange(all.length, (i) => all[i]!.start, (i) => all[i]!.end, start, end);
  return range && all.slice(range[0], range[1]);
}

/**
 * Where the tokens of `text.slice(start, end)` are among the `count` tokens of the whole text
 * (token i from `startOf(i)` to `endOf(i)`): `[from, to)`, as `tokensWithin` finds them; null when
 * a token of the whole crosses either end.
 */
export function tokenRange(count: number, startOf: (i: number) => number, endOf: (i: number) => number, start: number, end: number): [from: number, to: number] | null {
  // The first token that ends after `start`.
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (endOf(mid) <= start) lo = mid + 1;
    else hi = mid;
  }
  if (lo < count && startOf(lo) < start) return null; // crosses the start
  let stop = lo;
  while (stop < count && endOf(stop) <= end) stop++;
  if (stop < count && startOf(stop) < end) return null; // crosses the end
  return [lo, stop];
}
