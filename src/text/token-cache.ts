import { RecentCache } from "../recent-cache";
import { tokenize, type Token } from "./vietnamese";

/**
 * How many texts `tokenizeRecent` remembers as token objects: a question reads its ten or so best
 * articles twice (the retriever's sentence evidence, then the reader), and a follow-up reads them
 * again.
 */
export const RECENT_TEXTS = 64;

/**
 * Bytes of packed tokens (`PackedTokens`) kept behind those, for the articles read by earlier
 * questions: 12 bytes a token, so about a million tokens (~1,500 of the 2,653 news articles).
 * Questions on different subjects share their best articles often enough: over 550 vinewsqa-dev
 * questions, 8,799 bodies read, 1,687 of them distinct. Not the whole corpus: each text kept is
 * also kept as its key (two bytes a character): with room for the whole corpus (32 MiB, and
 * trigrams of 4,096 passages), a process that had asked all 2,497 vinewsqa-dev questions held
 * 552 MiB after a forced collection, 488 MiB with these bounds, 421-423 MiB before either cache;
 * a packed text saves ~0.1 ms each time the reader reads its article again.
 */
export const PACKED_TOKEN_BYTES = 12 * 2 ** 20;

/** A text's tokens as numbers: token i is the term numbered `terms[i]`, from `starts[i]` to `ends[i]`. */
export interface PackedText {
  readonly terms: Int32Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** The numbering the terms are in (`PackedTokens.generation`). */
  readonly generation: number;
}

/**
 * Article bodies' tokens packed in typed arrays, each term a number into one table of the terms
 * met: a seventh of the memory of token objects (whose strings, offsets and object headers take
 * ~90 bytes a token on a 64-bit heap), and made back into the same objects in a fraction of the
 * time tokenizing takes (no scanning, no strings made). Keyed by the text itself, so a text that
 * changes is simply another key. The numbers serve callers that compare terms by number
 * (`numberOf`) without making token objects at all.
 */
export class PackedTokens {
  private readonly texts: RecentCache<string, PackedText>;
  private terms: string[] = [];
  private numbers = new Map<string, number>();
  private generationNumber = 0;

  constructor(
    capacityBytes: number,
    private readonly tokenizeText: (text: string) => Token[] = tokenize,
    /** Distinct terms kept before the table and every packed text are dropped and numbered again. */
    private readonly maxTerms = 1 << 20,
  ) {
    this.texts = new RecentCache(Math.max(1, Math.floor(capacityBytes / 12)), (packed) => packed.terms.length);
  }

  /** The tokens of `text`, as `tokenize` gives them: fresh objects, each call. */
  tokens(text: string): Token[] {
    const packed = this.texts.get(text);
    if (packed === undefined) return this.pack(text).tokens;
    const { terms } = this;
    const n = packed.terms.length;
    const tokens = new Array<Token>(n);
    for (let i = 0; i < n; i++) tokens[i] = { term: terms[packed.terms[i]!]!, start: packed.starts[i]!, end: packed.ends[i]! };
    return tokens;
  }

  /** The tokens of `text`, packed (`PackedText`): the same arrays while it is kept, which callers must not change. */
  packed(text: string): PackedText {
    return this.texts.get(text) ?? this.pack(text).packed;
  }

  /** The number of a term, or -1 when no text packed in this generation holds it. */
  numberOf(term: string): number {
    return this.numbers.get(term) ?? -1;
  }

  /** Numbers given in this generation (all below this). */
  get termCount(): number {
    return this.terms.length;
  }

  /** Changes when the table starts again: numbers of another generation mean other terms. */
  get generation(): number {
    return this.generationNumber;
  }

  /** Texts kept. */
  get size(): number {
    return this.texts.size;
  }

  private pack(text: string): { tokens: Token[]; packed: PackedText } {
    const tokens = this.tokenizeText(text);
    if (this.terms.length + tokens.length > this.maxTerms) {
      // The table only grows; a corpus whose terms outgrow it starts over (rare: a language's
      // syllables are few, numbers and names are what add up).
      this.terms = [];
      this.numbers = new Map();
      this.texts.clear();
      this.generationNumber++;
    }
    const n = tokens.length;
    const packed = { terms: new Int32Array(n), starts: new Int32Array(n), ends: new Int32Array(n), generation: this.generationNumber };
    for (let i = 0; i < n; i++) {
      const { term, start, end } = tokens[i]!;
      let id = this.numbers.get(term);
      if (id === undefined) {
        id = this.terms.length;
        this.terms.push(term);
        this.numbers.set(term, id);
      }
      packed.terms[i] = id;
      packed.starts[i] = start;
      packed.ends[i] = end;
    }
    this.texts.set(text, packed);
    return { tokens, packed };
  }
}

const recent = new RecentCache<string, readonly Token[]>(RECENT_TEXTS);
/** The packed tokens behind `tokenizeRecent`, shared by every caller (one numbering of the terms). */
export const packedTokens = new PackedTokens(PACKED_TOKEN_BYTES);

/**
 * `tokenize(text)`, remembered for the last few texts (article bodies): the same tokens, shared,
 * so callers must not change them. Tokenizing a body is most of what reading an article costs;
 * behind the token objects of the last few, the packed tokens of many more (`PackedTokens`).
 */
export function tokenizeRecent(text: string): readonly Token[] {
  return recent.remember(text, () => packedTokens.tokens(text));
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
