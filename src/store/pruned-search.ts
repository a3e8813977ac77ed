/**
 * Exact top-k BM25 without scoring every posting of very common syllables.
 *
 * A question holds a few rare terms ("Hữu Lũng", a name, a pair) and many common ones ("là", "có",
 * "gì", and the accent-folded twins of everything, which union the postings of every spelling).
 * Exhaustive scoring walks all of them: at 26,530 articles most of a question's cost is postings
 * that cannot change which 200 passages come first. Here (term-at-a-time MaxScore):
 *
 * 1. Terms are taken in decreasing order of their maximum possible contribution (BM25 weight: the
 *    saturation tf/(tf + K) is below 1, so a term adds less than boost × idf × (k1 + 1), once per
 *    spelling for a folded term).
 * 2. After each term, if the k-th best score so far (a lower bound of the final k-th best) beats
 *    what the terms not yet taken could give a passage not yet seen, no unseen passage can enter
 *    the top k: the remaining terms only update the passages already seen.
 * 3. Those are then dropped as soon as their score plus what the remaining terms could add falls
 *    below the k-th best, and the remaining terms are looked up for the survivors only (galloping
 *    search in the id-sorted postings) instead of walked.
 * 4. The few passages that can be in the top k are scored again exactly as `searchExhaustive`
 *    scores them (float32 sums in query-term order), and sorted (score, then id).
 *
 * Pruning compares float32 sums (of terms computed with float32 length norms) taken in another
 * order than the reference's; every comparison keeps a relative margin (`MARGIN`) far above that
 * rounding difference (< 1e-5 for a hundred terms), so a passage is dropped only when it cannot be
 * in the reference's top k: the result is the reference's, bit for bit
 * (tests/store/pruned-search.test.ts checks it). Float32, not float64: the walk's cost is random
 * reads of a score and a norm per posting, and at 944,635 passages (200,000 articles) the two
 * arrays are 7.5 MB instead of 15 (ask p95 211-228 → 165-173 ms, the same hits and scores for all
 * 2,497 vinewsqa-dev questions: README, ninth session).
 *
 * No object per candidate: scores, marks and candidate lists live in typed arrays reused across
 * searches (`SearchScratch`), and the k best are kept in a bounded heap, not a sort of all.
 */

/**
 * One term's postings in one segment, local ids ascending; the passage's id is `base` + its local
 * id (segments are numbered one after another, so ids stay ascending). Its length is known without
 * reading it: a list read from a file is read whole only when a search walks it (`all`), and only in
 * the blocks a lookup lands in when a search looks passages up in it (`seek`, `docAt`, `tfAt`).
 */
export interface PostingList {
  /** Postings in the list. */
  readonly length: number;
  readonly base: number;
  /** One past the last id of its segment: every posting's id is in [base, segmentEnd). */
  readonly segmentEnd: number;
  /**
   * Every posting: docs/tfs[start … end). Of a list read from a file, valid until other postings are
   * read (they share a bounded cache): walk it, then ask again.
   */
  all(): { docs: Uint32Array; tfs: Float32Array; start: number; end: number };
  /**
   * Says that about `lookups` lookups (`seek`) follow: a list may read itself whole if that is
   * cheaper. Returns every posting (as `all`) when the list is whole in memory then, so that the
   * caller can search them directly; null otherwise (use `seek`, `docAt`, `tfAt`).
   */
  expect(lookups: number): { docs: Uint32Array; tfs: Float32Array; start: number; end: number } | null;
  /** The first position p ≥ `from` (0 … length) whose local id `docAt(p)` is ≥ `doc`; length when none. */
  seek(from: number, doc: number): number;
  /** The local id of the posting at position p (0 … length − 1). */
  docAt(p: number): number;
  /** Its weighted tf. */
  tfAt(p: number): number;
}

/** What a search reads of the passages, by id over every segment (`LexicalIndex`'s or `SegmentedLexical`'s fields). */
export interface Postings {
  lengths: Float32Array;
  averageLength: number;
  /** 1 for a lead passage, whose final score is multiplied by `leadBoost`. */
  leads: Uint8Array;
  leadBoost: number;
}

/** One query term: the postings it unions (its spellings, when folded, in every segment) and its BM25 weight. */
export interface ScoringUnit {
  term: string;
  lists: PostingList[];
  /**
   * The most of those lists one passage can be in: a passage lies in one segment, and in at most
   * one list per spelling there, so the most lists of one segment (1 for an exact term).
   */
  perPassage: number;
  /** boost × idf × (k1 + 1): the most one posting of this term can add. */
  weight: number;
}

/**
 * The most a unit can add to one passage: each posting adds weight × tf / (tf + K) < weight, and a
 * passage holding several spellings of a folded term gets one addition per spelling.
 */
const bound = (unit: ScoringUnit) => unit.weight * unit.perPassage;

/** A returned passage: its score as the reference computes it, and the query terms it matched. */
export interface ScoredHit {
  id: number;
  score: number;
  terms: string[];
}

/** Relative safety margin of every pruning comparison (see the module comment). */
const MARGIN = 1e-4;

/** Per-index buffers reused by every search; reset through the list of passages seen, or whole when it is not complete. */
export class SearchScratch {
  /** Approximate (float32: see the module comment) score per passage; 0 = untouched. */
  readonly scores: Float32Array;
  /** Filter verdict per passage: 0 unknown, 1 allowed, 2 filtered out. */
  readonly allowed: Uint8Array;
  readonly touched: Uint32Array;
  /** Candidate lists (ids): the current one and the next, swapped as candidates are dropped. */
  readonly candidates: Uint32Array;
  readonly survivors: Uint32Array;
  /** The weighted tf of each candidate in the list looked up last (`lookUp`; −1: not in it). */
  readonly found: Float32Array;
  /** The bounded min-heap of `kthBest` (k scores; grown for a larger k). */
  heap = new Float64Array(256);
  /** What the last search did (for tests and benchmarks): postings of its terms, and those walked whole. */
  readonly last = { postings: 0, walked: 0 };

  /**
   * k1 × (1 − b + b × length / averageLength) per passage, the BM25 length norm, for `normKey`'s
   * parameters, computed once (in float32, as the scores: see the module comment).
   */
  private normCache: Float32Array | null = null;
  private normKey = "";

  norms(lengths: Float32Array, averageLength: number, k1: number, b: number): Float32Array {
    const key = `${k1} ${b} ${averageLength}`;
    if (this.normCache === null || this.normKey !== key) {
      const norms = (this.normCache ??= new Float32Array(lengths.length));
      for (let doc = 0; doc < lengths.length; doc++) norms[doc] = k1 * (1 - b + (b * lengths[doc]!) / averageLength);
      this.normKey = key;
    }
    return this.normCache;
  }

  constructor(documents: number) {
    this.scores = new Float32Array(documents);
    this.allowed = new Uint8Array(documents);
    this.touched = new Uint32Array(documents);
    this.candidates = new Uint32Array(documents);
    this.survivors = new Uint32Array(documents);
    this.found = new Float32Array(documents);
  }
}

/**
 * The best `limit` passages (score desc, id asc) for the scoring units, with the scores
 * `searchExhaustive` gives them. Synchronous: the scratch is free again when it returns.
 */
export function prunedTopK(
  index: Postings,
  units: ScoringUnit[],
  { k1, b }: { k1: number; b: number },
  filter: ((id: number) => boolean) | undefined,
  limit: number,
  scratch: SearchScratch,
): ScoredHit[] {
  if (limit <= 0 || units.length === 0) return [];
  const { lengths, averageLength, leads, leadBoost } = index;
  const boosts = boostsOf(leadBoost);
  const { scores, allowed, touched, found } = scratch;
  const norms = scratch.norms(lengths, averageLength, k1, b);
  // Without a filter every passage is allowed: nothing to ask or remember per passage.
  const verdicts = filter === undefined ? null : { filter, allowed };

  const order = units.map((_, i) => i).sort((x, y) => bound(units[y]!) - bound(units[x]!) || x - y);
  // remaining[i]: the most the units order[i], order[i + 1], … can add to one passage (before the lead boost).
  const remaining = new Float64Array(order.length + 1);
  for (let i = order.length - 1; i >= 0; i--) remaining[i] = remaining[i + 1]! + bound(units[order[i]!]!);

  // The passages seen are listed (`touched`) up to `listed` of them: enough for the sample below, and
  // for phase 2 to take its candidates from the list when it holds a sixteenth of the passages or
  // fewer. Past that, listing every passage seen would cost a hard-to-predict branch per posting (the
  // phase-1 walk took twice as long with it) for a list no one reads: candidates are found by a pass
  // over every id, and the scores cleared whole.
  const sampleSize = Math.max(4 * limit, 1024);
  const listed = Math.max(sampleSize, (scores.length >>> 4) + 1);
  let touchedCount = 0; // passages seen, or `listed` once more were seen
  let threshold = 0; // a lower bound of the final k-th best score among allowed passages
  let best = 0; // the best score so far, before the lead boost
  let candidateCount = 0;
  let candidates = scratch.candidates;
  let spare = scratch.survivors;
  try {
    let i = 0;
    // Phase 1: walk whole postings, from the weightiest term, until unseen passages cannot qualify.
    for (; i < order.length; i++) {
      const { lists, weight } = units[order[i]!]!;
      for (const list of lists) {
        const { docs, tfs, start, end } = list.all();
        const base = list.base;
        for (let p = start; p < end; p++) {
          const doc = base + docs[p]!;
          const tf = tfs[p]!;
          if (touchedCount < listed && scores[doc] === 0) touched[touchedCount++] = doc;
          const score = (scores[doc]! += (weight * tf) / (tf + norms[doc]!));
          if (score > best) best = score;
        }
      }
      if (i + 1 < order.length && touchedCount >= limit) {
        const unseenBest = remaining[i + 1]! * leadBoost * (1 + MARGIN);
        // The k-th best is at most the best: only look for it when it could be high enough.
        if (unseenBest >= threshold * (1 - MARGIN) && unseenBest < best * leadBoost * (1 - MARGIN)) {
          // Over the passages the weightiest terms found first, where the best ones are: the k-th best
          // of any k allowed passages is a lower bound, and this keeps the check cheap.
          const sample = Math.min(touchedCount, sampleSize);
          threshold = Math.max(threshold, kthBest(touched, sample, limit, scores, leads, boosts, verdicts, scratch));
        }
        if (unseenBest < threshold * (1 - MARGIN)) break;
      }
    }
    scratch.last.postings = scratch.last.walked = 0;
    for (let j = 0; j < order.length; j++) {
      for (const { length } of units[order[j]!]!.lists) {
        scratch.last.postings += length;
        if (j <= i) scratch.last.walked += length;
      }
    }
    if (i < order.length) {
      // Phase 2: only passages seen so far can qualify; keep those that still might, id-sorted.
      i++;
      // Phase 1 stopped on a bar > 0, the k-th best of a sample of the passages seen. The k-th best
      // of every passage seen is higher: it is the bar, found by a first pass over them (a bounded
      // heap, which few passages enter), and the second keeps the passages that qualify against it,
      // in id order. (Passing them once against the sample's bar, then finding the k-th best among
      // those kept and passing those again, kept the same passages: 55 % of those seen stayed after
      // the first pass at 26,530 articles, ~390,000 at 200,000 articles, for ~70,000 after the second.)
      const rest = remaining[i]!;
      if (touchedCount === listed) {
        // Many seen, not all listed: a pass over every id gives them in order (cheaper than sorting
        // tens of thousands, too).
        threshold = Math.max(threshold, kthSeen(limit, scores, leads, boosts, verdicts, scratch));
        // Passages never seen (score 0) fail the bar too (phase 1 stopped because they cannot reach
        // it), so nearly every id leaves at the first, well-predicted test.
        for (let doc = 0; doc < scores.length; doc++) {
          const score = scores[doc]!;
          if (!qualifies(score, rest, doc, leads, boosts, threshold)) continue;
          if (score !== 0 && isAllowed(verdicts, doc)) candidates[candidateCount++] = doc;
        }
      } else {
        threshold = Math.max(threshold, kthBest(touched, touchedCount, limit, scores, leads, boosts, verdicts, scratch));
        for (let t = 0; t < touchedCount; t++) {
          const doc = touched[t]!;
          if (qualifies(scores[doc]!, rest, doc, leads, boosts, threshold) && isAllowed(verdicts, doc)) candidates[candidateCount++] = doc;
        }
        candidates.subarray(0, candidateCount).sort();
      }
      for (; i < order.length && candidateCount > limit; i++) {
        const { lists, weight } = units[order[i]!]!;
        for (const list of lists) {
          // The candidates in the list's segment: candidates[first … last).
          const { base, length } = list;
          const first = lowerBound(candidates, candidateCount, base);
          const last = lowerBound(candidates, candidateCount, list.segmentEnd);
          if (first === last) continue;
          if (length < 4 * candidateCount) {
            // Short list, many candidates: walking it is cheaper than searching it. Passages seen
            // but dropped get their score updated too (harmless: they are never read again).
            const { docs, tfs, start, end } = list.all();
            for (let p = start; p < end; p++) {
              const doc = base + docs[p]!;
              if (scores[doc] === 0) continue;
              const tf = tfs[p]!;
              scores[doc]! += (weight * tf) / (tf + norms[doc]!);
            }
            continue;
          }
          // Looked up, not walked: only the blocks the lookups land in are read.
          lookUp(list, candidates, first, last, found);
          for (let c = first; c < last; c++) {
            const tf = found[c]!;
            if (tf < 0) continue;
            const doc = candidates[c]!;
            scores[doc]! += (weight * tf) / (tf + norms[doc]!);
          }
        }
        threshold = Math.max(threshold, kthBest(candidates, candidateCount, limit, scores, leads, boosts, verdicts, scratch));
        const rest = remaining[i + 1]!;
        let kept = 0;
        for (let c = 0; c < candidateCount; c++) {
          const doc = candidates[c]!;
          if (qualifies(scores[doc]!, rest, doc, leads, boosts, threshold)) spare[kept++] = doc;
        }
        [candidates, spare] = [spare, candidates];
        candidateCount = kept;
      }
    } else {
      // Every term walked: the allowed passages seen are the candidates (in any order: sorted below).
      if (touchedCount === listed) {
        for (let doc = 0; doc < scores.length; doc++) if (scores[doc] !== 0 && isAllowed(verdicts, doc)) candidates[candidateCount++] = doc;
      } else {
        for (let t = 0; t < touchedCount; t++) if (isAllowed(verdicts, touched[t]!)) candidates[candidateCount++] = touched[t]!;
      }
    }

    // The passages within the margin of the k-th best (approximately) can be in the exact top k;
    // when phase 2 stopped early, its candidates' scores are partial but all of them qualify.
    let finalists = candidateCount;
    if (candidateCount > limit) {
      const kth = kthBest(candidates, candidateCount, limit, scores, leads, boosts, verdicts, scratch);
      finalists = 0;
      for (let c = 0; c < candidateCount; c++) {
        const doc = candidates[c]!;
        if (qualifies(scores[doc]!, 0, doc, leads, boosts, kth)) spare[finalists++] = doc;
      }
      candidates = spare;
    }
    return exactTopK(index, units, { k1, b }, candidates.subarray(0, finalists).sort(), limit);
  } finally {
    if (touchedCount === listed) {
      scores.fill(0);
      if (verdicts !== null) allowed.fill(0);
    } else if (verdicts === null) {
      for (let t = 0; t < touchedCount; t++) scores[touched[t]!] = 0;
    } else {
      for (let t = 0; t < touchedCount; t++) {
        scores[touched[t]!] = 0;
        allowed[touched[t]!] = 0;
      }
    }
  }
}

/** A search's filter and its verdicts so far, by passage (0 unknown, 1 allowed, 2 filtered out); null: no filter. */
type Verdicts = { filter: (id: number) => boolean; allowed: Uint8Array } | null;

function isAllowed(verdicts: Verdicts, doc: number): boolean {
  if (verdicts === null) return true;
  const { allowed } = verdicts;
  if (allowed[doc] === 0) allowed[doc] = verdicts.filter(doc) ? 1 : 2;
  return allowed[doc] === 1;
}

/**
 * Whether a passage with this score so far, to which the terms not yet taken could add `rest`,
 * may still reach the bar `threshold` (within the margin, after its lead boost).
 */
function qualifies(score: number, rest: number, doc: number, leads: Uint8Array, boosts: Float64Array, threshold: number): boolean {
  return (score + rest) * boosts[leads[doc]!]! * (1 + MARGIN) >= threshold * (1 - MARGIN);
}

/**
 * A passage's final factor by its lead flag: [1, leadBoost]. Indexed rather than chosen (`leads[doc]
 * === 1 ? leadBoost : 1`), so the passes over every passage seen have no branch that depends on it.
 */
function boostsOf(leadBoost: number): Float64Array {
  return Float64Array.of(1, leadBoost);
}

/**
 * The best `limit` of the given passages (ids ascending, each once) for the scoring units: what
 * `searchExhaustive` returns with a filter that allows exactly them, without walking any posting
 * list whole. For a search confined to a few known passages (an article's), where pruning cannot
 * help: a filter that lets fewer than `limit` passages through never raises the k-th best, so
 * `prunedTopK` would walk every posting of every term and ask the filter of each passage seen.
 * A passage that matches no term is not a hit (the reference never sees it).
 */
export function topKAmong(index: Postings, units: ScoringUnit[], params: { k1: number; b: number }, ids: Uint32Array, limit: number): ScoredHit[] {
  if (limit <= 0 || units.length === 0 || ids.length === 0) return [];
  return exactTopK(index, units, params, ids, ids.length)
    .filter((hit) => hit.terms.length > 0)
    .slice(0, limit);
}

/**
 * The best `limit` of the finalists (ids ascending) with the scores `searchExhaustive` gives them:
 * the same float32 additions of the same float64 terms, in query-term order; and the terms each
 * matched. One sweep per posting list over the id-sorted finalists.
 */
function exactTopK(index: Postings, units: ScoringUnit[], { k1, b }: { k1: number; b: number }, finalists: Uint32Array, limit: number): ScoredHit[] {
  const { lengths, averageLength, leads, leadBoost } = index;
  const F = finalists.length;
  const sums = new Float32Array(F);
  const matched = new Uint8Array(F * units.length);
  const found = new Float32Array(F);
  const U = units.length;
  for (let u = 0; u < U; u++) {
    const { lists, weight } = units[u]!;
    for (const list of lists) {
      // Each (finalist, posting) match is found by searching the longer sequence from the shorter:
      // the finalists in the postings, or a short list's postings among the finalists. Either way a
      // finalist's additions come in the same order (unit by unit, list by list): each is stored
      // into a Float32Array after the addition, as the reference does.
      const { base, length } = list;
      const first = lowerBound(finalists, F, base);
      const last = lowerBound(finalists, F, list.segmentEnd);
      if (first === last) continue;
      if (length < last - first) {
        const { docs, tfs, start, end } = list.all();
        let c = first;
        for (let p = start; p < end && c < last; p++) {
          c = gallop(finalists, c, last, base + docs[p]!);
          if (c < last && finalists[c] === base + docs[p]!) {
            const tf = tfs[p]!;
            sums[c]! += (weight * tf) / (tf + k1 * (1 - b + (b * lengths[finalists[c]!]!) / averageLength));
            matched[c * U + u] = 1;
          }
        }
        continue;
      }
      lookUp(list, finalists, first, last, found);
      for (let c = first; c < last; c++) {
        const tf = found[c]!;
        if (tf < 0) continue;
        sums[c]! += (weight * tf) / (tf + k1 * (1 - b + (b * lengths[finalists[c]!]!) / averageLength));
        matched[c * U + u] = 1;
      }
    }
  }
  // Each finalist's score once (the same product the comparison would make every time).
  const scores = new Float64Array(F);
  for (let c = 0; c < F; c++) scores[c] = sums[c]! * (leads[finalists[c]!] === 1 ? leadBoost : 1);
  const order = Array.from({ length: F }, (_, c) => c);
  order.sort((x, y) => scores[y]! - scores[x]! || finalists[x]! - finalists[y]!);
  return order.slice(0, limit).map((c) => {
    const terms: string[] = [];
    for (let u = 0; u < U; u++) if (matched[c * U + u] === 1) terms.push(units[u]!.term);
    return { id: finalists[c]!, score: scores[c]!, terms };
  });
}

/**
 * The weighted tf of each passage ids[first … last) (ascending, all in the list's segment) in the
 * list, into found[first … last); −1 for a passage it does not hold. A gallop through the list when
 * it is in memory (or cheaper to read whole: `expect`), lookups by blocks otherwise (`seek`).
 */
function lookUp(list: PostingList, ids: Uint32Array, first: number, last: number, found: Float32Array): void {
  const base = list.base;
  const whole = list.expect(last - first);
  if (whole !== null) {
    const { docs, tfs, end } = whole;
    let p = whole.start;
    for (let c = first; c < last; c++) {
      const doc = ids[c]! - base;
      if (p < end) p = gallop(docs, p, end, doc);
      found[c] = p < end && docs[p] === doc ? tfs[p]! : -1;
    }
    return;
  }
  const length = list.length;
  let p = 0;
  for (let c = first; c < last; c++) {
    const doc = ids[c]! - base;
    if (p < length) p = list.seek(p, doc);
    found[c] = p < length && list.docAt(p) === doc ? list.tfAt(p) : -1;
  }
}

/** The first position in ids[0 … count) holding an id ≥ `id` (count when none): binary search. */
function lowerBound(ids: Uint32Array, count: number, id: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ids[mid]! < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first position in docs[from … end) holding a value ≥ doc (end when none): exponential, then binary search. */
export function gallop(docs: Uint32Array, from: number, end: number, doc: number): number {
  if (from >= end || docs[from]! >= doc) return from;
  let step = 1;
  let lo = from; // docs[lo] < doc
  while (lo + step < end && docs[lo + step]! < doc) {
    lo += step;
    step *= 2;
  }
  let hi = Math.min(lo + step, end); // docs[hi] ≥ doc, or hi = end
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid]! < doc) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The `k`-th largest boosted score among the allowed passages of `list` (0 when fewer than k), with
 * a bounded min-heap of k scores in the scratch.
 */
function kthBest(
  list: Uint32Array,
  count: number,
  k: number,
  scores: Float32Array,
  leads: Uint8Array,
  boosts: Float64Array,
  verdicts: Verdicts,
  scratch: SearchScratch,
): number {
  const heap = heapOf(scratch, k);
  let size = 0;
  let floor = -Infinity; // once the heap is full, its least value: what a value must beat to enter
  for (let c = 0; c < count; c++) {
    const doc = list[c]!;
    const value = scores[doc]! * boosts[leads[doc]!]!;
    if (value <= floor || !isAllowed(verdicts, doc)) continue;
    size = offer(heap, size, k, value);
    if (size === k) floor = heap[0]!;
  }
  return size === k ? heap[0]! : 0;
}

/**
 * `kthBest` over every passage seen (a score > 0): a pass over every id. Once the heap is full its
 * least value is > 0, so the passages not seen leave at the first test with the many that score too
 * low: one well-predicted branch per id (a test for 0 first cost a mispredicted branch per id, ~5 ns
 * each at 944,635 passages).
 */
function kthSeen(k: number, scores: Float32Array, leads: Uint8Array, boosts: Float64Array, verdicts: Verdicts, scratch: SearchScratch): number {
  const heap = heapOf(scratch, k);
  let size = 0;
  let floor = -Infinity;
  for (let doc = 0; doc < scores.length; doc++) {
    const value = scores[doc]! * boosts[leads[doc]!]!;
    if (value <= floor) continue;
    if (value === 0 || !isAllowed(verdicts, doc)) continue;
    size = offer(heap, size, k, value);
    if (size === k) floor = heap[0]!;
  }
  return size === k ? heap[0]! : 0;
}

/** Offers a value to a bounded min-heap of `size` ≤ k values (one larger than its least when full); returns its new size. */
function offer(heap: Float64Array, size: number, k: number, value: number): number {
  if (size < k) {
    // Sift up.
    let at = size;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (heap[parent]! <= value) break;
      heap[at] = heap[parent]!;
      at = parent;
    }
    heap[at] = value;
    return size + 1;
  }
  // Replace the minimum, sift down.
  let at = 0;
  for (;;) {
    const left = 2 * at + 1;
    if (left >= k) break;
    const child = left + 1 < k && heap[left + 1]! < heap[left]! ? left + 1 : left;
    if (heap[child]! >= value) break;
    heap[at] = heap[child]!;
    at = child;
  }
  heap[at] = value;
  return size;
}

function heapOf(scratch: SearchScratch, k: number): Float64Array {
  if (scratch.heap.length < k) scratch.heap = new Float64Array(k);
  return scratch.heap;
}
