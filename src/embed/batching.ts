/**
 * Batch planning for the embedder, kept pure so the policy is testable without a model.
 *
 * A batch costs roughly (number of texts) × (longest text): every row is padded to the longest.
 * Sorting by length first makes neighbours similar, and a budget on that padded size keeps a single
 * very long text from inflating a batch of short ones; it ends up alone, or with other long ones.
 */

export interface BatchLimits {
  /** At most this many texts per batch (the configured batch size). */
  maxItems: number;
  /** At most this many padded characters per batch: items × longest item. */
  maxCharacters: number;
}

/**
 * Default padded-size budget: 16 passages of 1 000 characters (a full chunk plus a prefix).
 * Short texts still fill `maxItems`; only outliers are split off.
 */
export const DEFAULT_MAX_BATCH_CHARACTERS = 16_000;

/**
 * Groups inputs into batches, shortest first. Returns indices into `lengths`; every index appears
 * exactly once, and a batch always holds at least one item (even one over the budget on its own).
 *
 * @example
 *   planBatches([5, 4000, 6, 7], { maxItems: 16, maxCharacters: 4000 });  // [[0, 2, 3], [1]]
 */
export function planBatches(lengths: readonly number[], limits: BatchLimits): number[][] {
  const maxItems = Math.max(1, Math.floor(limits.maxItems));
  // Stable sort: equal lengths keep their input order, so plans are deterministic.
  const order = lengths.map((_, i) => i).sort((a, b) => (lengths[a] ?? 0) - (lengths[b] ?? 0));
  const batches: number[][] = [];
  let current: number[] = [];
  for (const index of order) {
    // Sorted ascending, so the newcomer is the longest of the batch it would join.
    const longest = Math.max(1, lengths[index] ?? 0);
    const paddedSize = (current.length + 1) * longest;
    if (current.length > 0 && (current.length >= maxItems || paddedSize > limits.maxCharacters)) {
      batches.push(current);
      current = [];
    }
    current.push(index);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}
