import type { VocabularyCounts } from "./vocabulary";

/**
 * `<version>/tombstones.json`: the articles of a version's segments that are no longer live
 * (deleted, or replaced by a newer copy in a later segment). Rewritten by every version (it is
 * small: a merge empties it); the segments it points into never change.
 */
export interface Tombstones {
  version: 1;
  /** Segment name → positions of its tombstoned articles, ascending. */
  articles: Record<string, number[]>;
  /** The syllable and pair counts of every tombstoned passage: what the vocabulary subtracts. */
  vocabulary: VocabularyCounts;
}

export const NO_TOMBSTONES: Tombstones = { version: 1, articles: {}, vocabulary: { documents: 0, syllables: {}, pairs: {} } };
