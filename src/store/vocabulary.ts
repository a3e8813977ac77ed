import { sortLetters, telexFoldedReadings, telexLetters } from "../text/telex";
import { fold, PAIR_JOINER, syllablePairs, tokenize } from "../text/vietnamese";
import type { TermIds, TermRun } from "./term-ids";
import { VocabularyFile, type Forms } from "./vocabulary-file";

/** How many accented spellings of a folded syllable or pair restoration considers (the rest are noise). */
const MAX_FORMS = 6;
/** Pairs seen in fewer passages than this are not kept: they cost memory and rarely decide. */
const MIN_PAIR_DF = 2;
/** Typos are corrected only in syllables at least this long (folded): shorter ones have too many neighbours. */
const MIN_CORRECTABLE_LENGTH = 5;
const LETTERS = "abcdefghijklmnopqrstuvwxyz";
/**
 * Dirichlet smoothing of the spelling bigrams in accent restoration: P(b | a) = (df(a b) + μ·P(b)) /
 * (df(a) + μ). Share of the dev questions' syllables restored to their exact spelling, vinewsqa-dev /
 * xquad-vi: μ 0.3 → 0.950 / 0.930, 1 → 0.959 / 0.946, 3 → 0.960 / 0.947, 10 → 0.958 / 0.946,
 * 100 → 0.950 / 0.938 (the former "pair bonus" scoring: 0.944 / 0.932).
 */
const SMOOTHING = 3;

/**
 * A syllable without diacritics is taken for a slip when the corpus writes it so in less than this
 * share of its passages. Measured with every other word of vinewsqa-dev's questions stripped
 * (eval/tune.ts --mixed, recall@1): 0.1 / 0.2 / 0.3 → 0.748 / 0.751 / 0.756, and 0.767 / 0.769 for
 * 0.2 / 0.3 once their folded twins weigh more; 0.3 costs questions typed with every accent
 * (recall@1 0.776 against 0.777).
 */
const PLAIN_SHARE = 0.2;

/**
 * The index's own spellings: for each accent-folded syllable (and syllable pair), the accented
 * forms that occur and in how many passages. It gives
 * - document frequencies (for idf-weighted coverage: how much of a question a passage answers), and
 * - accent restoration: "huu lung" → "hữu lũng", choosing forms that the corpus actually pairs,
 *   which keeps ma/má/mà apart where naive folding would merge them.
 */
export class Vocabulary {
  /**
   * The segments' own vocabularies when this one is their sum (`combine`), each over its
   * passages, and the counts of the tombstoned passages, subtracted; null for a plain vocabulary.
   */
  private parts: { sources: Vocabulary[]; dead: VocabularyCounts | null } | null = null;

  private constructor(
    readonly documents: number,
    /** A segment's own vocabulary, as stored (null for a sum of segments': see `parts`). */
    private readonly file: VocabularyFile | null,
  ) {}

  /**
   * The vocabulary of these passages. `complete` keeps every pair and every spelling (a small
   * segment's: its counts are summed with others', where a pair seen once here and once there is
   * a pair seen twice); otherwise rare pairs and spellings are dropped, as the whole corpus's.
   */
  static build(texts: Iterable<string>, { complete = false }: { complete?: boolean } = {}): Vocabulary {
    const counter = new TermCounter();
    for (const text of texts) counter.add(text);
    return counter.vocabulary({ complete });
  }

  /** The vocabulary of counted passages (`TermCounter.vocabulary`). */
  static fromCounts(counts: TermCounter, complete: boolean): Vocabulary {
    // Every syllable spelling is kept (document frequencies must be exact); pairs are many, so the
    // rare ones and the rare spellings are dropped.
    const pairs = complete ? groupByFolded(counts.pairs, 1, Infinity) : groupByFolded(counts.pairs, MIN_PAIR_DF, MAX_FORMS);
    return Vocabulary.of(VocabularyFile.encode(counts.documents, groupByFolded(counts.syllables, 1, Infinity), pairs));
  }

  private static of(file: VocabularyFile): Vocabulary {
    return new Vocabulary(file.documents, file);
  }

  /** The vocabulary of no passage (a segment whose passages another segment's vocabulary counts: see `TermCounter`). */
  static empty(): Vocabulary {
    return Vocabulary.of(VocabularyFile.encode(0, new Map(), new Map()));
  }

  /**
   * The passages' syllable and pair counts, unpruned: what a version's tombstones subtract from the
   * vocabularies of the segments that hold the tombstoned passages (see `combine`).
   */
  static count(texts: Iterable<string>): VocabularyCounts {
    const counter = new TermCounter();
    for (const text of texts) counter.add(text);
    return { documents: counter.documents, syllables: Object.fromEntries(counter.syllables), pairs: Object.fromEntries(counter.pairs) };
  }

  /** Two sets of counts added (tombstones accumulate from version to version). */
  static addCounts(a: VocabularyCounts, b: VocabularyCounts): VocabularyCounts {
    const add = (x: Record<string, number>, y: Record<string, number>) => {
      const sum = { ...x };
      for (const [term, n] of Object.entries(y)) sum[term] = (sum[term] ?? 0) + n;
      return sum;
    };
    return { documents: a.documents + b.documents, syllables: add(a.syllables, b.syllables), pairs: add(a.pairs, b.pairs) };
  }

  /**
   * The vocabulary of several segments' live passages: their counts summed, the tombstoned
   * passages' counts (`dead`) subtracted, then pruned as `build` prunes the whole corpus's pairs.
   * Lookups sum on demand (a question makes a few hundred), nothing is copied. Syllable frequencies
   * and the passage count are those of a fresh build of the live passages; a pair the base
   * segment dropped as rare (seen once there) counts only its occurrences in the other segments
   * until the next merge.
   */
  static combine(sources: Vocabulary[], dead: VocabularyCounts | null): Vocabulary {
    if (dead && dead.documents === 0) dead = null;
    // An empty vocabulary adds nothing (the segments of a streamed build but its last: see `TermCounter`).
    sources = sources.filter((v) => v.documents > 0 || v.parts !== null);
    if (sources.length === 0) sources = [Vocabulary.empty()];
    if (sources.length === 1 && !dead) return sources[0]!;
    const documents = sources.reduce((n, v) => n + v.documents, 0) - (dead?.documents ?? 0);
    const combined = new Vocabulary(documents, null);
    combined.parts = { sources, dead };
    return combined;
  }

  /** A vocabulary from its file's bytes (in a buffer of its own), viewed in place. */
  static fromBuffer(buffer: ArrayBuffer, name: string): Vocabulary {
    return Vocabulary.of(VocabularyFile.fromBuffer(buffer, name));
  }

  /** Reads a segment's vocabulary file: one read, then views (no work per spelling). */
  static async read(file: string): Promise<Vocabulary> {
    return Vocabulary.of(await VocabularyFile.read(file));
  }

  /** The file of a segment's own vocabulary (a view). */
  get bytes(): Uint8Array {
    if (!this.file) throw new Error("a combined vocabulary is not saved: each segment saves its own");
    return this.file.bytes;
  }

  /** Passages that contain this exact syllable (0 when unknown). */
  documentFrequency(syllable: string): number {
    if (!this.parts) return this.file!.documentFrequency(syllable);
    let n = -(this.parts.dead?.syllables[syllable] ?? 0);
    for (const source of this.parts.sources) n += source.documentFrequency(syllable);
    return Math.max(0, n);
  }

  /** The spellings of a folded syllable, most frequent first. */
  private syllablesOf(folded: string): Forms | undefined {
    return this.parts ? this.sumForms(folded, "syllables") : this.file!.syllablesOf(folded);
  }

  /** The spellings of a folded pair, most frequent first. */
  private pairsOf(folded: string): Forms | undefined {
    return this.parts ? this.sumForms(folded, "pairs") : this.file!.pairsOf(folded);
  }

  private sumForms(folded: string, kind: "syllables" | "pairs"): Forms | undefined {
    const { sources, dead } = this.parts!;
    const sums = new Map<string, number>();
    for (const source of sources) {
      for (const [form, n] of (kind === "pairs" ? source.pairsOf(folded) : source.syllablesOf(folded)) ?? []) sums.set(form, (sums.get(form) ?? 0) + n);
    }
    if (dead) for (const [form, n] of sums) sums.set(form, n - (dead[kind][form] ?? 0));
    const forms = groupByFolded(sums, kind === "pairs" ? MIN_PAIR_DF : 1, kind === "pairs" ? MAX_FORMS : Infinity).get(folded);
    return forms && forms.length > 0 ? forms : undefined;
  }

  /** Inverse document frequency of a syllable, BM25-style, never negative. */
  idf(syllable: string): number {
    const n = this.documentFrequency(syllable);
    return Math.log(1 + (this.documents - n + 0.5) / (n + 0.5));
  }

  /**
   * True for a syllable without diacritics that the corpus nearly always writes with them ("bi" is
   * "bị", "nguyen" is "nguyên" or "Nguyễn"): inside an accented question it is a slip, not a word.
   * "con", "do", "an" are common as written and are taken at their word.
   */
  looksUnaccented(syllable: string): boolean {
    return fold(syllable) === syllable && this.documentFrequency(syllable) < PLAIN_SHARE * this.foldedFrequency(syllable);
  }

  /** Passage occurrences of all the spellings of an accent-folded syllable (0 when unknown). */
  private foldedFrequency(folded: string): number {
    return this.syllablesOf(folded)?.reduce((sum, [, n]) => sum + n, 0) ?? 0;
  }

  /** Passages in which syllable `a` is directly followed by `b`, as spelled (0 when unknown or rare). */
  pairFrequency(a: string, b: string): number {
    const forms = this.pairsOf(fold(a) + PAIR_JOINER + fold(b));
    const pair = a + PAIR_JOINER + b;
    return forms?.find(([form]) => form === pair)?.[1] ?? 0;
  }

  /** True when the corpus has some spelling of this accent-folded syllable. */
  knowsFolded(folded: string): boolean {
    return this.syllablesOf(folded) !== undefined;
  }

  /**
   * The folded syllable the corpus most likely meant by one it has never seen: the most frequent
   * known syllable one edit away (a letter dropped, added, changed or two swapped), as in
   * "chococlate" → "chocolate", "crisr" → "crispr". Null for short or numeric syllables, where a
   * guess would more often be wrong than right.
   */
  nearest(folded: string): string | null {
    if (folded.length < MIN_CORRECTABLE_LENGTH || /\p{N}/u.test(folded)) return null;
    let best: string | null = null;
    let bestDf = 0;
    for (const candidate of oneEditAway(folded)) {
      const df = this.foldedFrequency(candidate); // 0 for a syllable the corpus does not know
      if (df > bestDf || (df === bestDf && best !== null && candidate < best)) [best, bestDf] = [candidate, df];
    }
    return best;
  }

  /**
   * The syllable a word typed in Telex meant, its letters in any order ("sahcj" → "sạch", "pahst"
   * → "phát"): of the known syllables whose Telex typing has exactly the word's letters, the most
   * frequent; null when none has (see `telexFoldedReadings` for which words are tried).
   */
  telexNearest(word: string): string | null {
    const letters = sortLetters(word.toLowerCase());
    let best: string | null = null;
    let bestDf = 0;
    for (const folded of telexFoldedReadings(word)) {
      for (const [form, df] of this.syllablesOf(folded) ?? []) {
        if (df > bestDf && telexLetters(form) === letters) [best, bestDf] = [form, df];
      }
    }
    return best;
  }

  /**
   * Restores accents to syllables typed without them: the most likely spelling sequence under a
   * bigram model of the corpus's own passages (Viterbi). Each syllable without diacritics may take
   * any of its spellings the corpus has (unless `keep` says to leave it); a syllable with diacritics
   * is kept as typed and gives context to its neighbours. A spelling follows another as often as the
   * corpus pairs them, smoothed toward how common it is alone. Unknown syllables stay as they are.
   *
   * @example vocabulary.restore(["huu", "lung"]) // → ["hữu", "lũng"] on a corpus about Hữu Lũng
   * @example vocabulary.restore(["bệnh", "nhân", "bi", "sốt"]) // → ["bệnh", "nhân", "bị", "sốt"]
   */
  restore(syllables: string[], keep: (syllable: string) => boolean = () => false): string[] {
    if (syllables.length === 0) return [];
    const folded = syllables.map(fold);
    const candidates = syllables.map((s, i) => {
      const forms = s === folded[i] && !keep(s) ? this.syllablesOf(s)?.slice(0, MAX_FORMS) : undefined;
      return forms && forms.length > 0 ? forms.map(([form, df]) => ({ form, df })) : [{ form: s, df: this.documentFrequency(s) }];
    });
    // Probability of a spelling alone (half a passage for one never seen, so that logs stay finite).
    const alone = (df: number) => (df + 0.5) / (this.documents + 1);
    // best[i][j]: best log-probability of a path ending with candidate j at position i; back[i][j]: its predecessor.
    let best = candidates[0]!.map((c) => Math.log(alone(c.df)));
    const back: number[][] = [[]];
    for (let i = 1; i < candidates.length; i++) {
      const pairForms = new Map(this.pairsOf(folded[i - 1] + PAIR_JOINER + folded[i]) ?? []);
      const scores: number[] = [];
      const from: number[] = [];
      for (const current of candidates[i]!) {
        const prior = SMOOTHING * alone(current.df);
        let top = -Infinity;
        let arg = 0;
        candidates[i - 1]!.forEach((previous, k) => {
          const pairDf = pairForms.get(previous.form + PAIR_JOINER + current.form) ?? 0;
          const s = best[k]! + Math.log((pairDf + prior) / (previous.df + SMOOTHING));
          if (s > top) [top, arg] = [s, k];
        });
        scores.push(top);
        from.push(arg);
      }
      best = scores;
      back.push(from);
    }
    // reduce, not Math.max(...best): no spread whose size the input decides.
    let j = best.reduce((top, score, k) => (score > best[top]! ? k : top), 0);
    const restored: string[] = [];
    for (let i = candidates.length - 1; i >= 0; i--) {
      restored.unshift(candidates[i]![j]!.form);
      j = back[i]![j] ?? 0;
    }
    return restored;
  }
}

function* oneEditAway(word: string): Generator<string> {
  for (let i = 0; i <= word.length; i++) {
    const head = word.slice(0, i);
    const tail = word.slice(i);
    if (tail) yield head + tail.slice(1);
    if (tail.length > 1) yield head + tail[1] + tail[0] + tail.slice(2);
    for (const letter of LETTERS) {
      if (tail && letter !== tail[0]) yield head + letter + tail.slice(1);
      yield head + letter + tail;
    }
  }
}

/** Passage counts of syllables and pairs (each counted once per passage), unpruned. */
export interface VocabularyCounts {
  documents: number;
  syllables: Record<string, number>;
  pairs: Record<string, number>;
}

/**
 * Passage counts of syllables and pairs, added a passage at a time: the vocabulary of passages
 * that are not all in memory at once. A build that writes its articles as several segments counts
 * every passage here and gives the whole vocabulary to its last segment (the others get
 * `Vocabulary.empty()`): the sum `combine` takes is then this one vocabulary, pruned as one
 * segment of the same passages would be (per-segment pruned vocabularies would drop a pair seen
 * once in each of two segments). It holds one entry per distinct syllable and pair, which grows
 * with the archive's vocabulary, not with its passages.
 */
export class TermCounter {
  readonly syllables = new Map<string, number>();
  readonly pairs = new Map<string, number>();
  documents = 0;

  add(text: string): void {
    this.documents++;
    const tokens = tokenize(text);
    for (const term of new Set(tokens.map((t) => t.term))) this.syllables.set(term, (this.syllables.get(term) ?? 0) + 1);
    for (const pair of new Set(syllablePairs(text, tokens))) this.pairs.set(pair, (this.pairs.get(pair) ?? 0) + 1);
  }

  /**
   * Adds the passages counted by id (`PassageTermCounts`, over `terms`): one `Map` update per
   * distinct term of them, where `add` makes one per passage a term is in, and tokenises again.
   */
  addCounted(terms: TermIds, counted: PassageTermCounts): void {
    this.documents += counted.documents;
    counted.forEach((id, n) => {
      const counts = terms.isPair(id) ? this.pairs : this.syllables;
      const term = terms.termOf(id);
      counts.set(term, (counts.get(term) ?? 0) + n);
    });
  }

  /** Forgets every count (what a build does once the vocabulary is made: the counts are the largest thing it keeps across segments). */
  clear(): void {
    this.syllables.clear();
    this.pairs.clear();
    this.documents = 0;
  }

  /** The vocabulary of the passages added so far; `complete`: see `Vocabulary.build`. */
  vocabulary({ complete = false }: { complete?: boolean } = {}): Vocabulary {
    return Vocabulary.fromCounts(this, complete);
  }
}

/**
 * Passage counts by term id (`TermIds`) of a segment's passages, each passage given as the runs of
 * its article's title and its own text (the text `titledText` makes, which the model embeds and
 * `TermCounter.add` counts: the title's line, then the passage). Added to a `TermCounter` once the
 * segment is counted (`TermCounter.addCounted`): the same counts as `add` of each titled text.
 */
export class PassageTermCounts {
  /** Per term id: passages holding it. */
  private counts = new Uint32Array(1024);
  /** Per term id: the number of the last passage that counted it (passages are numbered from 1). */
  private seenIn = new Uint32Array(1024);
  documents = 0;

  /**
   * Counts a passage: the distinct syllables and pairs of its title and text, and `across`, the pair of
   * the title's last syllable and the text's first when only spaces stand between them (−1: none).
   */
  add(title: TermRun, text: TermRun, across: number): void {
    const passage = ++this.documents;
    for (const { syllables, pairs } of [title, text]) {
      for (let i = 0; i < syllables.length; i++) this.count(syllables[i]!, passage);
      for (let i = 1; i < pairs.length; i++) if (pairs[i]! >= 0) this.count(pairs[i]!, passage);
    }
    if (across >= 0) this.count(across, passage);
  }

  private count(id: number, passage: number): void {
    if (id >= this.counts.length) {
      const size = Math.max(id + 1, 2 * this.counts.length);
      const [counts, seenIn] = [new Uint32Array(size), new Uint32Array(size)];
      counts.set(this.counts);
      seenIn.set(this.seenIn);
      [this.counts, this.seenIn] = [counts, seenIn];
    }
    if (this.seenIn[id] === passage) return;
    this.seenIn[id] = passage;
    this.counts[id]!++;
  }

  /** Calls `each` with every counted term id and its passage count, by id. */
  forEach(each: (id: number, passages: number) => void): void {
    for (let id = 0; id < this.counts.length; id++) if (this.counts[id]! > 0) each(id, this.counts[id]!);
  }
}

function groupByFolded(df: Map<string, number>, minDf: number, maxForms: number): Map<string, Forms> {
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
    forms.length = Math.min(forms.length, maxForms);
  }
  return grouped;
}
