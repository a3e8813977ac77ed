import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ingest, type CorpusChanges } from "../../src/app";
import { loadConfig, type Config } from "../../src/config";
import { ParseSandbox } from "../../src/ingest";
import { silentLogger } from "../../src/logger";
import { loadIndex, readManifest, type CorpusIndex } from "../../src/store";

/**
 * `ingest({ changes })`, what an admin action runs: only the changed files are read, and the
 * version it writes must be the one a full read of the folder would write.
 */
let root: string;
let corpusDir: string;
let config: Config;
/** One parse sandbox per test: its worker's start is paid once. */
let parser: ParseSandbox;

const article = (id: string, title: string, text: string) => JSON.stringify({ id, title, text });
const SEED: Record<string, string> = {
  "a/lua-gao.json": article("lua-gao", "Giá lúa gạo tăng", "Giá lúa tại An Giang tăng thêm 500 đồng mỗi ký. Thương lái thu mua lúa tươi."),
  "a/sat-lo.json": article("sat-lo", "Sạt lở ở Lạng Sơn", "Mưa lớn gây sạt lở đất tại huyện Chi Lăng. Chính quyền di dời 40 hộ dân."),
  "b/cau-vang.json": article("cau-vang", "Cầu Vàng đón khách", "Cầu Vàng ở Bà Nà đón hơn mười nghìn lượt khách. Khách quốc tế tăng gấp đôi."),
  "b/bong-da.json": article("bong-da", "Bóng đá nữ giành vàng", "Đội tuyển bóng đá nữ giành huy chương vàng. Huấn luyện viên khen các cầu thủ."),
};
// Enough others that one or two changed articles are a new segment, not a merge (`MERGE_POLICY.share`).
const FILLER = ["Xuất khẩu gạo có thể đạt tám triệu tấn.", "Cá heo xuất hiện gần bờ biển Nha Trang.", "Giá phân bón giảm nhẹ.", "Lạng Sơn có mưa to."];
for (let i = 0; i < 26; i++) {
  const id = `tin-${String(i).padStart(2, "0")}`;
  SEED[`${i % 2 ? "a" : "b"}/${id}.json`] = article(id, `Tin số ${i}`, `${FILLER[i % 4]} ${FILLER[(i * 3 + 1) % 4]} Bản tin số ${i}.`);
}
const FILES = Object.keys(SEED).length;
const ADDED = article("xe-buyt", "Xe buýt điện số 99", "Hà Nội khai trương tuyến xe buýt điện số 99. Giá vé 7.000 đồng một lượt.");
const QUESTIONS = ["giá lúa", "sạt lở", "xe buýt điện", "huy chương vàng", "khách quốc tế", "đồng"];

beforeEach(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), "ingest-changes-"));
  corpusDir = path.join(root, "corpus");
  for (const [name, text] of Object.entries(SEED)) {
    await fs.mkdir(path.dirname(path.join(corpusDir, name)), { recursive: true });
    await fs.writeFile(path.join(corpusDir, name), text);
  }
  config = loadConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: path.join(root, "embeddings"), DENSE_RETRIEVAL: "off" });
  parser = new ParseSandbox(config.parse);
  await run();
});
afterEach(async () => {
  await parser.close();
  await fs.rm(root, { recursive: true, force: true });
});

/** An ingest into `indexDir` (default: the configured one), parsing through a sandbox whose calls are counted. */
async function run(options: { changes?: CorpusChanges; indexDir?: string; rebuild?: boolean } = {}) {
  const parseFile = vi.spyOn(parser, "parseFile");
  try {
    const result = await ingest({ config, logger: silentLogger, embedder: null, denseOffReason: "test", parser, ...options });
    return { result, parsed: parseFile.mock.calls.map(([file]) => file.source) };
  } finally {
    parseFile.mockRestore();
  }
}

/** Same articles, passages and search results (ids and scores) as `reference`. */
function expectSameIndex(index: CorpusIndex, reference: CorpusIndex): void {
  const byId = (list: CorpusIndex["articles"]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
  expect(byId(index.articles)).toEqual(byId(reference.articles));
  expect(index.chunkCount).toBe(reference.chunkCount);
  for (const question of QUESTIONS) {
    const queries = [{ terms: question.split(" "), folded: false, boost: 1 }];
    const hits = (i: CorpusIndex) => new Map(i.searchLexical(queries).map((h) => [i.chunk(h.id).id, h.score]));
    const [actual, expected] = [hits(index), hits(reference)];
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [id, score] of expected) expect(actual.get(id)).toBeCloseTo(score, 4);
  }
}

/** A fresh full build of the folder as it is now, in a folder of its own. */
async function fullBuild(): Promise<CorpusIndex> {
  const dir = path.join(root, `reference-${Date.now()}`);
  await run({ indexDir: dir, rebuild: true });
  return loadIndex(dir, { model: null });
}

describe("ingest with the changed files named (an admin's /add, upload, /delete)", () => {
  it("reads only the added file, and writes the index a full rebuild of the folder writes", async () => {
    const file = path.join(corpusDir, "added", "xe-buyt.json");
    await fs.mkdir(path.dirname(file));
    await fs.writeFile(file, ADDED);
    const { result, parsed } = await run({ changes: { files: [file], removed: [] } });
    expect(parsed).toEqual(["added/xe-buyt.json"]);
    expect(result).toMatchObject({ files: 1, added: 1, updated: 0, removed: 0, unchanged: FILES, articles: FILES + 1, written: true });
    expect((await readManifest(config.indexDir))!.segments).toHaveLength(2);
    const index = await loadIndex(config.indexDir, { model: null });
    expect(index.article("xe-buyt")?.source).toBe("added/xe-buyt.json");
    expectSameIndex(index, await fullBuild());
  });

  it("a changed file replaces its article, and a removed id drops one, without reading the rest", async () => {
    const changed = path.join(corpusDir, "a/lua-gao.json");
    await fs.writeFile(changed, article("lua-gao", "Giá lúa gạo giảm", "Giá lúa tại An Giang giảm 300 đồng mỗi ký."));
    await fs.rm(path.join(corpusDir, "b/bong-da.json"));
    const { result, parsed } = await run({ changes: { files: [changed], removed: ["bong-da"] } });
    expect(parsed).toEqual(["a/lua-gao.json"]);
    expect(result).toMatchObject({ added: 0, updated: 1, removed: 1, unchanged: FILES - 2, articles: FILES - 1 });
    expectSameIndex(await loadIndex(config.indexDir, { model: null }), await fullBuild());
  });

  it("a file removed from the folder by hand during an /add stays until the next full re-index, which drops it", async () => {
    await fs.rm(path.join(corpusDir, "a/sat-lo.json"));
    const file = path.join(corpusDir, "added", "xe-buyt.json");
    await fs.mkdir(path.dirname(file));
    await fs.writeFile(file, ADDED);
    await run({ changes: { files: [file], removed: [] } });
    // Not read, so not known: the manifest still lists it, which is what the next full read compares with.
    const afterAdd = await loadIndex(config.indexDir, { model: null });
    expect(afterAdd.article("sat-lo")).toBeDefined();
    expect(afterAdd.article("xe-buyt")).toBeDefined();

    const { result, parsed } = await run();
    expect(parsed).toHaveLength(FILES);
    expect(result).toMatchObject({ added: 0, updated: 0, removed: 1, unchanged: FILES, articles: FILES, written: true });
    const index = await loadIndex(config.indexDir, { model: null });
    expect(index.article("sat-lo")).toBeUndefined();
    expectSameIndex(index, await fullBuild());
  });

  it("reads every file when a changed file does not load, or is one the folder walk skips", async () => {
    const broken = path.join(corpusDir, "a/lua-gao.json");
    await fs.writeFile(broken, "{ not json");
    const first = await run({ changes: { files: [broken], removed: [] } });
    // As a full read: the file's old article is gone, its failure is reported.
    expect(first.parsed).toEqual(["a/lua-gao.json", ...Object.keys(SEED).sort()]);
    expect(first.result).toMatchObject({ removed: 1, articles: FILES - 1 });
    expect(first.result.failures.map((f) => path.basename(f.path))).toEqual(["lua-gao.json"]);

    const hidden = path.join(corpusDir, ".drafts", "nhap.json");
    await fs.mkdir(path.dirname(hidden));
    await fs.writeFile(hidden, article("nhap", "Bản nháp", "Một bản nháp chưa đăng."));
    const second = await run({ changes: { files: [hidden], removed: [] } });
    expect(second.parsed).toHaveLength(FILES);
    expect((await loadIndex(config.indexDir, { model: null })).article("nhap")).toBeUndefined();
  });

  it("reads every file when the change is due a merge, and writes one segment", async () => {
    const file = path.join(corpusDir, "added", "many.jsonl");
    await fs.mkdir(path.dirname(file));
    const lines = Array.from({ length: 10 }, (_, i) => article(`moi-${i}`, `Tin mới ${i}`, `Hà Nội khai trương tuyến xe buýt số ${i}. Giá vé ${i}.000 đồng.`));
    await fs.writeFile(file, `${lines.join("\n")}\n`);
    // Ten new articles on thirty: over the default merge share (0.15 of the live passages).
    const { result, parsed } = await run({ changes: { files: [file], removed: [] } });
    expect(parsed).toEqual(["added/many.jsonl", ...[...Object.keys(SEED), "added/many.jsonl"].sort()]);
    expect(result).toMatchObject({ added: 10, unchanged: FILES, articles: FILES + 10 });
    expect((await readManifest(config.indexDir))!.segments).toHaveLength(1);
    expectSameIndex(await loadIndex(config.indexDir, { model: null }), await fullBuild());
  });
});

describe("ingest of an archive larger than one segment", () => {
  it("reads it twice, a file at a time, reports each failure once, and writes it as several segments merged into one", async () => {
    await fs.writeFile(path.join(corpusDir, "b/zz-broken.json"), "{ not json");
    const whole = path.join(root, "whole");
    await run({ indexDir: whole, rebuild: true });
    config = { ...config, segmentArticles: 8 };
    const { result, parsed } = await run({ rebuild: true });
    const files = [...Object.keys(SEED), "b/zz-broken.json"].sort();
    // Once for the ids and hashes, once for the segments; never all articles at once.
    expect(parsed).toEqual([...files, ...files]);
    expect(result).toMatchObject({ files: FILES + 1, articles: FILES, written: true });
    expect(result.failures.map((f) => path.basename(f.path))).toEqual(["zz-broken.json"]);
    const manifest = (await readManifest(config.indexDir))!;
    expect(manifest.segments.map((s) => s.articles)).toEqual([FILES]);
    expect(Object.keys(manifest.articles)).toHaveLength(FILES);
    expectSameIndex(await loadIndex(config.indexDir, { model: null }), await loadIndex(whole, { model: null }));
  });
});
