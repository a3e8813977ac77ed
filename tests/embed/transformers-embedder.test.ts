import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TransformersEmbedder, type TransformersEmbedderOptions } from "../../src/embed";
import { embeddingTable, offlineOptions, tinyVocabulary, writeTinyModel } from "../helpers/tiny-model";

const DIMENSIONS = 24;

let tmp: string;
let e5: TransformersEmbedder;

function options(model: string, overrides: Partial<TransformersEmbedderOptions> = {}): TransformersEmbedderOptions {
  return offlineOptions(model, tmp, overrides);
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return max;
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "embed-test-"));
  // Named like the real model so that the e5 profile (with prefixes) applies.
  const folder = await writeTinyModel(tmp, { name: "multilingual-e5-small", dimensions: DIMENSIONS });
  e5 = await TransformersEmbedder.load(options(folder));
});

afterAll(async () => {
  await e5?.dispose();
  await rm(tmp, { recursive: true, force: true });
});

describe("TransformersEmbedder on a tiny local model", () => {
  it("measures the dimension and returns unit vectors of that length", async () => {
    expect(e5.dimensions).toBe(DIMENSIONS);
    expect(e5.queryPrefix).toBe("query: ");
    expect(e5.passagePrefix).toBe("passage: ");
    expect(e5.dtype).toBe("q8");
    const [a, b] = await e5.embedPassages(["Giá lúa gạo tăng.", "Bão số 3 đổ bộ vào miền bắc."]);
    for (const vector of [a!, b!, await e5.embedQuery("giá gạo")]) {
      expect(vector).toBeInstanceOf(Float32Array);
      expect(vector).toHaveLength(DIMENSIONS);
      expect(Math.sqrt(dot(vector, vector))).toBeCloseTo(1, 5);
    }
  });

  it("applies the query and passage prefixes: the same text embeds differently on each side", async () => {
    const text = "giá lúa gạo";
    const [passage] = await e5.embedPassages([text]);
    const query = await e5.embedQuery(text);
    expect(dot(passage!, query)).toBeLessThan(0.99);
  });

  it("prepends exactly the profile's prefixes", async () => {
    // Same vocabulary, seed and size, but a name without a profile: no prefixes of its own.
    const folder = await writeTinyModel(tmp, { name: "tiny-bert", dimensions: DIMENSIONS });
    const plain = await TransformersEmbedder.load(options(folder));
    try {
      expect(plain.profile.passagePrefix).toBe("");
      const text = "Bão số 3 gây mưa lớn";
      const [passage] = await e5.embedPassages([text]);
      const [expectedPassage, expectedQuery] = await plain.embedPassages([`passage: ${text}`, `query: ${text}`]);
      expect(maxAbsDiff(passage!, expectedPassage!)).toBeLessThan(1e-6);
      expect(maxAbsDiff(await e5.embedQuery(text), expectedQuery!)).toBeLessThan(1e-6);
    } finally {
      await plain.dispose();
    }
  });

  it("scores related texts above unrelated ones", async () => {
    const query = await e5.embedQuery("giá lúa gạo xuất khẩu tăng");
    const [related, unrelated] = await e5.embedPassages([
      "Giá lúa gạo xuất khẩu tăng mạnh trong tháng này.",
      "Đội tuyển bóng đá Việt Nam thắng trận đấu tối qua.",
    ]);
    expect(dot(query, related!)).toBeGreaterThan(dot(query, unrelated!) + 0.2);
  });

  it("embeds NFD input like its NFC form", async () => {
    const text = "Thời tiết Hà Nội hôm nay nắng nóng";
    const [composed, decomposed] = await e5.embedPassages([text.normalize("NFC"), text.normalize("NFD")]);
    expect(maxAbsDiff(composed!, decomposed!)).toBeLessThan(1e-6);
  });

  it("returns batched results in input order, equal to one-by-one embedding", async () => {
    const words = "người dân thành phố hồ chí minh đi làm bằng xe máy mỗi ngày trên đường".split(" ");
    const texts = Array.from({ length: 23 }, (_, i) => {
      // Lengths from one word to a few thousand characters, shuffled against their index.
      const count = [1, 300, 4, 17, 2, 120, 9][i % 7]! + i;
      return Array.from({ length: count }, (_, k) => words[(i + k) % words.length]).join(" ");
    });
    const progress: Array<[number, number]> = [];
    const batched = await e5.embedPassages(texts, (done, total) => progress.push([done, total]));

    expect(batched).toHaveLength(texts.length);
    for (const [i, text] of texts.entries()) {
      const [alone] = await e5.embedPassages([text]);
      expect(maxAbsDiff(batched[i]!, alone!), `text #${i}`).toBeLessThan(1e-5);
    }
    // Several batches, monotonic, ending at the total.
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.map(([done]) => done)).toEqual([...progress.map(([done]) => done)].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual([texts.length, texts.length]);
  });

  it("counts the tokens it computed, padding included, and the batches", async () => {
    const before = e5.counters;
    await e5.embedPassages(["giá gạo", "giá lúa gạo xuất khẩu tăng mạnh trong tháng này"]);
    const after = e5.counters;
    const ids = await e5.tokenizeAll(["giá gạo", "giá lúa gạo xuất khẩu tăng mạnh trong tháng này"], e5.passagePrefix);
    expect(after.texts - before.texts).toBe(2);
    expect(after.batches - before.batches).toBe(1);
    expect(after.tokens - before.tokens).toBe(ids[0]!.length + ids[1]!.length);
    // One batch: both rows padded to the longer one.
    expect(after.paddedTokens - before.paddedTokens).toBe(2 * Math.max(ids[0]!.length, ids[1]!.length));
    expect(ids[0]!.length).toBeLessThan(ids[1]!.length);
  });

  it("returns an empty list for no passages", async () => {
    expect(await e5.embedPassages([])).toEqual([]);
  });
});

describe("TransformersEmbedder truncation and lifecycle", () => {
  it("truncates to the profile's token window even when the tokenizer allows more", async () => {
    // paraphrase-multilingual-MiniLM-L12-v2 has a 128-token profile; the tiny tokenizer says 512.
    const folder = await writeTinyModel(tmp, { name: "paraphrase-multilingual-MiniLM-L12-v2", dimensions: 8 });
    const embedder = await TransformersEmbedder.load(options(folder, { dtype: "fp32" }));
    try {
      expect(embedder.profile.maxTokens).toBe(128);
      const long = Array.from({ length: 200 }, () => "gạo").join(" ");
      const short = Array.from({ length: 20 }, () => "gạo").join(" ");
      const [cut, cutPlus, whole, wholePlus] = await embedder.embedPassages([
        long,
        `${long} bóng đá thắng`,
        short,
        `${short} bóng đá thắng`,
      ]);
      // Words past token 128 are dropped; words before it still count.
      expect(maxAbsDiff(cut!, cutPlus!)).toBeLessThan(1e-6);
      expect(maxAbsDiff(whole!, wholePlus!)).toBeGreaterThan(1e-2);
    } finally {
      await embedder.dispose();
    }
  });

  it("refuses to embed after dispose", async () => {
    const folder = await writeTinyModel(tmp, { name: "disposable", dimensions: 8 });
    const embedder = await TransformersEmbedder.load(options(folder));
    await embedder.dispose();
    await expect(embedder.embedQuery("xin chào")).rejects.toThrow(/disposed/);
  });
});

describe("TransformersEmbedder sentence vectors (late chunking)", () => {
  const passage = {
    text: "Giá cà phê\nGiá cà phê xuất khẩu tăng mạnh. Nông dân thu hoạch vụ mùa.",
    sentences: [
      { start: 11, end: 42 },
      { start: 43, end: 70 },
    ],
  };

  it("gives the passage the vector embedPassages gives it, and each sentence the mean of its tokens' hidden states there", async () => {
    expect(passage.text.slice(43, 70)).toBe("Nông dân thu hoạch vụ mùa.");
    const [out] = await e5.embedPassagesWithSentences([passage]);
    const [alone] = await e5.embedPassages([passage.text]);
    expect(Array.from(out!.vector)).toEqual(Array.from(alone!));
    // Independently: the tiny model's hidden state of a token is its row of the embedding table,
    // whatever its context; a sentence's vector is the normalised sum of its tokens' rows.
    const vocab = tinyVocabulary();
    const table = embeddingTable(vocab.length, DIMENSIONS);
    const [bare] = await e5.tokenizeAll([""], "");
    for (const [k, span] of passage.sentences.entries()) {
      const [withSpecial] = await e5.tokenizeAll([passage.text.slice(span.start, span.end)], "");
      const ids = withSpecial!.slice(1, withSpecial!.length - (bare!.length - 1));
      expect(ids.length).toBeGreaterThan(2);
      const sum = new Float64Array(DIMENSIONS);
      for (const id of ids) for (let d = 0; d < DIMENSIONS; d++) sum[d]! += table[id * DIMENSIONS + d]!;
      const norm = Math.hypot(...sum);
      const expected = Float32Array.from(sum, (x) => x / norm);
      expect(maxAbsDiff(out!.sentences[k]!, expected)).toBeLessThan(1e-5);
    }
  });

  it("places every sentence of news-like passages (the pieces add up to the passage's ids)", async () => {
    const texts = ["Bão số 3\nBão số 3 gây mưa lớn ở miền Trung.\nNhiều tuyến đường bị ngập, giao thông bị chia cắt.", "Tin tức\n“Giá tăng 30%,” ông nói. Dân số: 96 triệu người."];
    const passages = texts.map((text) => {
      const body = text.slice(text.indexOf("\n") + 1);
      const at = text.indexOf("\n") + 1;
      const cut = body.search(/(?<=[.!?”])\s/);
      return { text, sentences: [{ start: at, end: at + cut }, { start: at + cut + 1, end: text.length }] };
    });
    const placed = await e5.placeSentences(passages);
    expect(placed.every((r) => r !== null && r.every((x) => x !== null))).toBe(true);
  });
});
