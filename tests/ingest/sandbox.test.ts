import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseFileText } from "../../src/ingest/parse-job";
import { ParseSandbox } from "../../src/ingest/sandbox";
import { slowPage } from "../helpers/hostile-input";
import { withLoopLag } from "../helpers/reader-wait";
import { FIXTURES } from "./paths";

describe("ParseSandbox", () => {
  const sandbox = new ParseSandbox({ timeoutSeconds: 1, memoryMb: 256 });
  afterAll(() => sandbox.close());
  const file = (name: string) => ({ path: `corpus/${name}`, source: name, stem: name.replace(/\..*$/, "") });

  it("parses in the worker exactly as in process", async () => {
    for (const name of ["md/cho-phien.md", "jsonl/tin-ngan.jsonl", "html/bao-lu.html"]) {
      const text = readFileSync(join(FIXTURES, name), "utf8");
      const inWorker = await sandbox.parseFile(file(name), text);
      const inProcess = parseFileText(file(name), text);
      expect(inWorker.articles).toEqual(inProcess.articles);
      expect(inWorker.failures.map((f) => f.message)).toEqual(inProcess.failures.map((f) => f.message));
    }
  }, 30_000);

  it("ends a job over its time budget, refuses the file with the reason, keeps this thread answering, and serves the next job", async () => {
    const started = performance.now();
    // In process this page takes far longer than the budget (Readability is cubic in depth).
    const { result, lagMs } = await withLoopLag(() => sandbox.parseFile(file("slow.html"), slowPage(200)));
    expect(result.articles).toEqual([]);
    expect(result.failures.map((f) => f.message)).toEqual([
      "corpus/slow.html: parsing took longer than 1 s, the limit for a file of this size: refused (split or simplify the file)",
    ]);
    expect(performance.now() - started).toBeLessThan(15_000); // 1 s budget, plus a worker start on a busy machine
    expect(lagMs).toBeLessThan(500);
    const next = await sandbox.parseFile(file("ok.md"), "# Tiêu đề\n\nMột câu văn.\n");
    expect(next.articles.map((a) => a.title)).toEqual(["Tiêu đề"]);
  }, 60_000);

  it("refuses a page that holds no article with the parser's reason", async () => {
    await expect(sandbox.parsePage("<html><body></body></html>", "added/x.md")).rejects.toThrow(/added\/x\.md: /);
  }, 30_000);

  it("ends a job over its memory budget and refuses the file", async () => {
    const small = new ParseSandbox({ timeoutSeconds: 60, memoryMb: 64 });
    try {
      const page = `<html><head><title>Lớn</title></head><body>${"<p>Một câu văn trong trang báo.</p>".repeat(150_000)}</body></html>`;
      const result = await small.parseFile(file("big.html"), page);
      expect(result.failures.map((f) => f.reason)).toEqual([
        "parsing needed more than 64 MB of memory: refused (split or simplify the file)",
      ]);
    } finally {
      await small.close();
    }
  }, 90_000);
});
