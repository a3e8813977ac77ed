import type { Embedder, ScoredChunk, Span } from "../domain/types";
import { cosine } from "../embed";

/**
 * An English question over Vietnamese articles shares names and numbers with them at best: the
 * reader's word rules have almost nothing to go on, and a passage's similarity says which
 * paragraph, not which sentence. So, with a model loaded, the sentences of the best retrieved
 * passages are embedded at question time, and each is compared with the question itself: the
 * reader then picks the window, and decides "not found", by that similarity (see `read`).
 *
 * Few and short: the sentences of `passages` passages (about a dozen, tens of tokens each), in
 * one call, so that an English question costs one small batch more than a Vietnamese one.
 */
export interface CrossLingualSettings {
  /** Retrieved passages, best first, whose sentences are embedded. */
  passages: number;
}

/**
 * Two passages: replaying the reader over 162 xquad-en2vi questions on the full news index (see
 * DEFAULT_READER), 1 / 2 / 3 passages put the gold answer in the quotes for 0.36 / 0.38 / 0.39 of
 * them; each passage is about six sentences more to embed at question time.
 */
export const DEFAULT_CROSS_LINGUAL: CrossLingualSettings = {
  passages: 2,
};

/** Cosine similarity to the question of each embedded sentence: article id → sentence start → cosine. */
export type SentenceCosines = Map<string, Map<number, number>>;

/** What `sentenceCosines` takes of a retrieval: the hits, best first, and the question's vector. */
export interface CrossLingualInput {
  hits: ScoredChunk[];
  queryVector: Float32Array;
}

/**
 * Embeds the sentences of the best retrieved passages and returns their cosine to the question.
 *
 * @example read({ ...retrieval, cosines: await sentenceCosines(retrieval, index, embedder) }, index)
 */
export async function sentenceCosines(
  input: CrossLingualInput,
  corpus: { sentencesOf(articleId: string): Span[] },
  embedder: Embedder,
  settings: CrossLingualSettings = DEFAULT_CROSS_LINGUAL,
): Promise<SentenceCosines> {
  const chosen: Array<{ articleId: string; span: Span; text: string }> = [];
  const seen = new Set<string>();
  for (const hit of input.hits.filter((h) => h.dense !== null).slice(0, settings.passages)) {
    for (const span of corpus.sentencesOf(hit.article.id)) {
      // Passages overlap by a sentence: each is embedded once.
      const key = `${hit.article.id}\u0000${span.start}`;
      if (span.start < hit.chunk.start || span.end > hit.chunk.end || seen.has(key)) continue;
      seen.add(key);
      chosen.push({ articleId: hit.article.id, span, text: hit.article.body.slice(span.start, span.end) });
    }
  }
  const cosines: SentenceCosines = new Map();
  if (chosen.length === 0) return cosines;
  const vectors = await embedder.embedPassages(chosen.map((c) => c.text));
  chosen.forEach(({ articleId, span }, i) => {
    let own = cosines.get(articleId);
    if (!own) cosines.set(articleId, (own = new Map()));
    own.set(span.start, cosine(input.queryVector, vectors[i]!));
  });
  return cosines;
}
