import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { QaService } from "../../src/app";
import type { Answer } from "../../src/domain/types";
import { currentVersion, loadIndex } from "../../src/store";
import { FARE_QUESTION, fare, openService, SEED, type Workspace, workspace } from "./helpers";

const QUESTION = FARE_QUESTION;

let ws: Workspace;
let service: QaService;

beforeEach(async () => {
  ws = await workspace({ ...SEED, "md/gia-ve.md": fare("15.000", "10") });
  service = await openService(ws);
});
afterEach(() => ws.cleanup());

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The versions of the article every quote of the answer is verbatim from (by offsets and text). */
function versionsOf(answer: Answer, bodies: Record<string, string>): string[] {
  const parts = answer.parts.filter((p) => p.articleId === "gia-ve");
  return Object.entries(bodies)
    .filter(([, body]) => parts.length > 0 && parts.every((p) => body.slice(p.quote.start, p.quote.end) === p.quote.text))
    .map(([name]) => name);
}

describe("re-index while questions keep arriving", () => {
  it("every answer is complete and from one version; after the swap only the new one", async () => {
    const v1 = service.index.article("gia-ve")!.body;
    await fs.writeFile(path.join(ws.corpusDir, "md/gia-ve.md"), fare("20.000", "6"));

    let swapped = false;
    const during: Answer[] = [];
    const after: Answer[] = [];
    // Slow the save down (each file waits a little) so that many questions land during it.
    const reindex = service.reindex({ onSaveStep: () => sleep(3) })!;
    const finished = reindex.then((result) => {
      swapped = true;
      return result;
    });
    // Questions arrive as I/O events do: each after a turn of the event loop (a loop of bare
    // awaits would never let the re-index's own timers and file writes run).
    const asker = async () => {
      while (!swapped) {
        during.push(await service.ask(QUESTION));
        await new Promise((resolve) => setImmediate(resolve));
      }
      for (let i = 0; i < 5; i++) after.push(await service.ask(QUESTION));
    };
    await Promise.all([asker(), asker(), asker(), asker(), finished]);

    expect(await finished).toMatchObject({ updated: 1, written: true });
    const v2 = service.index.article("gia-ve")!.body;
    expect(v2).not.toBe(v1);
    const bodies = { v1, v2 };
    expect(during.length).toBeGreaterThan(4);
    for (const answer of [...during, ...after]) {
      expect(answer.notFound).toBe(false);
      expect(answer.citations[0]?.articleId).toBe("gia-ve");
      // Verbatim in exactly one version: never a quote from each.
      expect(versionsOf(answer, bodies)).toHaveLength(1);
      expect(answer.text.includes("15.000") && answer.text.includes("20.000")).toBe(false);
    }
    expect(during.some((answer) => versionsOf(answer, bodies)[0] === "v1")).toBe(true);
    for (const answer of after) {
      expect(versionsOf(answer, bodies)).toEqual(["v2"]);
      expect(answer.text).toContain("20.000");
    }
  });
});

describe("a crash in the middle of a re-index", () => {
  const steps = ["articles.jsonl", "catalog.json", "chunks.bin", "lexical.bin", "articles-lexical.bin", "vocabulary.bin", "manifest.json"];

  it.each(steps)("while writing %s: the previous index still serves and still loads from disk", async (step) => {
    const before = service.index;
    const versionBefore = await currentVersion(ws.indexDir);
    await fs.writeFile(path.join(ws.corpusDir, "md/gia-ve.md"), fare("20.000", "6"));

    const crash = new Error(`simulated crash before ${step}`);
    const running = service.reindex({
      full: true,
      onSaveStep: (file) => {
        if (file === step) throw crash;
      },
    })!;
    await expect(running).rejects.toBe(crash);

    expect(service.index).toBe(before);
    expect(service.reindexStatus).toBeNull();
    expect(service.stats.snapshot().lastIngest).toMatchObject({ ok: false, error: crash.message });
    expect((await service.ask(QUESTION)).text).toContain("15.000");
    expect(await currentVersion(ws.indexDir)).toBe(versionBefore);
    const reloaded = await loadIndex(ws.indexDir, { model: null });
    expect(reloaded.article("gia-ve")!.body).toContain("15.000");
    expect((await fs.readdir(ws.indexDir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);

    // The next re-index is not blocked by the failed one.
    await service.reindex()!;
    expect((await service.ask(QUESTION)).text).toContain("20.000");
  });
});
