import { nfc } from "../text/vietnamese";

/**
 * Text clean-up shared by every loader: NFC, one kind of line break, no invisible characters,
 * runs of spaces collapsed. Paragraph structure ("\n") is kept; everything inside a line is
 * flattened to single spaces.
 */

// Zero-width space, BOM and soft hyphen: invisible, and they break exact-match quoting.
const INVISIBLE = /[\u200b\u2060\ufeff\u00ad]/g;
// C0/C1 controls other than tab and line breaks.
const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/g;
// Any horizontal whitespace (tab, no-break space, thin space, ideographic space, …).
const SPACES = /[\t\v\f\p{Zs}]+/gu;
const LINE_BREAKS = /\r\n?|[\u2028\u2029\u0085]/g;

/** One line of text: NFC, invisible characters dropped, whitespace collapsed, trimmed. */
export function cleanLine(text: string): string {
  return nfc(text)
    .replace(INVISIBLE, "")
    .replace(LINE_BREAKS, " ")
    .replace(/\n/g, " ")
    .replace(CONTROL, " ")
    .replace(SPACES, " ")
    .trim();
}

/** Splits text into cleaned lines (blank lines dropped). */
export function cleanLines(text: string): string[] {
  return nfc(text)
    .replace(LINE_BREAKS, "\n")
    .split("\n")
    .map(cleanLine)
    .filter((line) => line.length > 0);
}

/** A cleaned optional field: `null` when missing or blank. */
export function cleanOptional(value: string | null | undefined): string | null {
  if (value == null) return null;
  const cleaned = cleanLine(value);
  return cleaned.length > 0 ? cleaned : null;
}

/** Text with all whitespace removed, for "is this the same text" comparisons across line breaks. */
export function squash(text: string): string {
  return text.replace(/\s+/g, "");
}

/** `news/a.txt` → `a`; `a.tar.gz` → `a.tar`; works on `/` and `\` paths. */
export function fileStem(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(0, dot) : name;
}
