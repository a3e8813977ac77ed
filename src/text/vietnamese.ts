/**
 * Vietnamese text primitives shared by indexing, retrieval and highlighting.
 *
 * Vietnamese writes one syllable per space-separated token; words are one to four syllables
 * ("Hữu Lũng", "tổ chức cơ sở"). We index syllables and adjacent syllable pairs, so that a
 * compound matches as a phrase without a word segmenter. Folding strips tone marks and vowel
 * diacritics (and đ → d) for queries typed without accents.
 */

/** NFC-normalise; every text that enters the system passes through here. */
export function nfc(text: string): string {
  return text.normalize("NFC");
}

const COMBINING_MARKS = /\p{M}+/gu;

function foldSlow(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFD")
    .replace(COMBINING_MARKS, "")
    .replace(/đ/g, "d")
    .normalize("NFC");
}

// Folding runs over whole dictionaries (every indexed term): a per-character cache makes it a
// table lookup instead of two normalisations per string.
const foldedChars = new Map<string, string>();

/** Lower-cases and removes diacritics: "Hữu Lũng Đảng" → "huu lung dang". Expects NFC input. */
export function fold(text: string): string {
  let out = "";
  for (const ch of text) {
    let folded = foldedChars.get(ch);
    if (folded === undefined) {
      folded = foldSlow(ch);
      foldedChars.set(ch, folded);
    }
    out += folded;
  }
  return out;
}

/** A folded Vietnamese syllable: an initial consonant, one to three vowels, a final consonant. */
const SYLLABLE = /^(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|nh|ng|[cmnpt])?$/;

/**
 * Whether a folded word could be a Vietnamese syllable: "nguoi", "truong" could; "peru", "covid",
 * "shamook" could not, they are foreign words (names, mostly).
 */
export function couldBeSyllable(folded: string): boolean {
  return SYLLABLE.test(folded);
}

/** True when any letter carries a Vietnamese diacritic (or is đ). */
export function hasDiacritics(text: string): boolean {
  return fold(text) !== text.toLowerCase();
}

/** A token of the text with its position (UTF-16 offsets into the original string). */
export interface Token {
  /** Lower-cased NFC form, in one spelling (see `spellingKey`). */
  term: string;
  start: number;
  end: number;
}

/**
 * Splits text into syllables (lower-case, NFC) with their offsets. Hyphens and slashes
 * separate syllables ("kinh tế-văn hoá" → kinh, tế, văn, hoá; "NQ/TU" → nq, tu).
 *
 * A token is what `[\p{L}\p{N}]+(?:[.,][\p{N}]+)*` matches (a `u` regular expression): a run
 * of letters and digits, then any inner dots or commas each followed by digits ("3.500", "1,5").
 * Scanned by hand over the code units, each classified once (`charClass`): the regular
 * expression's match objects were most of what tokenizing an article body cost, and a question
 * tokenizes ten of them. A token none of whose characters lower-casing changes is its own
 * lower case (the one context-dependent mapping, final sigma, applies to Σ only), so most
 * Vietnamese syllables skip `toLowerCase`.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  scanTokens(text, (term, start, end) => tokens.push({ term, start, end }));
  return tokens;
}

/**
 * The tokens of `tokenize`, each handed to `each` as it is found instead of made into an object
 * (an index build keeps only their ids and offsets: `TermIds.tokenise`).
 */
export function scanTokens(text: string, each: (term: string, start: number, end: number) => void): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = charClass(text, i);
    if ((c & WORD) === 0) {
      i += widthAt(text, i);
      continue;
    }
    const start = i;
    let cased = 0;
    do {
      cased |= c;
      i += widthAt(text, i);
      c = i < n ? charClass(text, i) : OTHER;
    } while ((c & WORD) !== 0);
    // Inner separators: "." or "," followed by digits, as many times as they come.
    for (;;) {
      const unit = text.charCodeAt(i);
      if ((unit !== 0x2e && unit !== 0x2c) || i + 1 >= n || (charClass(text, i + 1) & NUMBER) === 0) break;
      i++;
      do {
        cased |= charClass(text, i);
        i += widthAt(text, i);
      } while (i < n && (charClass(text, i) & NUMBER) !== 0);
    }
    const word = text.slice(start, i);
    each(spellingKey((cased & CASED) === 0 ? word : word.toLowerCase()), start, i);
  }
}

/**
 * The runs of letters and digits of a text, as `text.match(/[\p{L}\p{N}]+/gu) ?? []` finds them
 * (no inner dots or commas, no lower-casing, unlike `tokenize`), scanned as `tokenize` scans.
 */
export function wordsOf(text: string): string[] {
  const words: string[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    if ((charClass(text, i) & WORD) === 0) {
      i += widthAt(text, i);
      continue;
    }
    const start = i;
    do i += widthAt(text, i);
    while (i < n && (charClass(text, i) & WORD) !== 0);
    words.push(text.slice(start, i));
  }
  return words;
}

/**
 * Classes of a code point for `tokenize`, as flags: OTHER alone (neither a letter nor a number),
 * or WORD (\p{L} or \p{N}), with NUMBER for \p{N}, and CASED when `toLowerCase` changes it.
 */
const OTHER = 1;
const WORD = 2;
const NUMBER = 4;
const CASED = 8;
/** Class of each BMP code unit, 0 until first seen (filled from the Unicode property escapes). */
const unitClass = new Uint8Array(0x10000);
/** Class of each astral code point seen (a surrogate pair), likewise. */
const astralClass = new Map<number, number>();
const IS_LETTER = /^\p{L}$/u;
const IS_NUMBER = /^\p{N}$/u;

function classOf(ch: string): number {
  const kind = IS_LETTER.test(ch) ? WORD : IS_NUMBER.test(ch) ? WORD | NUMBER : OTHER;
  return kind === OTHER || ch.toLowerCase() === ch ? kind : kind | CASED;
}

/** The class of the code point at `i` (a lone surrogate is OTHER, as a `u` regular expression sees it). */
function charClass(text: string, i: number): number {
  const unit = text.charCodeAt(i);
  if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
    const low = text.charCodeAt(i + 1);
    if (low >= 0xdc00 && low <= 0xdfff) {
      const point = (unit - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
      let c = astralClass.get(point);
      if (c === undefined) astralClass.set(point, (c = classOf(String.fromCodePoint(point))));
      return c;
    }
  }
  let c = unitClass[unit]!;
  if (c === 0) unitClass[unit] = c = unit >= 0xd800 && unit <= 0xdfff ? OTHER : classOf(String.fromCharCode(unit));
  return c;
}

/** Code units of the code point at `i`: 2 for a surrogate pair, else 1. */
function widthAt(text: string, i: number): number {
  const unit = text.charCodeAt(i);
  if (unit < 0xd800 || unit > 0xdbff || i + 1 >= text.length) return 1;
  const low = text.charCodeAt(i + 1);
  return low >= 0xdc00 && low <= 0xdfff ? 2 : 1;
}

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/u;
// An open syllable ending in oa, oe or uy with the tone on its first vowel ("hòa", "khỏe", "thủy").
const TONE_ON_FIRST = /([òóỏõọ])([ae])$|([ùúủũụ])(y)$/u;
// A syllable whose only vowel is y after a consonant ("kỹ", "tỷ", "lý", "quý").
const LONE_Y = /^(?:[bcdđghklmnprstvx]|ch|gh|kh|ng|nh|ph|th|tr|qu)[yýỳỷỹỵ]$/u;
const Y_TO_I: Record<string, string> = { y: "i", ý: "í", ỳ: "ì", ỷ: "ỉ", ỹ: "ĩ", ỵ: "ị" };
/** The last letters (as code units) of the syllables that may have a second spelling. */
const MAY_RESPELL = new Set(["a", "e", ...Object.keys(Y_TO_I)].map((letter) => letter.charCodeAt(0)));

/**
 * One spelling for the syllables Vietnamese writes two ways, so that either finds the other:
 * - tone placement in open oa/oe/uy: "hòa" and "hoà", "khỏe" and "khoẻ", "thủy" and "thuỷ" → the
 *   tone on the second vowel (hoà, khoẻ, thuỷ);
 * - i and y after a consonant: "kỹ"/"kĩ", "tỷ"/"tỉ", "lý"/"lí", "quý"/"quí" → i.
 * Quotes are never respelled: offsets point into the original text.
 *
 * @example spellingKey("hòa") // → "hoà"; spellingKey("tỷ") // → "tỉ"
 */
export function spellingKey(syllable: string): string {
  // Most syllables end in a consonant or another vowel: nothing to respell.
  if (!MAY_RESPELL.has(syllable.charCodeAt(syllable.length - 1))) return syllable;
  let key = respelled.get(syllable);
  if (key === undefined) {
    if (respelled.size >= RESPELLINGS_KEPT) respelled.clear();
    respelled.set(syllable, (key = respell(syllable)));
  }
  return key;
}

/**
 * The spelling keys of the syllables that may have a second spelling, as computed lately: "là",
 * "và", "của", "nhà" end that way, and tokenizing an article body met each of them dozens of times
 * (two regular expressions each). Emptied when full: the syllables of a language are few.
 */
const respelled = new Map<string, string>();
const RESPELLINGS_KEPT = 8192;

function respell(syllable: string): string {
  const moved = syllable.replace(TONE_ON_FIRST, (_, o?: string, ae?: string, u?: string, y?: string) => {
    const [first, second] = o ? [o, ae!] : [u!, y!];
    const decomposed = first.normalize("NFD");
    const tone = decomposed.match(TONE_MARKS)?.[0] ?? "";
    return decomposed.replace(TONE_MARKS, "").normalize("NFC") + (second + tone).normalize("NFC");
  });
  return LONE_Y.test(moved) ? moved.slice(0, -1) + Y_TO_I[moved.at(-1)!] : moved;
}

/** Syllables only, without offsets. */
export function syllables(text: string): string[] {
  return tokenize(text).map((t) => t.term);
}

/** The separator inside a syllable pair term; never produced by `tokenize`. */
export const PAIR_JOINER = "_";

/** True when only spaces separate two tokens: they may form a phrase (a comma or a dot breaks it). */
export function spaced(text: string, a: Token, b: Token): boolean {
  return spacedBetween(text, a.end, b.start);
}

/** True when only spaces stand between offsets `end` (of a token) and `start` (of the next): `spaced`. */
export function spacedBetween(text: string, end: number, start: number): boolean {
  return /^\s+$/.test(text.slice(end, start));
}

/**
 * Adjacent pairs that do not cross punctuation other than spaces: "Hữu Lũng, Lạng Sơn"
 * gives "hữu_lũng" and "lạng_sơn" but not "lũng_lạng". `terms` spell the tokens (their own terms
 * by default; a question's restored spellings in retrieval).
 */
export function syllablePairs(text: string, tokens: Token[] = tokenize(text), terms: string[] = tokens.map((t) => t.term)): string[] {
  const pairs: string[] = [];
  for (let i = 1; i < tokens.length; i++) {
    if (spaced(text, tokens[i - 1]!, tokens[i]!)) pairs.push(terms[i - 1] + PAIR_JOINER + terms[i]);
  }
  return pairs;
}

/** Syllables followed by syllable pairs: the lexical index's terms for one text. */
export function indexTerms(text: string): string[] {
  const tokens = tokenize(text);
  return [...tokens.map((t) => t.term), ...syllablePairs(text, tokens)];
}
