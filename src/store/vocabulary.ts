import { fold, PAIR_JOINER, syllablePairs, tokenize } from "../text/vietnamese";

/** How many accented spellings are kept per folded syllable or pair (the rest are noise). */
const MAX_FORMS = 6;
/** Pairs seen in fewer passages than this are not kept: they cost memory and rarely decide. */
const MIN_PAIR_DF = 2;
/** How much a spelling pair the corpus contains outweighs how common each spelling is alone (tuned with eval/tune.ts --unaccented). */
const PAIR_WEIGHT = 4;

type Forms = Array<[form: string, df: number]>;

export interface VocabularyJSON {
  version: 1;
  documents: number;
  syllables: Record<string, Forms>;
  pairs: Record<string, Forms>;
}

/**
 * The index's own spellings: for each accent-folded syllable (and syllable pair), the accented
 * forms that occur and in how many passages. It gives
 * - document frequencies (for idf-weighted coverage: how much of a question a passage answers), and
 * - accent restoration: "huu lung" → "hữu lũng", choosing forms that the corpus actually pairs,
 *   which keeps ma/má/mà apart where naive folding would merge them.
 */
export class Vocabulary {
  private constructor(
    readonly documents: number,
    private readonly syllableForms: Map<string, Forms>,
    private readonly pairForms: Map<string, Forms>,
    private readonly df: Map<string, number>,
  ) {}

  static build(texts: Iterable<string>): Vocabulary {
    const syllableDf = new Map<string, number>();
    const pairDf = new Map<string, number>();
    let documents = 0;
    for (const text of texts) {
      documents++;
      const tokens = tokenize(text);
      for (const term of new Set(tokens.map((t) => t.term))) syllableDf.set(term, (syllableDf.get(term) ?? 0) + 1);
      for (const pair of new Set(syllablePairs(text, tokens))) pairDf.set(pair, (pairDf.get(pair) ?? 0) + 1);
    }
    return new Vocabulary(documents, groupByFolded(syllableDf, 1), groupByFolded(pairDf, MIN_PAIR_DF), syllableDf);
  }

  static fromJSON(json: VocabularyJSON): Vocabulary {
    const syllables = new Map(Object.entries(json.syllables));
    const df = new Map<string, number>();
    for (const forms of syllables.values()) for (const [form, n] of forms) df.set(form, n);
    return new Vocabulary(json.documents, syllables, new Map(Object.entries(json.pairs)), df);
  }

  toJSON(): VocabularyJSON {
    return {
      version: 1,
      documents: this.documents,
      syllables: Object.fromEntries(this.syllableForms),
      pairs: Object.fromEntries(this.pairForms),
    };
  }

  /** Passages that contain this exact syllable (0 when unknown). */
  documentFrequency(syllable: string): number {
    return this.df.get(syllable) ?? 0;
  }

  /** Inverse document frequency of a syllable, BM25-style, never negative. */
  idf(syllable: string): number {
    const n = this.documentFrequency(syllable);
    return Math.log(1 + (this.documents - n + 0.5) / (n + 0.5));
  }

  /**
   * Restores accents to unaccented syllables: a Viterbi pass where each syllable may take any
   * spelling the corpus has for it (scored by how common it is) and adjacent choices earn a
   * bonus when the corpus has that exact pair. Unknown syllables stay as they are.
   *
   * @example vocabulary.restore(["huu", "lung"]) // → ["hữu", "lũng"] on a corpus about Hữu Lũng
   */
  restore(foldedSyllables: string[]): string[] {
    if (foldedSyllables.length === 0) return [];
    const candidates = foldedSyllables.map((s) => {
      const forms = this.syllableForms.get(s);
      if (!forms || forms.length === 0) return [{ form: s, score: 0 }];
      const total = forms.reduce((sum, [, n]) => sum + n, 0);
      return forms.map(([form, n]) => ({ form, score: Math.log((n + 1) / (total + forms.length)) }));
    });
    // best[i][j]: best path score ending with candidate j at position i; back[i][j]: its predecessor.
    let best = candidates[0]!.map((c) => c.score);
    const back: number[][] = [[]];
    for (let i = 1; i < candidates.length; i++) {
      const pairForms = new Map(this.pairForms.get(foldedSyllables[i - 1] + PAIR_JOINER + foldedSyllables[i]) ?? []);
      const scores: number[] = [];
      const from: number[] = [];
      for (const current of candidates[i]!) {
        let top = -Infinity;
        let arg = 0;
        candidates[i - 1]!.forEach((previous, k) => {
          const pairDf = pairForms.get(previous.form + PAIR_JOINER + current.form) ?? 0;
          const s = best[k]! + PAIR_WEIGHT * Math.log(1 + pairDf);
          if (s > top) [top, arg] = [s, k];
        });
        scores.push(top + current.score);
        from.push(arg);
      }
      best = scores;
      back.push(from);
    }
    let j = best.indexOf(Math.max(...best));
    const restored: string[] = [];
    for (let i = candidates.length - 1; i >= 0; i--) {
      restored.unshift(candidates[i]![j]!.form);
      j = back[i]![j] ?? 0;
    }
    return restored;
  }
}

function groupByFolded(df: Map<string, number>, minDf: number): Map<string, Forms> {
  const grouped = new Map<string, Forms>();
  for (const [term, n] of df) {
    if (n < minDf) continue;
    const key = fold(term);
    const forms = grouped.get(key);
    if (forms) forms.push([term, n]);
    else grouped.set(key, [[term, n]]);
  }
  for (const forms of grouped.values()) {
    forms.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    forms.length = Math.min(forms.length, MAX_FORMS);
  }
  return grouped;
}
