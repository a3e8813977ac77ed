import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AdminService, articleIdForUrl } from "../../src/admin";
import type { QaService } from "../../src/app";
import { silentLogger } from "../../src/logger";
import { currentVersion } from "../../src/store";
import { ADMIN, articlePage, closeAll, openAdmin, openService, SEED, send, serve, snapshot, STRANGER, type TestServer, until, value, type Workspace, workspace } from "./helpers";

let ws: Workspace;
let service: QaService;
let admin: AdminService;
let server: TestServer;

const BUS_V1 = [
  "Hà Nội khai trương tuyến xe buýt điện số 99 nối Cầu Giấy với Long Biên.",
  "Mỗi ngày tuyến chạy 120 chuyến, giá vé 7.000 đồng một lượt.",
];
const BUS_V2 = [
  "Hà Nội khai trương tuyến xe buýt điện số 99 nối Cầu Giấy với Gia Lâm.",
  "Mỗi ngày tuyến chạy 150 chuyến, giá vé 8.000 đồng một lượt.",
];

beforeEach(async () => {
  ws = await workspace();
  service = await openService(ws);
  admin = await openAdmin(ws, service);
  server = await serve({ "/tin/xe-buyt-dien.html": send(articlePage("Khai trương tuyến xe buýt điện số 99", BUS_V1)) });
});
afterEach(() => closeAll(admin, server, ws));

const quotes = async (question: string) => {
  const answer = await service.ask(question);
  return { answer, text: answer.parts.map((p) => p.quote.text).join(" ") };
};

describe("AdminService.addUrl (/add)", () => {
  it("saves a page from a local server under corpus/added, indexes it, and answers quote it", async () => {
    const url = server.url("/tin/xe-buyt-dien.html");
    const added = value(await admin.addUrl(ADMIN, url));
    const id = articleIdForUrl(url);
    expect(added.updated).toBe(false);
    expect(added.article).toMatchObject({ id, title: "Khai trương tuyến xe buýt điện số 99", publishedAt: "2024-09-10", source: `added/${id}.md` });
    expect(added.article.firstLines).toContain("xe buýt điện số 99");
    expect(await fs.readdir(path.join(ws.corpusDir, "added"))).toEqual([`${id}.md`]);
    expect(service.status().articles).toBe(4);

    const { answer, text } = await quotes("Tuyến xe buýt điện số 99 nối Cầu Giấy với đâu?");
    expect(answer.notFound).toBe(false);
    expect(answer.citations[0]?.articleId).toBe(id);
    expect(text).toContain("Long Biên");
    const body = service.index.article(id)!.body;
    for (const part of answer.parts) expect(body.slice(part.quote.start, part.quote.end)).toBe(part.quote.text);
  });

  it("adding the same URL again updates the article instead of duplicating it", async () => {
    const url = server.url("/tin/xe-buyt-dien.html");
    value(await admin.addUrl(ADMIN, url));
    server.routes.set("/tin/xe-buyt-dien.html", send(articlePage("Khai trương tuyến xe buýt điện số 99", BUS_V2)));
    const again = value(await admin.addUrl(ADMIN, `${url}?utm_source=zalo`));
    expect(again.updated).toBe(true);
    expect(again.reindex).toMatchObject({ added: 0, updated: 1 });
    expect(service.status().articles).toBe(4);
    expect(await fs.readdir(path.join(ws.corpusDir, "added"))).toHaveLength(1);
    const { text } = await quotes("Tuyến xe buýt điện số 99 nối Cầu Giấy với đâu?");
    expect(text).toContain("Gia Lâm");
    expect(text).not.toContain("Long Biên");
  });

  it("refuses a private address when private fetches are off, and writes nothing", async () => {
    const strict = await openAdmin(ws, service, false);
    const before = await snapshot(ws.corpusDir);
    const result = await strict.addUrl(ADMIN, server.url("/tin/xe-buyt-dien.html"));
    expect(result).toMatchObject({ status: "refused", code: "private-address" });
    for (const url of ["http://10.0.0.1/tin.html", "http://[::1]/", "file:///etc/passwd"]) {
      expect((await strict.addUrl(ADMIN, url)).status).toBe("refused");
    }
    expect(server.hits).toEqual([]);
    expect(await snapshot(ws.corpusDir)).toEqual(before);
  });

  it("refuses an oversized page, a non-HTML answer and a page without an article", async () => {
    const capped = await AdminService.create({ service, logger: silentLogger, auditPath: ws.auditPath, fetch: { allowPrivate: true, maxBytes: 2048 } });
    server.routes.set("/big.html", send(articlePage("To", ["x ".repeat(5000)])));
    server.routes.set("/data.json", send('{"title":"x"}', "application/json"));
    server.routes.set("/empty.html", send("<html><head></head><body></body></html>"));
    const before = await snapshot(ws.corpusDir);
    expect(await capped.addUrl(ADMIN, server.url("/big.html"))).toMatchObject({ status: "refused", code: "too-large" });
    expect(await admin.addUrl(ADMIN, server.url("/data.json"))).toMatchObject({ status: "refused", code: "not-html" });
    expect(await admin.addUrl(ADMIN, server.url("/empty.html"))).toMatchObject({ status: "refused", code: "no-article" });
    expect(await snapshot(ws.corpusDir)).toEqual(before);
    const audit = await admin.audit.recent(10);
    expect(audit.map((e) => [e.action, e.result])).toEqual([
      ["add", "refused"],
      ["add", "refused"],
      ["add", "refused"],
    ]);
  });
});

describe("AdminService: only admins change anything", () => {
  it("refuses a non-admin's add, upload, delete, undelete, reindex and feeds, and nothing changes", async () => {
    const corpusBefore = await snapshot(ws.corpusDir);
    const versionBefore = await currentVersion(ws.indexDir);
    const indexBefore = service.index;

    const results = [
      await admin.addUrl(STRANGER, server.url("/tin/xe-buyt-dien.html")),
      await admin.addUpload(STRANGER, "tin.md", Buffer.from("---\ntitle: Tin\n---\n\nNội dung.\n")),
      await admin.deleteArticle(STRANGER, "cau-vang"),
      await admin.undeleteArticle(STRANGER, "cau-vang"),
      await admin.reindex(STRANGER, { full: true }),
      await admin.addFeed(STRANGER, server.url("/rss.xml")),
      await admin.removeFeed(STRANGER, 1),
      await admin.listFeeds(STRANGER),
    ];
    for (const result of results) expect(result).toMatchObject({ status: "refused", code: "not-admin" });
    expect(admin.isAdmin(STRANGER.id)).toBe(false);
    expect(admin.isAdmin(ADMIN.id)).toBe(true);

    await admin.stop();
    expect(server.hits).toEqual([]);
    expect(await snapshot(ws.corpusDir)).toEqual(corpusBefore);
    expect(await currentVersion(ws.indexDir)).toBe(versionBefore);
    expect(service.index).toBe(indexBefore);
    const audit = await admin.audit.recent(20);
    expect(audit).toHaveLength(results.length);
    for (const entry of audit) expect(entry).toMatchObject({ userId: STRANGER.id, username: "mallory", result: "refused" });
  });
});

describe("AdminService.deleteArticle / undeleteArticle", () => {
  it("takes an article out of the index into the trash, and brings it back", async () => {
    const question = "Cầu Vàng đón bao nhiêu lượt khách?";
    expect((await service.ask(question)).citations[0]?.articleId).toBe("cau-vang");

    const deleted = value(await admin.deleteArticle(ADMIN, "cau-vang"));
    expect(deleted.trashed).toMatch(/^\.trash\/.*-cau-vang\.md$/);
    expect(service.index.article("cau-vang")).toBeUndefined();
    expect(service.status().articles).toBe(2);
    await expect(fs.access(path.join(ws.corpusDir, "md/cau-vang.md"))).rejects.toThrow();
    await expect(fs.access(path.join(ws.corpusDir, deleted.trashed))).resolves.toBeUndefined();
    expect((await service.ask(question)).citations.map((c) => c.articleId)).not.toContain("cau-vang");

    expect(await admin.deleteArticle(ADMIN, "cau-vang")).toMatchObject({ status: "refused", code: "not-found" });

    const restored = value(await admin.undeleteArticle(ADMIN, "cau-vang"));
    expect(restored.article).toMatchObject({ id: "cau-vang", source: "md/cau-vang.md" });
    expect(service.status().articles).toBe(3);
    await expect(fs.access(path.join(ws.corpusDir, deleted.trashed))).rejects.toThrow();
    expect((await service.ask(question)).citations[0]?.articleId).toBe("cau-vang");
    expect(await admin.undeleteArticle(ADMIN, "cau-vang")).toMatchObject({ status: "refused", code: "not-in-trash" });
  });

  it("refuses to delete one record of a multi-record file, saying what to do instead", async () => {
    await fs.writeFile(path.join(ws.corpusDir, "tin.jsonl"), '{"id":"j1","title":"A","text":"Bài A."}\n{"id":"j2","title":"B","text":"Bài B."}\n');
    const reindex = value(await admin.reindex(ADMIN));
    if (reindex.state === "started") value(await reindex.done);
    expect(service.index.article("j1")).toBeDefined();
    const result = await admin.deleteArticle(ADMIN, "j1");
    expect(result).toMatchObject({ status: "refused", code: "shared-file" });
    expect(result.status === "refused" && result.reason).toContain("tin.jsonl");
    expect(service.index.article("j1")).toBeDefined();
  });
});

describe("AdminService.addUpload", () => {
  it("an upload that does not parse changes nothing; a valid one is indexed", async () => {
    const corpusBefore = await snapshot(ws.corpusDir);
    const versionBefore = await currentVersion(ws.indexDir);
    const bad = await admin.addUpload(ADMIN, "tin.jsonl", Buffer.from('{"title":"A","text":"Một."}\n{"title": oops}\n'));
    expect(bad).toMatchObject({ status: "refused", code: "unparsable" });
    expect(bad.status === "refused" && bad.reason).toContain("line 2");
    expect(await admin.addUpload(ADMIN, "virus.exe", Buffer.from("MZ"))).toMatchObject({ status: "refused", code: "bad-type" });
    expect(await snapshot(ws.corpusDir)).toEqual(corpusBefore);
    expect(await currentVersion(ws.indexDir)).toBe(versionBefore);

    const text = "---\ntitle: Lễ hội hoa ban\ndate: 2024-03-10\n---\n\nLễ hội hoa ban ở Điện Biên thu hút hai vạn du khách.\n";
    const good = value(await admin.addUpload(ADMIN, "../Lễ hội hoa ban.md", Buffer.from(text)));
    expect(good).toMatchObject({ source: "uploads/le-hoi-hoa-ban.md", updated: false, reindex: { added: 1 } });
    expect(good.articles.map((a) => a.id)).toEqual(["le-hoi-hoa-ban"]);
    const answer = await service.ask("Lễ hội hoa ban thu hút bao nhiêu du khách?");
    expect(answer.citations[0]?.articleId).toBe("le-hoi-hoa-ban");
  });
});

describe("AdminService.reindex", () => {
  it("reports busy with progress while one runs; /add waits for it and then runs its own", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let saving = false;
    const first = value(await admin.reindex(ADMIN, { full: true, onSaveStep: async () => ((saving = true), gate) }));
    expect(first.state).toBe("started");

    const second = value(await admin.reindex(ADMIN));
    expect(second.state).toBe("busy");
    await until(() => saving);
    const third = value(await admin.reindex(ADMIN));
    expect(third).toMatchObject({ state: "busy", running: { running: true, full: true, progress: { phase: "save" } } });

    const adding = admin.addUrl(ADMIN, server.url("/tin/xe-buyt-dien.html"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(service.index.articles).toHaveLength(3);
    release();
    expect(first.state === "started" && value(await first.done)).toMatchObject({ articles: 3, written: true });
    const added = value(await adding);
    expect(service.index.article(added.article.id)).toBeDefined();

    const audit = await admin.audit.recent(10);
    expect(audit.map((e) => `${e.action}:${e.result}`)).toEqual(["reindex:refused", "reindex:refused", "reindex-full:ok", "add:ok"]);
  });

  it("a failed re-index reaches the caller as an error and the index in service stays", async () => {
    const before = service.index;
    const started = value(await admin.reindex(ADMIN, { full: true, onSaveStep: (file) => { if (file === "lexical.bin") throw new Error("disk full"); } }));
    const done = started.state === "started" ? await started.done : null;
    expect(done).toEqual({ status: "error", reason: "disk full" });
    expect(service.index).toBe(before);
    expect((await admin.audit.recent(1))[0]).toMatchObject({ action: "reindex-full", result: "error", detail: "disk full" });
  });
});

describe("AdminService.stats", () => {
  it("combines the index, the answering counters and the size on disk", async () => {
    await service.ask("Giá lúa ở An Giang?");
    const stats = await admin.stats();
    expect(stats).toMatchObject({ articles: 3, denseOn: false, questionsToday: 1, feeds: 0, reindex: null });
    expect(stats.indexBytes).toBeGreaterThan(100);
    expect(stats.passages).toBeGreaterThan(0);
  });
});

describe("a change on a larger archive reads only the files it touched", () => {
  it("/add reads its one page, /delete no file, /undelete its one file; a full /reindex agrees", async () => {
    // Thirty more articles: one more or one fewer is a new segment, not a merge (`MERGE_POLICY`).
    const files = { ...SEED };
    for (let i = 0; i < 30; i++) files[`tin/tin-${i}.md`] = `---\nid: tin-${i}\ntitle: Bản tin số ${i}\n---\n\nBản tin số ${i} về giao thông và thời tiết.\n`;
    const big = await workspace(files);
    const bigService = await openService(big);
    const bigAdmin = await openAdmin(big, bigService);
    try {
      const added = value(await bigAdmin.addUrl(ADMIN, server.url("/tin/xe-buyt-dien.html")));
      expect(added.reindex).toMatchObject({ files: 1, added: 1, unchanged: 33 });
      const deleted = value(await bigAdmin.deleteArticle(ADMIN, "cau-vang"));
      expect(deleted.reindex).toMatchObject({ files: 0, removed: 1 });
      expect(bigService.index.article("cau-vang")).toBeUndefined();
      const restored = value(await bigAdmin.undeleteArticle(ADMIN, "cau-vang"));
      expect(restored.reindex).toMatchObject({ files: 1, added: 1 });
      const full = value(await bigAdmin.reindex(ADMIN));
      expect(full.state).toBe("started");
      if (full.state === "started") expect(value(await full.done)).toMatchObject({ files: 34, added: 0, updated: 0, removed: 0, written: false });
    } finally {
      await bigAdmin.stop();
      await big.cleanup();
    }
  });
});
