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

/** True when any letter carries a Vietnamese diacritic (or is đ). */
export function hasDiacritics(text: string): boolean {
  return fold(text) !== text.toLowerCase();
}

/** A token of the text with its position (UTF-16 offsets into the original string). */
export interface Token {
  /** Lower-cased NFC form. */
  term: string;
  start: number;
  end: number;
}

// Letters and digits, with inner dots/commas in numbers ("3.500", "1,5") and inner
// hyphens/apostrophes in names ("Covid-19", "kinh tế-văn hoá" is split: see below).
const WORD = /[\p{L}\p{N}]+(?:[.,][\p{N}]+)*/gu;

/**
 * Splits text into syllables (lower-case, NFC) with their offsets. Hyphens and slashes
 * separate syllables ("kinh tế-văn hoá" → kinh, tế, văn, hoá; "NQ/TU" → nq, tu).
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const start = m.index;
    tokens.push({ term: m[0].toLowerCase(), start, end: start + m[0].length });
  }
  return tokens;
}

/** Syllables only, without offsets. */
export function syllables(text: string): string[] {
  return tokenize(text).map((t) => t.term);
}

/** The separator inside a syllable pair term; never produced by `tokenize`. */
export const PAIR_JOINER = "_";

/**
 * Adjacent pairs that do not cross punctuation other than spaces: "Hữu Lũng, Lạng Sơn"
 * gives "hữu_lũng" and "lạng_sơn" but not "lũng_lạng".
 */
export function syllablePairs(text: string, tokens: Token[] = tokenize(text)): string[] {
  const pairs: string[] = [];
  for (let i = 1; i < tokens.length; i++) {
    const a = tokens[i - 1]!;
    const b = tokens[i]!;
    if (/^\s+$/.test(text.slice(a.end, b.start))) pairs.push(a.term + PAIR_JOINER + b.term);
  }
  return pairs;
}

/** Syllables followed by syllable pairs: the lexical index's terms for one text. */
export function indexTerms(text: string): string[] {
  const tokens = tokenize(text);
  return [...tokens.map((t) => t.term), ...syllablePairs(text, tokens)];
}
