/**
 * Proves the fake Bot API against the real grammY client, runner and auto-retry: if these pass,
 * a bot test that uses the fake exercises the same wire protocol Telegram would.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { Bot, GrammyError, HttpError, InlineKeyboard, InputFile } from "grammy";
import type { Message } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { type Call, type FakeBotApi, groupChat, privateChat, startFakeBotApi, user } from "./fake-bot-api";

const escapeHtml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

interface Harness {
  api: FakeBotApi;
  bot: Bot;
  /** Errors that reached bot.catch. */
  errors: unknown[];
  /** Starts long polling with @grammyjs/runner; stopped in afterEach. */
  start(): RunnerHandle;
}

let cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function harness(): Promise<Harness> {
  const api = await startFakeBotApi();
  const bot = new Bot(api.token, { botInfo: api.botInfo, client: { apiRoot: api.apiRoot } });
  const errors: unknown[] = [];
  bot.catch((error) => errors.push(error.error));
  let runner: RunnerHandle | undefined;
  cleanups.push(async () => {
    // The runner first, then the server: a running runner would keep polling a closed port.
    if (runner !== undefined) await runner.stop();
    await api.close();
  });
  return {
    api,
    bot,
    errors,
    start: () => (runner = run(bot)),
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<GrammyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof GrammyError)) throw new Error(`expected a GrammyError, got ${String(error)}`);
  return error;
}

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const alice = privateChat(1001, { first_name: "Alice", language_code: "vi" });

describe("fake Bot API with the real grammY client", () => {
  it("delivers an update over long polling and records the HTML reply with its keyboard", async () => {
    const { api, bot, errors, start } = await harness();
    bot.on("message:text", (ctx) =>
      ctx.reply(`<b>Answer</b> to <i>${escapeHtml(ctx.message.text)}</i> (${ctx.from.language_code})`, {
        parse_mode: "HTML",
        reply_markup: new InlineKeyboard().text("More", "more:1").url("Source", "https://news.test/a/1"),
      }),
    );
    start();

    const question = api.sendText({ chat: alice, text: "rice & <prices>" });
    const call = await api.waitFor("sendMessage");

    expect(call.response).toMatchObject({ ok: true });
    expect(call.params).toMatchObject({ chat_id: alice.id, parse_mode: "HTML" });
    const [reply] = api.sentMessages(alice.id);
    expect(reply).toMatchObject({
      message_id: question.message_id + 1,
      from: { id: api.botInfo.id, is_bot: true, username: "newsroom_test_bot" },
      chat: alice,
      text: "Answer to rice & <prices> (vi)",
      entities: [
        { type: "bold", offset: 0, length: 6 },
        { type: "italic", offset: 10, length: 15 },
      ],
      reply_markup: {
        inline_keyboard: [
          [
            { text: "More", callback_data: "more:1" },
            { text: "Source", url: "https://news.test/a/1" },
          ],
        ],
      },
    });
    expect(errors).toEqual([]);
  });

  it("marks a leading /command so bot.command handlers run, in private chats and groups", async () => {
    const { api, bot, start } = await harness();
    bot.command("start", (ctx) => ctx.reply(`hello ${ctx.chat.type}`));
    start();

    const group = groupChat(-100200, { type: "supergroup" });
    const bob = user(2002, { username: "bob" });
    expect(api.sendText({ chat: alice, text: "/start" }).entities).toEqual([{ type: "bot_command", offset: 0, length: 6 }]);
    await api.waitFor("sendMessage");
    api.sendText({ chat: group, from: bob, text: "/start@newsroom_test_bot now" });
    await api.waitFor("sendMessage");

    expect(api.sentMessages(alice.id).map((m) => m.text)).toEqual(["hello private"]);
    expect(api.sentMessages(group.id).map((m) => m.text)).toEqual(["hello supergroup"]);
    expect(() => api.sendText({ chat: group, text: "hi" })).toThrow(/give `from`/);
  });

  it.each([
    ["<b>x</i>", /can't parse entities: Unmatched end tag/],
    ["<div>x</div>", /can't parse entities: Unsupported start tag "div"/],
    ["1 < 2", /can't parse entities: Unsupported start tag ""/],
    ["AT&T", /can't parse entities: Unsupported character reference/],
    ["<b>open", /can't parse entities: Can't find end tag/],
  ])("rejects invalid HTML %j with 400", async (html, description) => {
    const { api, bot } = await harness();
    api.addChat(alice);
    const error = await rejectionOf(bot.api.sendMessage(alice.id, html, { parse_mode: "HTML" }));
    expect(error.error_code).toBe(400);
    expect(error.description).toMatch(/^Bad Request: /);
    expect(error.description).toMatch(description);
    expect(api.sentMessages(alice.id)).toEqual([]);
  });

  it("limits texts to 4096 visible UTF-16 units after entity parsing, and refuses empty ones", async () => {
    const { api, bot } = await harness();
    api.addChat(alice);
    const tooLong = (text: string, html = false): Promise<GrammyError> =>
      rejectionOf(bot.api.sendMessage(alice.id, text, html ? { parse_mode: "HTML" } : {}));

    expect((await tooLong("a".repeat(4097))).description).toBe("Bad Request: message is too long");
    expect((await tooLong("😀".repeat(2049))).description).toBe("Bad Request: message is too long"); // 4098 units
    expect((await tooLong(`<b>${"&amp;".repeat(4097)}</b>`, true)).description).toBe("Bad Request: message is too long");
    expect((await tooLong(" \n ")).description).toBe("Bad Request: message text is empty");
    expect((await tooLong("<b></b>", true)).description).toBe("Bad Request: message text is empty");

    // Markup does not count: 4096 visible characters in far more raw ones are fine.
    const sent = await bot.api.sendMessage(alice.id, `<b>${"&amp;".repeat(4096)}</b>`, { parse_mode: "HTML" });
    expect(sent.text).toHaveLength(4096);
    await bot.api.sendMessage(alice.id, "😀".repeat(2048));
  });

  it("refuses callback_data over 64 bytes and buttons without exactly one action", async () => {
    const { api, bot } = await harness();
    api.addChat(alice);
    const withButtons = (inline_keyboard: unknown): Promise<Message.TextMessage> =>
      bot.api.sendMessage(alice.id, "pick", { reply_markup: { inline_keyboard } as never });

    const invalid = await rejectionOf(withButtons([[{ text: "x", callback_data: "é".repeat(33) }]])); // 66 bytes, 33 chars
    expect(invalid.description).toBe("Bad Request: BUTTON_DATA_INVALID");
    expect((await rejectionOf(withButtons([[{ text: "x", callback_data: "" }]]))).description).toBe("Bad Request: BUTTON_DATA_INVALID");
    expect((await rejectionOf(withButtons([[{ text: "x" }]]))).description).toMatch(/Text buttons are unallowed/);
    expect((await rejectionOf(withButtons([[{ text: "x", callback_data: "a", url: "https://x.test" }]]))).description).toMatch(
      /exactly one of .*callback_data and url|exactly one of .*url and callback_data/,
    );
    await withButtons([[{ text: "x", callback_data: "é".repeat(32) }]]); // exactly 64 bytes
  });

  it("delivers a button press and accepts one answerCallbackQuery, then edits the message", async () => {
    const { api, bot, errors, start } = await harness();
    bot.command("ask", (ctx) => ctx.reply("Page 1", { reply_markup: new InlineKeyboard().text("Next", "page:2") }));
    bot.callbackQuery(/^page:(\d+)$/, async (ctx) => {
      await ctx.answerCallbackQuery({ text: "Loading" });
      await ctx.editMessageText(`Page ${ctx.match[1]}`);
    });
    start();

    api.sendText({ chat: alice, text: "/ask" });
    const sent = (await api.waitFor("sendMessage")).response;
    if (sent?.ok !== true) throw new Error("sendMessage failed");
    const message = sent.result as Message;

    const press = api.pressButton({ message, data: "page:2" });
    expect(press).toMatchObject({ from: { id: alice.id, language_code: "vi" }, data: "page:2", message: { message_id: message.message_id } });
    const answer = await api.waitFor("answerCallbackQuery");
    expect(answer.params).toMatchObject({ callback_query_id: press.id, text: "Loading" });
    expect(answer.response).toEqual({ ok: true, result: true });
    await api.waitFor("editMessageText");

    const edited = api.message(alice.id, message.message_id);
    expect(edited).toMatchObject({ text: "Page 2", edit_date: expect.any(Number) });
    expect(edited?.reply_markup).toBeUndefined(); // an edit without reply_markup drops the keyboard
    expect(errors).toEqual([]);

    // A query is answered once; the keyboard is gone, so the button can no longer be pressed.
    const again = await rejectionOf(bot.api.answerCallbackQuery(press.id));
    expect(again.description).toBe("Bad Request: query is too old and response timeout expired or query ID is invalid");
    expect(() => api.pressButton({ message, data: "page:2" })).toThrow(/no callback button with data "page:2"; it shows: no buttons/);

    const unchanged = await rejectionOf(bot.api.editMessageText(alice.id, message.message_id, "Page 2"));
    expect(unchanged.description).toMatch(/^Bad Request: message is not modified/);
    const missing = await rejectionOf(bot.api.editMessageText(alice.id, 999, "x"));
    expect(missing.description).toBe("Bad Request: message to edit not found");

    const back = { reply_markup: new InlineKeyboard().text("Back", "page:1") };
    await expect(bot.api.editMessageReplyMarkup(alice.id, message.message_id, back)).resolves.toMatchObject({
      reply_markup: { inline_keyboard: [[{ text: "Back", callback_data: "page:1" }]] },
    });
    const sameMarkup = await rejectionOf(bot.api.editMessageReplyMarkup(alice.id, message.message_id, back));
    expect(sameMarkup.description).toMatch(/^Bad Request: message is not modified/);
    expect(api.pressButton({ message, text: "Back" }).data).toBe("page:1");
    await api.waitFor("editMessageText");
    expect(api.message(alice.id, message.message_id)?.text).toBe("Page 1");

    await bot.api.deleteMessage(alice.id, message.message_id);
    expect(api.sentMessages(alice.id)).toEqual([]);
  });

  it("refuses to answer a callback query older than the limit", async () => {
    let now = Date.now();
    const api = await startFakeBotApi({ now: () => now, queryMaxAgeMs: 1000 });
    cleanups.push(() => api.close());
    const bot = new Bot(api.token, { botInfo: api.botInfo, client: { apiRoot: api.apiRoot } });
    const message = await (async () => {
      api.addChat(alice);
      return bot.api.sendMessage(alice.id, "x", { reply_markup: new InlineKeyboard().text("Go", "go") });
    })();
    const press = api.pressButton({ message, text: "Go" });
    now += 1001;
    expect((await rejectionOf(bot.api.answerCallbackQuery(press.id))).error_code).toBe(400);
  });

  it("lets @grammyjs/auto-retry wait out an injected 429 and succeed", async () => {
    const { api, bot, errors, start } = await harness();
    bot.api.config.use(autoRetry());
    bot.on("message:text", (ctx) => ctx.reply("after the wait"));
    api.failNext("sendMessage", {
      error_code: 429,
      description: "Too Many Requests: retry after 1",
      parameters: { retry_after: 1 },
    });
    start();

    api.sendText({ chat: alice, text: "hi" });
    const success = await api.waitFor((call) => call.method === "sendMessage" && call.response?.ok === true);

    const attempts = api.callsTo("sendMessage");
    expect(attempts.map((c) => c.response)).toEqual([
      { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } },
      expect.objectContaining({ ok: true }),
    ]);
    expect(success.time - attempts[0]!.time).toBeGreaterThanOrEqual(1000);
    expect(errors).toEqual([]);
  });

  it("injects 500s and dropped connections as GrammyError and HttpError", async () => {
    const { api, bot } = await harness();
    api.addChat(alice);
    api.failNext("sendMessage", { error_code: 500, description: "Internal Server Error" });
    api.failNext("sendChatAction", { dropConnection: true });

    expect((await rejectionOf(bot.api.sendMessage(alice.id, "x"))).error_code).toBe(500);
    await expect(bot.api.sendChatAction(alice.id, "typing")).rejects.toBeInstanceOf(HttpError);
    await bot.api.sendMessage(alice.id, "x"); // only the next call fails
    expect((await rejectionOf(bot.api.sendChatAction(alice.id, "dancing" as never))).description).toBe(
      "Bad Request: wrong parameter action in request",
    );
  });

  it("answers a held long poll as soon as an update is pushed", async () => {
    const { api, bot, start } = await harness();
    let handledAt = 0;
    bot.on("message", () => {
      handledAt = Date.now();
    });
    start();
    await until(() => api.isPolling());
    await new Promise((r) => setTimeout(r, 100)); // the poll really is waiting, not just arriving

    const pushedAt = Date.now();
    api.sendText({ chat: alice, text: "now" });
    await until(() => handledAt > 0);
    expect(handledAt - pushedAt).toBeLessThan(300);
    expect(api.callsTo("getUpdates")[0]?.params).toMatchObject({ timeout: 30 });
  });

  it("implements offset, limit, timeout and allowed_updates like getUpdates", async () => {
    const { api, bot } = await harness();
    const first = api.sendText({ chat: alice, text: "1" });
    api.sendText({ chat: alice, text: "2" });
    api.inlineQuery({ from: user(alice.id), query: "q" });

    const all = await bot.api.getUpdates({ timeout: 0 });
    expect(all.map((u) => u.update_id)).toEqual([1, 2, 3]);
    expect(all[0]?.message).toEqual(first);
    expect((await bot.api.getUpdates({ offset: 2, limit: 1 })).map((u) => u.update_id)).toEqual([2]);
    expect((await bot.api.getUpdates({ offset: 2, allowed_updates: ["message"] })).map((u) => u.update_id)).toEqual([2]);
    expect(await bot.api.getUpdates({ offset: 3 })).toEqual([]); // update 3 was an inline query, filtered out

    const startedAt = Date.now();
    expect(await bot.api.getUpdates({ offset: 3, timeout: 1 })).toEqual([]);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(950);

    // Two pollers at once: the older request ends with 409, as when two bot instances run.
    const older = rejectionOf(bot.api.getUpdates({ timeout: 5 }));
    await until(() => api.isPolling());
    const newer = bot.api.getUpdates({ timeout: 5 });
    expect((await older).error_code).toBe(409);
    api.sendText({ chat: alice, text: "4" });
    expect((await newer).map((u) => u.message?.text)).toEqual(["4"]);
  });

  it("stores commands per scope and language, and menu buttons per chat", async () => {
    const { api, bot } = await harness();
    api.addChat(alice);
    await bot.api.setMyCommands([{ command: "ask", description: "Ask a question" }]);
    await bot.api.setMyCommands([{ command: "hoi", description: "Đặt câu hỏi" }], { language_code: "vi" });
    await bot.api.setMyCommands([{ command: "ask", description: "Ask" }], { scope: { type: "all_group_chats" } });

    expect(await bot.api.getMyCommands()).toEqual([{ command: "ask", description: "Ask a question" }]);
    expect(await bot.api.getMyCommands({ language_code: "vi" })).toEqual([{ command: "hoi", description: "Đặt câu hỏi" }]);
    expect(await bot.api.getMyCommands({ scope: { type: "all_private_chats" } })).toEqual([]);
    await bot.api.deleteMyCommands({ language_code: "vi" });
    expect(await bot.api.getMyCommands({ language_code: "vi" })).toEqual([]);
    expect((await rejectionOf(bot.api.setMyCommands([{ command: "Ask!", description: "x" }]))).description).toBe(
      "Bad Request: BOT_COMMAND_INVALID",
    );

    await bot.api.setChatMenuButton({ chat_id: alice.id, menu_button: { type: "commands" } });
    expect(await bot.api.getChatMenuButton({ chat_id: alice.id })).toEqual({ type: "commands" });
    await bot.api.deleteWebhook({ drop_pending_updates: true });
    expect(api.unknownMethods).toEqual([]);
  });

  it("serves uploaded documents for download and accepts multipart uploads from the bot", async () => {
    const { api, bot, errors, start } = await harness();
    bot.on("message:document", async (ctx) => {
      const file = await ctx.getFile();
      const response = await fetch(`${api.apiRoot}/file/bot${api.token}/${file.file_path}`);
      const body = Buffer.from(await response.arrayBuffer());
      await ctx.replyWithDocument(new InputFile(body.reverse(), "reversed.txt"), {
        caption: `<b>${file.file_size} bytes</b>`,
        parse_mode: "HTML",
      });
    });
    start();

    const content = Buffer.from("# Lũ lụt\n"); // 12 bytes
    const upload = api.uploadDocument({ chat: alice, fileName: "story.md", content, mimeType: "text/markdown" });
    expect(upload.document).toMatchObject({ file_name: "story.md", mime_type: "text/markdown", file_size: 12 });
    const call = await api.waitFor("sendDocument");

    expect(call.response).toMatchObject({ ok: true });
    expect(call.params).toMatchObject({
      chat_id: alice.id,
      caption: "<b>12 bytes</b>",
      document: { kind: "uploaded-file", fileName: "reversed.txt" },
    });
    const [sent] = api.sentMessages(alice.id);
    expect(sent).toMatchObject({
      caption: "12 bytes",
      caption_entities: [{ type: "bold", offset: 0, length: 8 }],
      document: { file_name: "reversed.txt", mime_type: "text/plain" },
    });
    const stored = api.file(sent!.document!.file_id);
    expect(stored?.content).toEqual(Buffer.from(content).reverse());
    expect(api.callsTo("file")).toHaveLength(1);
    expect((await fetch(`${api.apiRoot}/file/bot${api.token}/documents/nope`)).status).toBe(404);
    expect(errors).toEqual([]);
  });

  it("validates answerInlineQuery results like messages", async () => {
    const { api, bot, start } = await harness();
    const article = (id: string, text: string) => ({
      type: "article" as const,
      id,
      title: id,
      input_message_content: { message_text: text, parse_mode: "HTML" as const },
    });
    bot.on("inline_query", (ctx) => ctx.answerInlineQuery([article("ok", "<b>fine</b>")]));
    start();

    const query = api.inlineQuery({ from: user(3003), query: "flood" });
    expect((await api.waitFor("answerInlineQuery")).response).toEqual({ ok: true, result: true });

    const tooMany = Array.from({ length: 51 }, (_, i) => article(`r${i}`, "x"));
    const failures = await Promise.all([
      rejectionOf(bot.api.answerInlineQuery(query.id, tooMany)),
      rejectionOf(bot.api.answerInlineQuery(query.id, [article("x".repeat(65), "x")])),
      rejectionOf(bot.api.answerInlineQuery(query.id, [article("bad", "<b>x")])),
      rejectionOf(bot.api.answerInlineQuery(query.id, [article("again", "x")])),
    ]);
    expect(failures.map((e) => e.description)).toEqual([
      "Bad Request: RESULTS_TOO_MUCH",
      "Bad Request: RESULT_ID_INVALID",
      expect.stringMatching(/^Bad Request: can't parse entities/),
      "Bad Request: query is too old and response timeout expired or query ID is invalid",
    ]);
  });

  it("answers unknown methods true and lists them", async () => {
    const { api, bot } = await harness();
    api.addChat(alice);
    await expect(bot.api.setMessageReaction(alice.id, 1, [{ type: "emoji", emoji: "👍" }])).resolves.toBe(true);
    expect(api.unknownMethods).toEqual(["setMessageReaction"]);
    expect((await rejectionOf(bot.api.sendMessage(999, "x"))).description).toBe("Bad Request: chat not found");
  });

  it("resolves replies to stored messages and refuses replies to unknown ones", async () => {
    const { api, bot } = await harness();
    const question = api.sendText({ chat: alice, text: "where?" });
    const answer = await bot.api.sendMessage(alice.id, "here", { reply_parameters: { message_id: question.message_id } });
    expect(answer.reply_to_message).toMatchObject({ message_id: question.message_id, text: "where?" });
    const missing = await rejectionOf(bot.api.sendMessage(alice.id, "x", { reply_parameters: { message_id: 99 } }));
    expect(missing.description).toBe("Bad Request: message to be replied not found");
  });

  it("times out waitFor with the calls the bot did make", async () => {
    const { api, bot, start } = await harness();
    bot.on("message", (ctx) => ctx.reply("<b>oops", { parse_mode: "HTML" }));
    start();
    api.sendText({ chat: alice, text: "hi" });
    const waited = api.waitFor((call: Call) => call.method === "sendMessage" && call.response?.ok === true, { timeoutMs: 300 });
    await expect(waited).rejects.toThrow(/#\d+ sendMessage .* → 400 Bad Request: can't parse entities/);
  });

  it("stops promptly: runner.stop() and close() release a held long poll and leave no sockets", async () => {
    const api = await startFakeBotApi();
    const bot = new Bot(api.token, { botInfo: api.botInfo, client: { apiRoot: api.apiRoot } });
    bot.catch(() => {});
    const runner = run(bot);
    await until(() => api.isPolling());

    const startedAt = Date.now();
    await runner.stop();
    await api.close();
    expect(Date.now() - startedAt).toBeLessThan(500);
    await until(() => !process.getActiveResourcesInfo().some((r) => r === "TCPSocketWrap" || r === "TCPServerWrap"), 1000);
  });
});
