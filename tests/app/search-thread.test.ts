/**
 * `SEARCH_THREAD`: the service searches whole articles on a second thread when told to (or, by
 * default, from `SEARCH_THREAD_MIN_ARTICLES` articles), answers exactly as without it, and moves
 * the thread to each new version it serves.
 */
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SEARCH_THREAD_MIN_ARTICLES, type QaService } from "../../src/app";
import { openService, SEED, until, workspace, writeFile, type Workspace } from "../admin/helpers";

const QUESTIONS = [
  "Cầu Vàng đón bao nhiêu lượt khách dịp nghỉ lễ?",
  "gia lua o An Giang tang bao nhieu",
  "Sạt lở ở Lạng Sơn, bao nhiêu hộ dân phải di dời?",
  "Who won the World Cup in 1998?",
];

let ws: Workspace;
const services: QaService[] = [];
afterEach(async () => {
  for (const service of services.splice(0)) await service.close();
  await ws.cleanup();
});

const open = async (w: Workspace) => {
  const service = await openService(w);
  services.push(service);
  return service;
};

describe("SEARCH_THREAD", () => {
  it("on: answers every question exactly as without the thread, with the article search on it", async () => {
    ws = await workspace(SEED, { SEARCH_THREAD: "on" });
    const threaded = await open(ws);
    const plain = await open({ ...ws, config: { ...ws.config, searchThread: "off" } });
    expect([threaded.index.searchedOnTwoThreads, threaded.status().searchThread]).toEqual([true, true]);
    expect([plain.index.searchedOnTwoThreads, plain.status().searchThread]).toEqual([false, false]);
    for (const question of QUESTIONS) {
      const [a, b] = [await threaded.askWithEvidence(question), await plain.askWithEvidence(question)];
      expect(a.answer).toEqual(b.answer);
      expect(a.retrieval.hits.map((h) => [h.chunk.id, h.score])).toEqual(b.retrieval.hits.map((h) => [h.chunk.id, h.score]));
    }
  });

  it("on: after an addition the new version is searched there, and the new article is found", async () => {
    ws = await workspace(SEED, { SEARCH_THREAD: "on" });
    const service = await open(ws);
    const before = service.index;
    await writeFile(
      path.join(ws.corpusDir, "md/ca-heo.md"),
      "---\nid: ca-heo\ntitle: Đàn cá heo xuất hiện ở vịnh Nha Trang\ndate: 2024-06-02\n---\n\nSáng nay, một đàn cá heo khoảng 30 con xuất hiện gần bờ vịnh Nha Trang.\n",
    );
    await service.reindex()!;
    expect(service.index).not.toBe(before);
    expect(before.searchedOnTwoThreads).toBe(false);
    await until(() => service.index.searchedOnTwoThreads);
    const answer = await service.ask("Đàn cá heo xuất hiện ở đâu?");
    expect(answer.citations[0]?.articleId).toBe("ca-heo");
  });

  it("auto: a newsroom's small corpus is searched on the answering thread", async () => {
    ws = await workspace(SEED);
    const service = await open(ws);
    expect(service.index.articles.length).toBeLessThan(SEARCH_THREAD_MIN_ARTICLES);
    expect(service.index.searchedOnTwoThreads).toBe(false);
  });
});
