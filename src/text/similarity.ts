/**
 * Word-trigram similarity: how two passages that say the same thing are told apart from two that
 * merely share words. Used to collapse syndicated copies in retrieval and to keep an answer from
 * quoting the same thing twice.
 */

const WORDS = /[\p{L}\p{N}]+/gu;

/** The text's lower-cased word trigrams (the words themselves, as one, for a text under three words). */
export function shingles(text: string): Set<string> {
  const words = text.toLowerCase().match(WORDS) ?? [];
  const set = new Set<string>();
  for (let i = 2; i < words.length; i++) set.add(`${words[i - 2]} ${words[i - 1]} ${words[i]}`);
  if (words.length > 0 && words.length < 3) set.add(words.join(" "));
  return set;
}

/** Distinct words one `Trigrams` can number: three numbers below it pack into one exact double (< 2^51). */
const MAX_WORDS = 2 ** 17;

/**
 * `shingles` for texts compared with one another (a question's candidate passages), as numbers:
 * each text's set is its `shingles` set with every trigram renamed one to one, so `jaccard` of two
 * of them is the same, without a string made per trigram. Words are numbered as first met, over
 * every text of one `Trigrams`; a trigram is its three numbers in one, a text of one or two words
 * a negative number of its own.
 */
export class Trigrams {
  private readonly numbers = new Map<string, number>();

  /** The text's trigrams; null once the texts seen hold more distinct words than can be packed (then compare `shingles`). */
  of(text: string): Set<number> | null {
    const words = text.toLowerCase().match(WORDS) ?? [];
    const ids: number[] = [];
    for (const word of words) {
      let id = this.numbers.get(word);
      if (id === undefined) {
        if (this.numbers.size === MAX_WORDS) return null;
        this.numbers.set(word, (id = this.numbers.size));
      }
      ids.push(id);
    }
    const set = new Set<number>();
    for (let i = 2; i < ids.length; i++) set.add((ids[i - 2]! * MAX_WORDS + ids[i - 1]!) * MAX_WORDS + ids[i]!);
    if (ids.length === 1) set.add(-1 - ids[0]!);
    if (ids.length === 2) set.add(-1 - MAX_WORDS - (ids[0]! * MAX_WORDS + ids[1]!));
    return set;
  }
}

/** |a ∩ b| / |a ∪ b|; 0 when either is empty. */
export function jaccard<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/**
 * `jaccard(a, b) >= threshold`, without counting the intersection when the sizes alone rule it
 * out: the intersection is at most the smaller set and the union at least the larger, so jaccard ≤
 * |smaller| / |larger|, and a rounded division keeps that order.
 */
export function jaccardAtLeast<T>(a: ReadonlySet<T>, b: ReadonlySet<T>, threshold: number): boolean {
  const [small, large] = a.size <= b.size ? [a.size, b.size] : [b.size, a.size];
  if (large > 0 && small / large < threshold) return false;
  return jaccard(a, b) >= threshold;
}
