import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingest, type IngestResult } from "../../src/app";
import { loadConfig } from "../../src/config";
import { silentLogger } from "../../src/logger";
import { loadIndex } from "../../src/store";

/**
 * One bad file never costs the build: the hostile and broken files of issue 12, next to a good
 * one, in one corpus folder. Each is refused with its path; the good article is indexed.
 */
describe("ingest over hostile and broken files", () => {
  let root: string;
  let result: IngestResult;
  const marker = () => path.join(root, "front-matter-ran");
  const syllables = ["hà", "nội", "sáng", "nay", "mưa", "lớn", "đường", "ngập"];

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), "ingest-hostile-"));
    const corpus = path.join(root, "corpus");
    await fs.mkdir(corpus);
    const write = (name: string, data: string | Uint8Array) => fs.writeFile(path.join(corpus, name), data);
    await write("good.json", JSON.stringify({ id: "good", title: "Mưa lớn ở Lạng Sơn", text: "Mưa lớn kéo dài gây ngập nhiều tuyến đường ở Lạng Sơn." }));
    let title = "";
    for (let i = 0; title.length < 4_000_000; i++) title += `${syllables[i % syllables.length]}${i % 3 === 0 ? i : ""} `;
    await write("big-title.json", JSON.stringify({ id: "big", title, text: "Một câu văn bình thường." }));
    await write("code.md", `---js\n(require("fs").writeFileSync(${JSON.stringify(marker())}, "ran"), { title: "T" })\n---\nMột câu.\n`);
    await write("noise.txt", randomBytes(8192));
    await write("utf16.txt", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("Tin UTF-16\nHà Nội sáng nay mưa lớn.\n", "utf16le")]));
    const config = loadConfig({ CORPUS_DIR: corpus, INDEX_DIR: path.join(root, "embeddings"), DENSE_RETRIEVAL: "off" });
    result = await ingest({ config, logger: silentLogger, embedder: null, denseOffReason: "test" });
  }, 120_000);
  afterAll(() => fs.rm(root, { recursive: true, force: true }));

  it("indexes the good files, a UTF-16 file with its byte order mark among them", async () => {
    const index = await loadIndex(path.join(root, "embeddings"), { model: null });
    expect(index.articles.map((a) => a.id).sort()).toEqual(["good", "utf16"]);
    expect(index.article("utf16")?.body).toBe("Hà Nội sáng nay mưa lớn.");
  });

  it("refuses each bad file once, naming it and saying why", () => {
    const reasons = Object.fromEntries(result.failures.map((f) => [path.basename(f.path), f.reason]));
    expect(Object.keys(reasons).sort()).toEqual(["big-title.json", "code.md", "noise.txt"]);
    expect(reasons["big-title.json"]).toMatch(/the title is [\d,]+ characters long; the limit is 1,000/);
    expect(reasons["code.md"]).toMatch(/only YAML front matter/);
    expect(reasons["noise.txt"]).toMatch(/not UTF-8 text|control or replacement characters|NUL/);
  });

  it("runs no front-matter code", async () => {
    await expect(fs.access(marker())).rejects.toThrow();
  });
});
