import { PAIR_JOINER } from "../text/vietnamese";

/**
 * What the parts of query terms (a syllable, or the two of a pair) stand for, as numbers 0 … n − 1
 * (`of` gives −1 for a part that stands for nothing), remembered per distinct term: the few hundred
 * hits of a question share a few dozen terms, and splitting each term of each hit was much of
 * what coordination and matching cost.
 */
export class TermParts {
  private readonly parts = new Map<string, number[]>();
  /** Per number, the call of `distinct` that last found it. */
  private seen: Uint32Array = new Uint32Array(16);
  private call = 0;

  constructor(private readonly of: (part: string) => number) {}

  /** The numbers the terms' parts stand for, each once, in the order first met (as a `Set` of them iterates). */
  distinct(terms: readonly string[]): number[] {
    const call = ++this.call;
    const out: number[] = [];
    for (const term of terms) {
      for (const i of this.partsOf(term)) {
        if (this.seen[i] === call) continue;
        this.seen[i] = call;
        out.push(i);
      }
    }
    return out;
  }

  private partsOf(term: string): number[] {
    let found = this.parts.get(term);
    if (found === undefined) {
      found = [];
      for (const part of term.split(PAIR_JOINER)) {
        const i = this.of(part);
        if (i < 0) continue;
        found.push(i);
        if (i >= this.seen.length) {
          const grown = new Uint32Array(Math.max(2 * this.seen.length, i + 1));
          grown.set(this.seen);
          this.seen = grown;
        }
      }
      this.parts.set(term, found);
    }
    return found;
  }
}
