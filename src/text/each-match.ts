/**
 * Visits the matches of a global regular expression (where each starts, how long it is), as
 * `text.matchAll(pattern)` finds them, without the copy of the expression `matchAll` makes per
 * call: a sentence is searched with a dozen of them, and each copy cost as much as the search.
 * Leaves `lastIndex` at 0.
 */
export function eachMatch(text: string, pattern: RegExp, visit: (start: number, length: number) => void): void {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m !== null; m = pattern.exec(text)) {
    visit(m.index, m[0].length);
    // An empty match moves on by one code point, as matchAll does.
    if (m[0].length === 0) pattern.lastIndex = m.index + (pattern.unicode && (text.codePointAt(m.index) ?? 0) > 0xffff ? 2 : 1);
  }
}
