/**
 * The dense path end to end with the real transformers.js pipeline: a tiny BERT-style ONNX model
 * written by the test suite, loaded from disk with remote models off.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Document } from "@langchain/core/documents";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingest, QaService, workerEmbedder } from "../../src/app";
import { loadConfig, type Config } from "../../src/config";
import { IndexError } from "../../src/domain/errors";
import { TransformersEmbedder, TransformersEmbeddings } from "../../src/embed";
import { articleToMarkdown } from "../../src/ingest";
import { silentLogger } from "../../src/logger";
import { CorpusRetriever, Retriever } from "../../src/retrieve";
import { HnswDocumentStore, loadIndex } from "../../src/store";
import { SMALL_CORPUS, testArticle } from "../helpers/articles";
import { offlineOptions, writeTinyModel } from "../helpers/tiny-model";

let tmp: string;
let config: Config;
let embedder: TransformersEmbedder;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "dense-"));
  const model = await writeTinyModel(path.join(tmp, "models"), { name: "tiny-bert", dimensions: 32 });
  embedder = await TransformersEmbedder.load(offlineOptions(model, tmp));
  const corpus = path.join(tmp, "corpus");
  await fs.mkdir(corpus);
  for (const article of SMALL_CORPUS) await fs.writeFile(path.join(corpus, `${article.id}.md`), articleToMarkdown(article));
  config = loadConfig({ CORPUS_DIR: corpus, INDEX_DIR: path.join(tmp, "index"), EMBEDDING_MODEL: model, CHUNK_MAX_CHARS: "300" });
});
afterAll(async () => {
  await embedder?.dispose();
  await fs.rm(tmp, { recursive: true, force: true });
});

describe("dense retrieval with a real transformers.js model", () => {
  it("ingests with vectors, answers with dense scores, and re-embeds only a changed article", async () => {
    const first = await ingest({ config, logger: silentLogger, embedder, denseOffReason: null });
    expect(first.embedded).toBe(first.passages);
    const service = await QaService.open({ config, logger: silentLogger, embedder });
    expect(service.denseOn).toBe(true);
    expect(service.status()).toMatchObject({ denseOn: true, articles: SMALL_CORPUS.length });

    const { retrieval, answer } = await service.askWithEvidence("Giá lúa ở An Giang là bao nhiêu?");
    expect(answer.citations[0]!.articleId).toBe("lua-gao");
    expect(retrieval.hits.some((h) => h.dense !== null)).toBe(true);

    const changed = testArticle({ ...SMALL_CORPUS[1]!, body: `${SMALL_CORPUS[1]!.body}\nGiá phân bón giảm nhẹ trong tháng này.` });
    await fs.writeFile(path.join(config.corpusDir, "lua-gao.md"), articleToMarkdown(changed));
    const second = await ingest({ config, logger: silentLogger, embedder, denseOffReason: null });
    expect(second).toMatchObject({ updated: 1, added: 0, removed: 0, unchanged: SMALL_CORPUS.length - 1 });
    expect(second.embedded).toBe(second.index!.chunkPositionsOf("lua-gao").length);
    expect(second.embedded).toBeLessThan(second.passages);
  });

  it("refuses the index when the configured model is another one", async () => {
    await expect(loadIndex(config.indexDir, { model: { id: "Xenova/multilingual-e5-small", dimensions: 384 } })).rejects.toBeInstanceOf(
      IndexError,
    );
  });

  it("is a LangChain SaveableVectorStore and BaseRetriever", async () => {
    const embeddings = new TransformersEmbeddings(embedder);
    const store = new HnswDocumentStore(embeddings);
    await store.addDocuments(SMALL_CORPUS.map((a) => new Document({ pageContent: `${a.title}. ${a.body}`, metadata: { id: a.id } })));
    const [[best, score]] = (await store.similaritySearchWithScore("huy chương vàng bóng đá nữ", 1)) as [[Document, number]];
    expect(best.metadata.id).toBe("bong-da");
    expect(score).toBeGreaterThan(0);
    expect(score).toBeLessThanOrEqual(1.0001);

    const dir = path.join(tmp, "lc-store");
    await store.save(dir);
    await store.save(dir); // saving over an existing store replaces it
    const loaded = await HnswDocumentStore.load(dir, embeddings);
    expect(loaded.size).toBe(SMALL_CORPUS.length);
    expect(await loaded.similaritySearch("huy chương vàng bóng đá nữ", 2)).toEqual(await store.similaritySearch("huy chương vàng bóng đá nữ", 2));

    const index = await loadIndex(config.indexDir, { model: { id: embedder.modelId, dimensions: embedder.dimensions } });
    const retriever = new CorpusRetriever(new Retriever(index, embedder));
    const docs = await retriever.invoke("sạt lở đất Lạng Sơn");
    expect(docs[0]!.metadata).toMatchObject({ articleId: "mua-lu", title: SMALL_CORPUS[3]!.title });
    const article = index.article(docs[0]!.metadata.articleId)!;
    expect(article.body.slice(docs[0]!.metadata.start, docs[0]!.metadata.end)).toBe(docs[0]!.pageContent);
  });

  it("re-indexes in the build worker, which loads the same model from the embedder's recipe", async () => {
    const service = await QaService.open({ config, logger: silentLogger, embedder });
    expect(workerEmbedder(embedder)).toMatchObject({ model: embedder.modelId, dtype: embedder.dtype });
    const changed = testArticle({ ...SMALL_CORPUS[2]!, body: `${SMALL_CORPUS[2]!.body}\nĐội tuyển được thưởng nóng sau trận đấu.` });
    await fs.writeFile(path.join(config.corpusDir, `${changed.id}.md`), articleToMarkdown(changed));
    const result = await service.reindex()!;
    expect(result).toMatchObject({ updated: 1, written: true });
    // Only the changed article went through the worker's model; the rest were reused from disk.
    expect(result.embedded).toBe(result.index!.chunkPositionsOf(changed.id).length);
    expect(service.index.hasVectors).toBe(true);
    const { retrieval } = await service.askWithEvidence("Giá lúa ở An Giang là bao nhiêu?");
    expect(retrieval.hits.some((h) => h.dense !== null)).toBe(true);
  });
});
