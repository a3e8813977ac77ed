import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Embeddings } from "@langchain/core/embeddings";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TransformersEmbedder, TransformersEmbeddings } from "../../src/embed";
import { offlineOptions, writeTinyModel } from "../helpers/tiny-model";

let tmp: string;
let embedder: TransformersEmbedder;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "embed-langchain-"));
  const folder = await writeTinyModel(tmp, { name: "multilingual-e5-small", dimensions: 12 });
  embedder = await TransformersEmbedder.load(offlineOptions(folder, tmp, { batchSize: 2 }));
});

afterAll(async () => {
  await embedder?.dispose();
  await rm(tmp, { recursive: true, force: true });
});

describe("TransformersEmbeddings", () => {
  it("is a LangChain Embeddings returning plain number arrays of the model's dimension", async () => {
    const embeddings = new TransformersEmbeddings(embedder);
    expect(embeddings).toBeInstanceOf(Embeddings);

    const documents = await embeddings.embedDocuments(["Giá gạo tăng.", "Bão đổ bộ.", "Trận đấu tối qua."]);
    expect(documents).toHaveLength(3);
    for (const vector of documents) {
      expect(Array.isArray(vector)).toBe(true);
      expect(vector).toHaveLength(12);
      expect(typeof vector[0]).toBe("number");
    }

    const query = await embeddings.embedQuery("giá gạo");
    expect(Array.isArray(query)).toBe(true);
    expect(query).toHaveLength(12);
  });

  it("uses the passage prefix for documents and the query prefix for queries", async () => {
    const embeddings = new TransformersEmbeddings(embedder);
    const [document] = await embeddings.embedDocuments(["giá gạo"]);
    expect(document).toEqual(Array.from((await embedder.embedPassages(["giá gạo"]))[0]!));
    expect(await embeddings.embedQuery("giá gạo")).toEqual(Array.from(await embedder.embedQuery("giá gạo")));
    expect(document).not.toEqual(await embeddings.embedQuery("giá gạo"));
  });
});
