/**
 * Word-trigram similarity: how two passages that say the same thing are told apart from two that
 * merely share words. Used to collapse syndicated copies in retrieval and to keep an answer from
 * quoting the same thing twice.
 */

/** The text's lower-cased word trigrams (the words themselves, as one, for a text under three words). */
export function shingles(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const set = new Set<string>();
  for (let i = 2; i < words.length; i++) set.add(`${words[i - 2]} ${words[i - 1]} ${words[i]}`);
  if (words.length > 0 && words.length < 3) set.add(words.join(" "));
  return set;
}

/** |a ∩ b| / |a ∪ b|; 0 when either is empty. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}
