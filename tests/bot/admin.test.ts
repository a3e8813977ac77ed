/**
 * The admin features end to end: the real grammY client and runner against the fake Bot API,
 * a real AdminService over a temporary corpus and index (lexical only), and local HTTP servers for
 * `/add` and `/feeds`.
 */
import fs from "node:fs/promises";
import path from "node:path";
import type { Chat } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { AdminService, articleIdForUrl, type AuditEntry } from "../../src/admin";
import { ingest, type QaService } from "../../src/app";
import { ADMIN_COMMANDS, adminCommands, registerCommands, uiStrings, type BotAdmin } from "../../src/bot";
import { silentLogger } from "../../src/logger";
import { currentVersion, loadIndex } from "../../src/store";
import {
  ADMIN,
  articlePage,
  FARE_QUESTION,
  fare,
  openService,
  SEED,
  send,
  serve,
  snapshot,
  STRANGER,
  type TestServer,
  until,
  type Workspace,
  workspace,
} from "../admin/helpers";
import { type Call, groupChat, privateChat, startFakeBotApi, user } from "../helpers/fake-bot-api";
import { blockquotes, isSent, sentMessage, startBot, visible, type Harness } from "./harness";

const vi = uiStrings("vi").admin;
const en = uiStrings("en").admin;

const GOLDEN_BRIDGE_QUESTION = "Cầu Vàng đón bao nhiêu lượt khách?";
const BUS_QUESTION = "Tuyến xe buýt điện số 99 nối Cầu Giấy với đâu?";
const BUS = ["Hà Nội khai trương tuyến xe buýt điện số 99 nối Cầu Giấy với Long Biên.", "Mỗi ngày tuyến chạy 120 chuyến, giá vé 7.000 đồng một lượt."];
const FESTIVAL_MD = "---\ntitle: Lễ hội hoa ban\ndate: 2024-03-10\n---\n\nLễ hội hoa ban ở Điện Biên thu hút hai vạn du khách.\n";
const SECOND_ADMIN = { id: 2, username: "desk" };

const adminChat = privateChat(ADMIN.id, { username: ADMIN.username });
const strangerChat = privateChat(STRANGER.id, { username: STRANGER.username });

interface AdminBot extends Harness {
  ws: Workspace;
  service: QaService;
  admin: AdminService;
  /** What `/reindex` passes as `onSaveStep` (the crash-test hook); null: none. */
  hooks: { saveStep: ((file: string) => void | Promise<void>) | null };
}

let bot: AdminBot | null = null;
let server: TestServer | null = null;
/** A re-index held by a test; released before closing, so a failed assertion does not hang the close. */
let held: { resolve: () => void } | null = null;
afterEach(async () => {
  held?.resolve();
  held = null;
  await bot?.close();
  await server?.close();
  bot = server = null;
});

/**
 * The bot with admin features over a fresh workspace: the seed corpus plus "gia-ve", admins 1 and
 * 2, progress edits unthrottled. The bot gets the admin service through a test-only wrapper whose
 * `reindex` adds the `hooks.saveStep` hook.
 */
async function startAdminBot(env: Record<string, string> = {}): Promise<AdminBot> {
  const api = await startFakeBotApi();
  const ws = await workspace(
    { ...SEED, "md/gia-ve.md": fare("15.000", "10") },
    { TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, ADMIN_IDS: `${ADMIN.id},${SECOND_ADMIN.id}`, ...env },
  );
  const service = await openService(ws);
  const admin = await AdminService.create({ service, logger: silentLogger, auditPath: ws.auditPath });
  const hooks: AdminBot["hooks"] = { saveStep: null };
  const hooked = Object.create(admin) as AdminService;
  hooked.reindex = (actor, options = {}) => admin.reindex(actor, hooks.saveStep ? { ...options, onSaveStep: hooks.saveStep } : options);
  const h = await startBot({ service, api, config: ws.config, admin: hooked satisfies BotAdmin, progressEditIntervalMs: 0 });
  return {
    ...h,
    ws,
    service,
    admin,
    hooks,
    close: async () => {
      await h.close();
      await admin.stop();
      await ws.cleanup();
    },
  };
}

/** A user writes `text`; resolves with the bot's first message to that chat in reply. */
async function say(b: AdminBot, chat: Chat.PrivateChat, text: string): Promise<Call> {
  b.api.sendText({ chat, text });
  return b.api.waitFor(isSent(chat.id), { timeoutMs: 10_000 });
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** The summary sent below a progress message (a reply to it). */
function replyTo(chatId: number, messageId: number) {
  return (c: Call) =>
    isSent(chatId)(c) && (c.params.reply_parameters as { message_id?: number } | undefined)?.message_id === messageId;
}

async function auditLines(b: AdminBot): Promise<AuditEntry[]> {
  return b.admin.audit.recent(100);
}

describe("/reindex while questions keep arriving", () => {
  it("edits a progress message, answers every question meanwhile, tells a second request it is busy, then sends the summary", async () => {
    bot = await startAdminBot();
    const b = bot;
    const before = await b.service.ask(FARE_QUESTION);
    expect(before.text).toContain("15.000");
    await fs.writeFile(path.join(b.ws.corpusDir, "md/gia-ve.md"), fare("20.000", "6"));

    // Hold the re-index at its first save step: the new index is built, not yet switched in.
    const gate = (held = deferred());
    const saving = deferred();
    b.hooks.saveStep = async () => {
      saving.resolve();
      await gate.promise;
    };

    const progress = await say(b, adminChat, "/reindex");
    const progressMessage = sentMessage(progress);
    expect(visible(progress)).toMatch(
      /^Đang lập lại chỉ mục \(các bài thay đổi\)\nGiai đoạn: đang chờ · đã chạy \d+ ms\nBài: — · đoạn: —\nTốc độ: — đoạn\/giây · còn khoảng —$/,
    );
    await saving.promise;
    const edited = await b.api.waitFor(
      // Edits from the build worker may show an earlier stage at 4/4 first: wait for the save stage,
      // which must appear while the save step is held.
      (c) =>
        c.method === "editMessageText" &&
        c.response?.ok === true &&
        c.params.message_id === progressMessage.message_id &&
        visible(c).includes("Bài: 4/4") &&
        visible(c).includes("Giai đoạn: lưu"),
      { since: progress },
    );
    const passages = b.service.status().passages;
    expect(visible(edited)).toContain(`đoạn: ${passages}/${passages}`);

    // A second request while the first one runs: told it is busy, and how far it is.
    const busy = await say(b, adminChat, "/reindex full");
    expect(visible(busy)).toMatch(/^⏳ Đang có một lần lập lại chỉ mục \(các bài thay đổi, đã chạy .+\): lưu, bài 4\/4\. Hãy đợi nó xong\.$/);

    // Questions from readers and from the admin, while the re-index is held: all complete, from the old index.
    const readers = [101, 102, 103].map((id) => privateChat(id));
    const mark = b.api.calls.length;
    for (const chat of [...readers, adminChat]) b.api.sendText({ chat, text: FARE_QUESTION });
    for (const chat of [...readers, adminChat]) {
      const answer = await b.api.waitFor(isSent(chat.id), { since: mark, timeoutMs: 10_000 });
      expect(blockquotes(String(answer.params.text))).toEqual(before.parts.map((p) => p.quote.text));
      expect(visible(answer)).toContain("Nguồn\n[1] Giá vé tàu điện Cát Linh - Hà Đông");
    }
    expect(b.service.reindexStatus).not.toBeNull();

    // Another admin's change meanwhile waits for the re-index, and says so at once.
    const deskChat = privateChat(SECOND_ADMIN.id, { username: SECOND_ADMIN.username });
    const waiting = await say(b, deskChat, "/delete cau-vang");
    expect(visible(waiting)).toBe(vi.afterReindex);
    expect(b.service.index.article("cau-vang")).toBeDefined();

    gate.resolve();
    const summary = await b.api.waitFor(replyTo(ADMIN.id, progressMessage.message_id), { since: progress, timeoutMs: 10_000 });
    expect(visible(summary)).toMatch(/^✅ Đã lập lại chỉ mục trong .+: thêm 0 · cập nhật 1 · xoá 0 · giữ nguyên 3\.\nChỉ mục hiện có 4 bài, \d+ đoạn; 0 đoạn vừa được tạo vector\.$/);
    expect(b.api.message(ADMIN.id, progressMessage.message_id)?.text).toBe("Đã lập lại chỉ mục (các bài thay đổi) ✅");

    // After the swap, only the new content.
    const after = await say(b, privateChat(104), FARE_QUESTION);
    expect(visible(after)).toContain("20.000");
    expect(visible(after)).not.toContain("15.000");

    const deleted = await b.api.waitFor((c) => isSent(SECOND_ADMIN.id)(c) && c.index > waiting.index, { since: waiting, timeoutMs: 10_000 });
    expect(visible(deleted)).toMatch(/^🗑 Đã xoá bài cau-vang/);
    expect((await auditLines(b)).map((e) => `${e.userId}:${e.action}:${e.result}`)).toEqual([
      `${ADMIN.id}:reindex-full:refused`,
      `${ADMIN.id}:reindex:ok`,
      `${SECOND_ADMIN.id}:delete:ok`,
    ]);
  });

  it("a crash in the middle of a re-index: the admin sees the error and the old index keeps answering", async () => {
    bot = await startAdminBot();
    const b = bot;
    const indexBefore = b.service.index;
    const versionBefore = await currentVersion(b.ws.indexDir);
    await fs.writeFile(path.join(b.ws.corpusDir, "md/gia-ve.md"), fare("20.000", "6"));
    b.hooks.saveStep = (file) => {
      if (file === "lexical.bin") throw new Error("simulated crash while writing lexical.bin");
    };

    const progress = await say(b, adminChat, "/reindex full");
    const failure = await b.api.waitFor(replyTo(ADMIN.id, sentMessage(progress).message_id), { since: progress, timeoutMs: 10_000 });
    expect(visible(failure)).toBe(
      "❌ Lập lại chỉ mục thất bại: simulated crash while writing lexical.bin\nChỉ mục cũ vẫn đang phục vụ; chưa có gì bị thay đổi.",
    );
    expect(b.api.message(ADMIN.id, sentMessage(progress).message_id)?.text).toBe("Lập lại chỉ mục thất bại (toàn bộ) ❌");

    expect(b.service.index).toBe(indexBefore);
    expect(await currentVersion(b.ws.indexDir)).toBe(versionBefore);
    const answer = await say(b, privateChat(101), FARE_QUESTION);
    expect(visible(answer)).toContain("15.000");
    expect((await loadIndex(b.ws.indexDir, { model: null })).article("gia-ve")!.body).toContain("15.000");

    // The next re-index is not blocked by the failed one.
    b.hooks.saveStep = null;
    const again = await say(b, adminChat, "/reindex");
    await b.api.waitFor(replyTo(ADMIN.id, sentMessage(again).message_id), { since: again, timeoutMs: 10_000 });
    expect(visible(await say(b, privateChat(101), FARE_QUESTION))).toContain("20.000");
  });
});

describe("/reindex that would remove most of the index", () => {
  it("is refused with nothing changed; after /reindex full a confirmation button runs it", async () => {
    bot = await startAdminBot();
    const b = bot;
    // Three of the four articles' files leave the corpus folder (moved, or a folder unmounted).
    for (const file of ["md/cau-vang.md", "md/lua-gao.md", "txt/sat-lo.txt"]) await fs.rm(path.join(b.ws.corpusDir, file));
    const versionBefore = await currentVersion(b.ws.indexDir);

    const incremental = await say(b, adminChat, "/reindex");
    const refusedPlain = await b.api.waitFor(replyTo(ADMIN.id, sentMessage(incremental).message_id), { since: incremental, timeoutMs: 10_000 });
    expect(visible(refusedPlain)).toContain(vi.refusals["mass-removal"]);
    expect(visible(refusedPlain)).toContain("3 of the 4 indexed articles are no longer in the corpus folder");
    expect(visible(refusedPlain)).toContain("/reindex full");
    expect(refusedPlain.params.reply_markup).toBeUndefined();
    expect(b.service.index.articles).toHaveLength(4);
    expect(await currentVersion(b.ws.indexDir)).toBe(versionBefore);

    const full = await say(b, adminChat, "/reindex full");
    const refused = await b.api.waitFor(replyTo(ADMIN.id, sentMessage(full).message_id), { since: full, timeoutMs: 10_000 });
    expect(visible(refused)).toContain(vi.confirmRemovals);
    expect(b.service.index.articles).toHaveLength(4);

    const press = b.api.pressButton({ message: sentMessage(refused), text: vi.confirmRemovalsButton });
    const progress = await b.api.waitFor((c) => isSent(ADMIN.id)(c) && visible(c).startsWith("Đang lập lại chỉ mục (toàn bộ)"), { since: refused });
    const summary = await b.api.waitFor(replyTo(ADMIN.id, sentMessage(progress).message_id), { since: progress, timeoutMs: 10_000 });
    expect(visible(summary)).toMatch(/^✅ Đã lập lại chỉ mục trong .+: thêm 0 · cập nhật 0 · xoá 3 · giữ nguyên 1\./);
    expect(b.service.index.articles.map((a) => a.id)).toEqual(["gia-ve"]);
    // The button confirms once: it is gone from the message.
    expect(() => b.api.pressButton({ message: sentMessage(refused), data: press.data! })).toThrow(/no buttons/);
  });

  it("a failure is said in words, not as the raw internal error", async () => {
    bot = await startAdminBot();
    const b = bot;
    await fs.writeFile(path.join(b.ws.corpusDir, "md/gia-ve.md"), fare("20.000", "6"));
    b.hooks.saveStep = () => {
      throw new RangeError("Maximum call stack size exceeded");
    };
    const progress = await say(b, adminChat, "/reindex");
    const failure = await b.api.waitFor(replyTo(ADMIN.id, sentMessage(progress).message_id), { since: progress, timeoutMs: 10_000 });
    expect(visible(failure)).toBe(
      "❌ Lập lại chỉ mục thất bại: an internal error (RangeError) stopped it; the details are in the bot's log\nChỉ mục cũ vẫn đang phục vụ; chưa có gì bị thay đổi.",
    );
  });
});

describe("/add", () => {
  it("adds an article page served on 127.0.0.1 (FETCH_ALLOW_PRIVATE=true); questions then quote it; the same URL again updates it", async () => {
    server = await serve({ "/tin/xe-buyt.html": send(articlePage("Khai trương tuyến xe buýt điện số 99", BUS)) });
    bot = await startAdminBot({ FETCH_ALLOW_PRIVATE: "true" });
    const b = bot;
    const url = server.url("/tin/xe-buyt.html");
    const id = articleIdForUrl(url);

    const added = await say(b, adminChat, `/add ${url}`);
    expect(visible(added)).toBe(
      `✅ Đã thêm bài\nKhai trương tuyến xe buýt điện số 99\nMã: ${id} · 10/09/2024 · Tác giả: Thu Trang\n${BUS.join("\n")}`,
    );
    expect(b.service.status().articles).toBe(5);

    const answer = await say(b, privateChat(101), BUS_QUESTION);
    expect(visible(answer)).toContain("Long Biên");
    expect(visible(answer)).toContain("[1] Khai trương tuyến xe buýt điện số 99");

    const again = await say(b, adminChat, `/add ${url}`);
    expect(visible(again)).toMatch(/^✅ Đã cập nhật bài\n/);
    expect(b.service.status().articles).toBe(5);
  });

  it("refuses a private address when FETCH_ALLOW_PRIVATE is false, fetching and changing nothing", async () => {
    server = await serve({ "/tin/xe-buyt.html": send(articlePage("Khai trương tuyến xe buýt điện số 99", BUS)) });
    bot = await startAdminBot({ FETCH_ALLOW_PRIVATE: "false" });
    const b = bot;
    const corpusBefore = await snapshot(b.ws.corpusDir);

    const reply = await say(b, adminChat, `/add ${server.url("/tin/xe-buyt.html")}`);
    expect(visible(reply).split("\n")[0]).toBe(`⛔ ${vi.refusals["private-address"]}`);
    expect(server.hits).toEqual([]);
    expect(await snapshot(b.ws.corpusDir)).toEqual(corpusBefore);

    expect(visible(await say(b, adminChat, "/add"))).toBe("Dùng /add https://… với đường link của bài báo.");
  });
});

describe("uploads", () => {
  it("a download Telegram refuses is said in words, not as grammY's \"Call to 'getFile' failed!\"", async () => {
    bot = await startAdminBot();
    const b = bot;
    b.api.failNext("getFile", { error_code: 400, description: "Bad Request: file is too big" });
    b.api.uploadDocument({ chat: adminChat, fileName: "tin.md", content: Buffer.from(FESTIVAL_MD) });
    const reply = await b.api.waitFor(isSent(ADMIN.id), { timeoutMs: 10_000 });
    expect(visible(reply)).toBe("❌ Không thực hiện được: Telegram refused to hand over the file: file is too big");
  });

  it("indexes a valid .md from an admin; refuses an invalid .json clearly and changes nothing", async () => {
    bot = await startAdminBot();
    const b = bot;
    const corpusBefore = await snapshot(b.ws.corpusDir);
    const versionBefore = await currentVersion(b.ws.indexDir);

    b.api.uploadDocument({ chat: adminChat, fileName: "tin-hong.json", content: Buffer.from('{"title": "Tin", "text": oops}') });
    const bad = await b.api.waitFor(isSent(ADMIN.id), { timeoutMs: 10_000 });
    const [sentence, detail] = visible(bad).split("\n");
    expect(sentence).toBe(`⛔ ${vi.refusals.unparsable}`);
    expect(detail).toContain("tin-hong.json");
    expect(await snapshot(b.ws.corpusDir)).toEqual(corpusBefore);
    expect(await currentVersion(b.ws.indexDir)).toBe(versionBefore);

    b.api.uploadDocument({ chat: adminChat, fileName: "Lễ hội hoa ban.md", content: Buffer.from(FESTIVAL_MD), mimeType: "text/markdown" });
    const good = await b.api.waitFor(isSent(ADMIN.id), { timeoutMs: 10_000 });
    expect(visible(good)).toBe(
      "✅ Đã lưu tệp uploads/le-hoi-hoa-ban.md và lập chỉ mục 1 bài:\n\nLễ hội hoa ban\nMã: le-hoi-hoa-ban · 10/03/2024\nLễ hội hoa ban ở Điện Biên thu hút hai vạn du khách.",
    );
    // Each upload downloaded once, through getFile and the file URL.
    expect(b.api.callsTo("getFile")).toHaveLength(2);
    expect(b.api.callsTo("file")).toHaveLength(2);
    const answer = await say(b, privateChat(101), "Lễ hội hoa ban thu hút bao nhiêu du khách?");
    expect(visible(answer)).toContain("[1] Lễ hội hoa ban");
  });

  it("refuses an oversized or unsupported file before downloading it", async () => {
    bot = await startAdminBot({ UPLOAD_MAX_BYTES: "1024" });
    const b = bot;
    b.api.uploadDocument({ chat: adminChat, fileName: "dai.md", content: Buffer.from(`---\ntitle: Dài\n---\n\n${"chữ ".repeat(400)}\n`) });
    const large = await b.api.waitFor(isSent(ADMIN.id), { timeoutMs: 10_000 });
    expect(visible(large)).toMatch(new RegExp(`^⛔ ${vi.refusals["too-large"]}\\nTệp nặng \\d,\\d KB; giới hạn là 1 KB\\.$`));

    b.api.uploadDocument({ chat: adminChat, fileName: "setup.exe", content: Buffer.from("MZ") });
    expect(visible(await b.api.waitFor(isSent(ADMIN.id), { timeoutMs: 10_000 }))).toBe(`⛔ ${vi.refusals["bad-type"]}`);

    expect(b.api.callsTo("getFile")).toEqual([]);
    expect((await auditLines(b)).map((e) => [e.action, e.target, e.result, e.detail])).toEqual([
      ["upload", "dai.md", "refused", "too-large"],
      ["upload", "setup.exe", "refused", "bad-type"],
    ]);
  });
});

describe("non-admins", () => {
  it("are refused /reindex, /add, /delete and uploads; nothing changes and nothing is downloaded or fetched", async () => {
    server = await serve({ "/tin/xe-buyt.html": send(articlePage("Khai trương tuyến xe buýt điện số 99", BUS)) });
    bot = await startAdminBot({ FETCH_ALLOW_PRIVATE: "true" });
    const b = bot;
    const corpusBefore = await snapshot(b.ws.corpusDir);
    const versionBefore = await currentVersion(b.ws.indexDir);
    const indexBefore = b.service.index;

    for (const text of ["/reindex full", `/add ${server.url("/tin/xe-buyt.html")}`, "/delete cau-vang", "/stats", "/feeds"]) {
      expect(visible(await say(b, strangerChat, text))).toBe(vi.notAdmin);
    }
    b.api.uploadDocument({ chat: strangerChat, fileName: "tin.md", content: Buffer.from(FESTIVAL_MD) });
    expect(visible(await b.api.waitFor(isSent(STRANGER.id), { timeoutMs: 10_000 }))).toBe(vi.notAdmin);
    // In English for a client in English.
    const english = privateChat(667, { language_code: "en" });
    expect(visible(await say(b, english, "/reindex"))).toBe(en.notAdmin);
    // In a group: quiet (the bot must not be made to spam it).
    const group = groupChat(-500);
    const mark = b.api.calls.length;
    b.api.sendText({ chat: group, from: user(STRANGER.id), text: "/reindex" });
    await until(async () => (await auditLines(b)).length === 8);
    await new Promise((resolve) => setTimeout(resolve, 100)); // a reply would follow the audit line at once
    expect(b.api.calls.slice(mark).filter((c) => c.method === "sendMessage")).toEqual([]);

    await b.admin.stop();
    expect(b.api.callsTo("getFile")).toEqual([]);
    expect(server.hits).toEqual([]);
    expect(await snapshot(b.ws.corpusDir)).toEqual(corpusBefore);
    expect(await currentVersion(b.ws.indexDir)).toBe(versionBefore);
    expect(b.service.index).toBe(indexBefore);
    const audit = await auditLines(b);
    expect(audit.map((e) => [e.userId, e.action, e.result])).toEqual([
      [STRANGER.id, "reindex", "refused"],
      [STRANGER.id, "add", "refused"],
      [STRANGER.id, "delete", "refused"],
      [STRANGER.id, "stats", "refused"],
      [STRANGER.id, "feeds", "refused"],
      [STRANGER.id, "upload", "refused"],
      [667, "reindex", "refused"],
      [STRANGER.id, "reindex", "refused"],
    ]);
    expect(audit[0]).toMatchObject({ username: "mallory", target: "full", detail: "not-admin" });
  });
});

describe("/delete and /undelete", () => {
  it("take an article out of the index and bring it back", async () => {
    bot = await startAdminBot();
    const b = bot;
    expect(visible(await say(b, privateChat(101), GOLDEN_BRIDGE_QUESTION))).toContain("[1] Cầu Vàng đón khách trở lại");

    const deleted = await say(b, adminChat, "/delete cau-vang");
    expect(visible(deleted)).toMatch(
      /^🗑 Đã xoá bài cau-vang «Cầu Vàng đón khách trở lại» khỏi chỉ mục\. Tệp được chuyển vào \.trash\/.*cau-vang\.md; dùng \/undelete cau-vang để khôi phục\.$/,
    );
    expect(b.service.index.article("cau-vang")).toBeUndefined();
    expect(visible(await say(b, privateChat(101), GOLDEN_BRIDGE_QUESTION))).not.toContain("Cầu Vàng đón khách trở lại");
    expect(visible(await say(b, adminChat, "/delete cau-vang")).split("\n")[0]).toBe(`⛔ ${vi.refusals["not-found"]}`);

    const restored = await say(b, adminChat, "/undelete cau-vang");
    expect(visible(restored)).toBe(
      "✅ Đã khôi phục bài\nCầu Vàng đón khách trở lại\nMã: cau-vang · 01/05/2024\nCầu Vàng ở Bà Nà đón hơn mười nghìn lượt khách trong dịp nghỉ lễ.\nBan quản lý cho biết lượng khách quốc tế tăng gấp đôi so với năm trước.",
    );
    expect(visible(await say(b, privateChat(101), GOLDEN_BRIDGE_QUESTION))).toContain("[1] Cầu Vàng đón khách trở lại");
    expect((await auditLines(b)).map((e) => `${e.action}:${e.result}`)).toEqual(["delete:ok", "delete:refused", "undelete:ok"]);
  });
});

describe("/stats and /reload", () => {
  it("/stats shows the index, the model, the last ingest and today's questions", async () => {
    bot = await startAdminBot();
    const b = bot;
    await say(b, privateChat(101), FARE_QUESTION);
    await say(b, privateChat(101), "Công thức nấu phở bò Nam Định như thế nào?");
    const stats = await b.admin.stats();
    expect(stats).toMatchObject({ questionsToday: 2, notFoundRate: 0.5 });

    const first = visible(await say(b, adminChat, "/stats")).split("\n");
    expect(first[0]).toBe("Thống kê");
    expect(first[1]).toMatch(new RegExp(`^Bài: 4 · đoạn: ${stats.passages} · chỉ mục trên đĩa: \\d+(,\\d)? (B|KB|MB)$`));
    expect(first[2]).toBe("Mô hình: Xenova/multilingual-e5-small · tìm kiếm ngữ nghĩa: tắt (test)");
    expect(first[4]).toBe("Lần lập chỉ mục gần nhất: chưa có từ khi bot khởi động");
    expect(first[5]).toBe("Câu hỏi hôm nay: 2 · không tìm thấy câu trả lời: 50%");
    expect(first[6]).toMatch(/^Thời gian trả lời: p50 \d+ ms · p95 \d+ ms$/);
    expect(first[7]).toBe("Nguồn RSS/Atom: 0");

    await fs.writeFile(path.join(b.ws.corpusDir, "md/gia-ve.md"), fare("20.000", "6"));
    const progress = await say(b, adminChat, "/reindex");
    await b.api.waitFor(replyTo(ADMIN.id, sentMessage(progress).message_id), { since: progress, timeoutMs: 10_000 });
    const second = visible(await say(b, adminChat, "/stats")).split("\n");
    expect(second[4]).toMatch(/^Lần lập chỉ mục gần nhất: \d{2}\/\d{2}\/\d{4} \d{2}:\d{2} UTC, .+, thành công \(thêm 0 · cập nhật 1 · xoá 0\)$/);
  });

  it("/reload switches to an index rebuilt on disk by `npm run ingest`", async () => {
    bot = await startAdminBot();
    const b = bot;
    expect(visible(await say(b, adminChat, "/reload"))).toBe(vi.reloadSame);

    await fs.writeFile(path.join(b.ws.corpusDir, "md/gia-ve.md"), fare("20.000", "6"));
    await ingest({ config: b.ws.config, logger: silentLogger, embedder: null, denseOffReason: "test" });
    expect(visible(await say(b, privateChat(101), FARE_QUESTION))).toContain("15.000");

    const reloaded = await say(b, adminChat, "/reload");
    expect(visible(reloaded)).toMatch(/^✅ Đã chuyển sang chỉ mục trên đĩa: 4 bài, \d+ đoạn \(xây dựng lúc .+ UTC\)\.$/);
    expect(visible(await say(b, privateChat(101), FARE_QUESTION))).toContain("20.000");
    expect((await auditLines(b)).map((e) => `${e.action}:${e.result}:${e.detail}`)).toEqual([
      "reload:ok:unchanged",
      `reload:ok:${b.service.index.location}`,
    ]);
  });
});

describe("/feeds", () => {
  it("adds a local RSS feed, lists it by number and removes it", async () => {
    server = await serve();
    const s = server;
    s.routes.set(
      "/rss.xml",
      send(
        `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Báo Thử &amp; Bạn</title><link>${s.url("/")}</link><description>Tin</description>
<item><guid>bt-1</guid><link>${s.url("/tin/1.html")}</link><title>Một</title><description>Tin một.</description></item></channel></rss>`,
        "application/rss+xml",
      ),
    );
    bot = await startAdminBot({ FETCH_ALLOW_PRIVATE: "true" });
    const b = bot;
    const url = s.url("/rss.xml");

    expect(visible(await say(b, adminChat, "/feeds"))).toBe("Chưa có nguồn RSS/Atom nào. Thêm bằng /feeds add https://…/rss.");
    expect(visible(await say(b, adminChat, `/feeds add ${url}`))).toBe("✅ Đã thêm nguồn số 1: Báo Thử & Bạn (1 mục). Bot sẽ đọc nguồn này định kỳ.");
    expect(visible(await say(b, adminChat, "/feeds"))).toBe("Nguồn RSS/Atom (1), đọc định kỳ:\n1. Báo Thử & Bạn — chưa đọc lần nào");
    expect(visible(await say(b, adminChat, "/feeds remove 2")).split("\n")[0]).toBe(`⛔ ${vi.refusals["no-such-feed"]}`);
    expect(visible(await say(b, adminChat, "/feeds remove 1"))).toBe(`🗑 Đã bỏ nguồn ${url}. Các bài đã lấy từ nguồn này vẫn được giữ.`);
    expect(visible(await say(b, adminChat, "/feeds drop 1"))).toBe(
      "Dùng /feeds (danh sách), /feeds add https://…/rss hoặc /feeds remove số.",
    );
  });
});

describe("command menu", () => {
  it("registers the admin commands in each admin's chat scope only, in both languages", async () => {
    bot = await startAdminBot();
    const b = bot;
    await registerCommands(b.bot, { adminIds: b.config.telegram.adminIds, adminCommands: adminCommands() });
    const calls = b.api.callsTo("setMyCommands").map((c) => ({
      scope: c.params.scope ?? null,
      language: c.params.language_code ?? null,
      commands: (c.params.commands as Array<{ command: string }>).map((x) => x.command),
    }));
    const publicOnly = ["start", "help", "ask", "search", "source", "about"];
    const withAdmin = [...publicOnly, ...ADMIN_COMMANDS];
    expect(calls).toEqual([
      { scope: null, language: null, commands: publicOnly },
      { scope: null, language: "en", commands: publicOnly },
      { scope: { type: "chat", chat_id: ADMIN.id }, language: null, commands: withAdmin },
      { scope: { type: "chat", chat_id: ADMIN.id }, language: "en", commands: withAdmin },
      { scope: { type: "chat", chat_id: SECOND_ADMIN.id }, language: null, commands: withAdmin },
      { scope: { type: "chat", chat_id: SECOND_ADMIN.id }, language: "en", commands: withAdmin },
    ]);
    const described = b.api.callsTo("setMyCommands")[3]!.params.commands as Array<{ command: string; description: string }>;
    expect(described.find((c) => c.command === "reindex")?.description).toBe(uiStrings("en").adminCommands.reindex);
  });
});
