import { ArticleParseError } from "../domain/errors";

/**
 * Corpus file bytes → text, refusing what is not text. Every loader reads its file through
 * here (the corpus walk, uploads, the trash), so a binary or mis-encoded file is refused with
 * its path instead of being indexed and quoted as "��*p�gR…".
 *
 * - A byte order mark decides: UTF-8 (dropped), UTF-16 LE or BE (decoded as such).
 * - Without one, the bytes must be valid UTF-8: no guessing of legacy code pages, since a wrong
 *   guess turns Vietnamese into plausible-looking nonsense that would be quoted verbatim.
 * - The text must read as text: no NUL (binary, or UTF-16 without a BOM) and at most
 *   `MAX_CONTROL_SHARE` of control or replacement characters (a stray vertical tab from a word
 *   processor is fine; a file made of them is not).
 */

/** Share of characters that may be controls (other than tab, line and page breaks) or U+FFFD. */
export const MAX_CONTROL_SHARE = 0.01;

// C0 controls but \t \n \v \f \r, DEL, C1 controls, and the replacement character.
const UNREADABLE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\ufffd]/g;

/**
 * @throws ArticleParseError(path, …) saying what is wrong and how to fix it.
 * @example
 *   const text = decodeFileText(await readFile(path), path);
 */
export function decodeFileText(bytes: Uint8Array, path: string): string {
  const [encoding, start] = byteOrderMark(bytes);
  let text: string;
  try {
    text = new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(start));
  } catch {
    const what = start > 0 ? `not valid ${encoding.toUpperCase()} although it starts with a ${encoding.toUpperCase()} byte order mark` : "not UTF-8 text";
    throw new ArticleParseError(path, `the file is ${what}: save it as UTF-8 and try again`);
  }
  if (text.includes("\u0000")) {
    throw new ArticleParseError(path, "the file holds NUL characters: it is binary, or UTF-16 without a byte order mark (save it as UTF-8)");
  }
  const share = unreadableShare(text);
  if (share > MAX_CONTROL_SHARE) {
    throw new ArticleParseError(path, `${(100 * share).toFixed(1)} % of the file is control or replacement characters: it is not text (save it as UTF-8)`);
  }
  return text;
}

/**
 * The share of `text` that is control characters (but tab, line and page breaks) or U+FFFD:
 * above `MAX_CONTROL_SHARE`, what was decoded is not text. Also used on fetched pages, whose
 * decoding is lenient (a page in an unknown charset still yields text).
 */
export function unreadableShare(text: string): number {
  if (text.length === 0) return 0;
  let n = 0;
  for (UNREADABLE.lastIndex = 0; UNREADABLE.exec(text) !== null; ) n++;
  return n / text.length;
}

function byteOrderMark(bytes: Uint8Array): [encoding: "utf-8" | "utf-16le" | "utf-16be", length: number] {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return ["utf-8", 3];
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return ["utf-16le", 2];
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return ["utf-16be", 2];
  return ["utf-8", 0];
}

