import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Article, Embedder } from "../../src/domain/types";
import { buildIndex, DEFAULT_HNSW, type CorpusIndex } from "../../src/store";
import { SMALL_CORPUS } from "./articles";

/** Builds an index of `articles` in a fresh temporary folder. */
export async function buildTestIndex(
  articles: Article[] = SMALL_CORPUS,
  embedder: Embedder | null = null,
): Promise<{ index: CorpusIndex; dir: string; cleanup: () => Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "qa-index-"));
  const { index } = await buildIndex({ dir, articles, embedder, chunking: { maxChars: 400, overlapSentences: 1 }, hnsw: DEFAULT_HNSW });
  return { index: index!, dir, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
}
