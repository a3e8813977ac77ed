import fs from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { articleIdForUrl, FeedStore, type AdminService } from "../../src/admin";
import type { QaService } from "../../src/app";
import { ADMIN, articlePage, closeAll, openAdmin, openService, send, serve, type TestServer, value, type Workspace, workspace } from "./helpers";

let ws: Workspace;
let service: QaService;
let admin: AdminService;
let server: TestServer;

interface Item {
  guid: string;
  link: string;
  title: string;
  content: string;
}

function rss(items: Item[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Báo Thử - Thời sự</title><link>${server.url("/")}</link><description>Tin mới</description>
${items
  .map(
    (i) => `<item><guid isPermaLink="false">${i.guid}</guid><link>${i.link}</link><title>${i.title}</title>
<pubDate>Tue, 10 Sep 2024 08:00:00 +0700</pubDate><content:encoded><![CDATA[${i.content}]]></content:encoded></item>`,
  )
  .join("\n")}
</channel></rss>`;
}

let items: Item[];

beforeEach(async () => {
  ws = await workspace();
  service = await openService(ws);
  admin = await openAdmin(ws, service);
  server = await serve();
  server.routes.set("/rss.xml", (request, response) => send(rss(items), "application/rss+xml; charset=utf-8")(request, response));
  server.routes.set("/tin/metro.html", send(articlePage("Metro Nhổn - Ga Hà Nội chạy thử", ["Tuyến metro Nhổn - Ga Hà Nội chạy thử đoạn trên cao dài 8,5 km."])));
  items = [
    { guid: "bt-1", link: server.url("/tin/metro.html"), title: "Metro Nhổn - Ga Hà Nội chạy thử", content: "<p>Tuyến metro chạy thử.</p>" },
    // Its page is gone (404): the item's own content is the article.
    {
      guid: "bt-2",
      link: server.url("/tin/da-xoa.html"),
      title: "Cá chép hoá rồng",
      content: "<p>Người dân Hà Nội thả cá chép tiễn ông Công ông Táo về trời ở hồ Tây.</p>",
    },
    // The first story again under a new guid and link: the same content hash.
    { guid: "bt-1-copy", link: server.url("/tin/metro-copy.html"), title: "Metro Nhổn - Ga Hà Nội chạy thử", content: "<p>Tuyến metro chạy thử.</p>" },
  ];
});
afterEach(() => closeAll(admin, server, ws));

describe("feeds", () => {
  it("indexes the new items of a local RSS feed once; a repeated poll adds nothing", async () => {
    const feed = value(await admin.addFeed(ADMIN, server.url("/rss.xml")));
    expect(feed).toMatchObject({ n: 1, title: "Báo Thử - Thời sự", items: 3, existed: false });

    const first = await admin.poller.pollNow();
    const metro = articleIdForUrl(server.url("/tin/metro.html"));
    const carp = articleIdForUrl(server.url("/tin/da-xoa.html"));
    expect(first).toMatchObject({ feeds: 1, added: [metro, carp], reindexed: true, reindexError: null });
    expect(service.index.article(metro)?.body).toContain("đoạn trên cao dài 8,5 km");
    expect(service.index.article(carp)).toMatchObject({ title: "Cá chép hoá rồng", publishedAt: "2024-09-10" });
    expect((await service.ask("Người dân thả cá chép ở đâu?")).citations[0]?.articleId).toBe(carp);
    expect(server.hits.filter((h) => h !== "/rss.xml")).toEqual(["/tin/metro.html", "/tin/da-xoa.html"]);
    const versionAfterFirst = service.index.location;

    const second = await admin.poller.pollNow();
    expect(second).toMatchObject({ added: [], reindexed: false });
    expect(server.hits.filter((h) => h !== "/rss.xml")).toHaveLength(2);
    expect(service.index.location).toBe(versionAfterFirst);
    expect(await fs.readdir(path.join(ws.corpusDir, "added"))).toHaveLength(2);

    items.push({ guid: "bt-3", link: server.url("/tin/metro.html#binh-luan"), title: "Bình luận", content: "<p>Khác.</p>" });
    expect((await admin.poller.pollNow()).added).toEqual([]); // same link (fragment aside): seen

    const audit = await admin.audit.recent(10);
    expect(audit.map((e) => [e.userId, e.action, e.result])).toEqual([
      [ADMIN.id, "feeds-add", "ok"],
      [null, "feed-poll", "ok"],
    ]);
  });

  it("keeps the feed list and what was seen across restarts", async () => {
    value(await admin.addFeed(ADMIN, server.url("/rss.xml")));
    await admin.poller.pollNow();
    await admin.stop();

    const reopened = await openAdmin(ws, service);
    expect(value(await reopened.listFeeds(ADMIN))).toMatchObject([{ n: 1, url: server.url("/rss.xml"), title: "Báo Thử - Thời sự", lastAdded: 2, lastError: null }]);
    expect((await reopened.poller.pollNow()).added).toEqual([]);
    await reopened.stop();
    const store = await FeedStore.open(path.join(ws.corpusDir, ".feeds.json"));
    expect(store.list()[0]!.seen.guids).toEqual(["bt-1", "bt-2"]);
  });

  it("numbers feeds from 1, removes by number, and refuses what is not a feed", async () => {
    server.routes.set("/atom.xml", send(
      `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom thử</title><id>urn:x</id><updated>2024-09-10T00:00:00Z</updated>
<entry><title>Một</title><id>urn:1</id><link href="/tin/metro.html"/><updated>2024-09-10T00:00:00Z</updated><summary>Tóm tắt.</summary></entry></feed>`,
      "application/atom+xml",
    ));
    server.routes.set("/page.html", send(articlePage("Trang", ["Không phải feed."])));
    server.routes.set("/junk.xml", send("<html><body>no</body>", "text/xml"));

    expect(value(await admin.addFeed(ADMIN, server.url("/rss.xml"))).n).toBe(1);
    expect(value(await admin.addFeed(ADMIN, server.url("/atom.xml")))).toMatchObject({ n: 2, title: "Atom thử", items: 1 });
    expect(value(await admin.addFeed(ADMIN, server.url("/rss.xml")))).toMatchObject({ n: 1, existed: true });
    expect(await admin.addFeed(ADMIN, server.url("/page.html"))).toMatchObject({ status: "refused", code: "not-html" });
    expect(await admin.addFeed(ADMIN, server.url("/junk.xml"))).toMatchObject({ status: "refused", code: "not-a-feed" });

    expect(value(await admin.removeFeed(ADMIN, 1)).url).toBe(server.url("/rss.xml"));
    expect(await admin.removeFeed(ADMIN, 5)).toMatchObject({ status: "refused", code: "no-such-feed" });
    expect(value(await admin.listFeeds(ADMIN)).map((f) => [f.n, f.url])).toEqual([[1, server.url("/atom.xml")]]);
  });

  it("never runs two polls at once: a poll requested during one runs once after it", async () => {
    value(await admin.addFeed(ADMIN, server.url("/rss.xml")));
    const first = admin.poller.pollNow();
    const second = admin.poller.pollNow();
    const third = admin.poller.pollNow();
    expect(third).toBe(second);
    const [a, b] = await Promise.all([first, second]);
    expect(a.added).toHaveLength(2);
    expect(b.added).toHaveLength(0);
    expect(server.hits.filter((h) => h === "/rss.xml")).toHaveLength(3); // addFeed's check + two polls
  });

  it("records a feed that cannot be read and goes on", async () => {
    value(await admin.addFeed(ADMIN, server.url("/rss.xml")));
    server.routes.delete("/rss.xml");
    const summary = await admin.poller.pollNow();
    expect(summary.results[0]).toMatchObject({ error: expect.stringContaining("404"), added: [] });
    expect(admin.feeds.list()[0]!.lastError).toContain("404");
  });
});
