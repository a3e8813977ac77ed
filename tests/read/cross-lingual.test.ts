/**
 * An English question over Vietnamese articles, with a model loaded: the sentences of the best
 * passages are embedded at question time and the reader chooses by their similarity. The tiny
 * generated model (tests/helpers/tiny-model.ts) stands in for e5: its "similarity" is shared tokens.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Embedder } from "../../src/domain/types";
import { QaService } from "../../src/app";
import { loadConfig } from "../../src/config";
import { TransformersEmbedder } from "../../src/embed";
import { silentLogger } from "../../src/logger";
import { DEFAULT_READER, expectationOf, read, sentenceCosines, type ReaderSettings } from "../../src/read";
import { Retriever } from "../../src/retrieve";
import type { CorpusIndex } from "../../src/store";
import { testArticle } from "../helpers/articles";
import { buildTestIndex } from "../helpers/small-index";
import { offlineOptions, writeTinyModel } from "../helpers/tiny-model";

/** Vietnamese news that, as real news does, writes a few English terms in brackets. */
const ARTICLES = [
  testArticle({
    id: "ca-phe",
    title: "Xuất khẩu cà phê năm nay",
    publishedAt: "2023-12-20",
    body:
      "Năm nay thời tiết ở Tây Nguyên thuận lợi cho nông dân.\n" +
      "Giá cà phê xuất khẩu (coffee export prices) tăng mạnh, thị trường quốc tế cần nhiều hàng.\n" +
      "Các doanh nghiệp cho biết sẽ đầu tư thêm nhà máy chế biến.",
  }),
  testArticle({
    id: "bao",
    title: "Bão số 3 đổ bộ miền Trung",
    publishedAt: "2023-09-10",
    body: "Bão số 3 gây mưa lớn ở miền Trung.\nNhiều tuyến đường bị ngập, giao thông bị chia cắt.",
  }),
];

let tmp: string;
let embedder: TransformersEmbedder;
let index: CorpusIndex;
let indexDir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "cross-lingual-"));
  const model = await writeTinyModel(path.join(tmp, "models"), { name: "tiny-bert", dimensions: 64 });
  embedder = await TransformersEmbedder.load(offlineOptions(model, tmp));
  ({ index, dir: indexDir, cleanup } = await buildTestIndex(ARTICLES, embedder));
});
afterAll(async () => {
  await cleanup?.();
  await embedder?.dispose();
  await fs.rm(tmp, { recursive: true, force: true });
});

/** Counts the embedder's calls: a Vietnamese question must cost no more than before. */
function counting(inner: Embedder): Embedder & { passages: number } {
  const counter = Object.create(inner) as Embedder & { passages: number };
  counter.passages = 0;
  counter.embedPassages = (texts, onProgress) => {
    counter.passages += texts.length;
    return inner.embedPassages(texts, onProgress);
  };
  return counter;
}

async function readEnglish(question: string, settings: ReaderSettings = DEFAULT_READER) {
  const retrieval = await new Retriever(index, embedder).retrieve(question);
  expect(retrieval.query.language).toBe("en");
  const cosines = await sentenceCosines({ hits: retrieval.hits, queryVector: retrieval.queryVector! }, index, embedder);
  return { retrieval, cosines, reading: read({ ...retrieval, cosines }, index, settings) };
}

describe("an English question over Vietnamese articles (model on)", () => {
  it("embeds the sentences of the best passages once each and reads only those", async () => {
    const { cosines, reading } = await readEnglish("What happened to coffee export prices this year?");
    const embedded = [...cosines.values()].reduce((n, m) => n + m.size, 0);
    expect(embedded).toBeGreaterThan(0);
    expect(reading.windows.length).toBeGreaterThan(0);
    for (const w of reading.windows) expect(cosines.get(w.article.id)?.has(w.parts[0]!.start)).toBe(true);
  });

  it("picks the window the model puts closest to the question", async () => {
    const { cosines, reading } = await readEnglish("What happened to coffee export prices this year?");
    const [articleId, closest] = [...cosines].flatMap(([id, m]) => [...m].map(([start, c]) => [id, start, c] as const)).sort((a, b) => b[2] - a[2])[0]!;
    const best = reading.windows[0]!;
    expect(best.article.id).toBe(articleId);
    expect(best.start).toBe(closest);
    expect(best.article.body.slice(best.start, best.end)).toContain("coffee export prices");
    expect(best.score).toBe(1);
  });

  it("answers when the closest sentence is close enough and stands out from the others, and not otherwise", async () => {
    const question = "What happened to coffee export prices this year?";
    const { cosines } = await readEnglish(question);
    const [closest, next] = [...cosines.values()].flatMap((m) => [...m.values()]).sort((a, b) => b - a) as [number, number];
    const closeness = closest + (closest - next);
    expect((await readEnglish(question, { ...DEFAULT_READER, minCloseness: closeness - 0.01 })).reading.answerable).toBe(true);
    expect((await readEnglish(question, { ...DEFAULT_READER, minCloseness: closeness + 0.01 })).reading.answerable).toBe(false);
  });

  it("does not answer a how-many question with a close sentence that holds no number", async () => {
    const question = "How many coffee export prices rose this year?";
    const settings = { ...DEFAULT_READER, minCloseness: -1 };
    expect((await readEnglish(question, settings)).reading.answerable).toBe(false);
  });

  it("answers a how-to question only where a sentence writes its action, as a Vietnamese one", async () => {
    const settings = { ...DEFAULT_READER, minCloseness: -1 };
    // The article tells of coffee export prices, not of how to export coffee: "export" is not written
    // as an action there, and no Vietnamese sentence could write the English one.
    expect((await readEnglish("How do I raise coffee export prices this year?", settings)).reading.answerable).toBe(false);
    expect((await readEnglish("How can I raise coffee export prices this year?", settings)).reading.answerable).toBe(false);
    // The same words asked as a question of fact are answered.
    expect((await readEnglish("What happened to coffee export prices this year?", settings)).reading.answerable).toBe(true);
    // A how-to whose action the article writes: "export".
    expect((await readEnglish("How do I export coffee at export prices this year?", settings)).reading.answerable).toBe(true);
  });

  it("does not answer an off-topic English question", async () => {
    const { reading } = await readEnglish("Who is the president of the football team in the city?");
    expect(reading.answerable).toBe(false);
  });

  it("reads the type an English question asks with its first words", () => {
    expect(expectationOf("How old was Manning when he played the final?", { firstCue: true, english: true })?.type).toBe("number");
    expect(expectationOf("Who was the leader when the Franks came?", { firstCue: true, english: true })?.type).toBe("person");
    // A Vietnamese question keeps the order of the cue types.
    expect(expectationOf("Vì sao giá tăng bao nhiêu?")?.type).toBe("reason");
  });
});

describe("the Vietnamese path with the model on", () => {
  it("embeds no sentence for a Vietnamese question, and reads as before; an English one costs one batch", async () => {
    const spy = counting(embedder);
    const config = loadConfig({ CORPUS_DIR: tmp, INDEX_DIR: indexDir });
    const service = await QaService.open({ config, logger: silentLogger, embedder: spy });
    const { reading, retrieval } = await service.askWithEvidence("Giá cà phê xuất khẩu tăng thế nào?");
    expect(spy.passages).toBe(0);
    expect(reading).toEqual(read(retrieval, service.index));
    await service.askWithEvidence("What happened to coffee export prices this year?");
    expect(spy.passages).toBeGreaterThan(0);
  });
});
