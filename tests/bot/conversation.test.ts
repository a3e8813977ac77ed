/**
 * The conversation end to end: the real grammY client, runner and plugins against the fake Bot
 * API over HTTP, answering from a real QaService over a small Vietnamese corpus.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { QaService } from "../../src/app";
import { uiStrings } from "../../src/bot";
import { groupChat, privateChat, user } from "../helpers/fake-bot-api";
import { stripDiacritics, stripEveryOtherWord } from "../../src/eval/run";
import { parseTelegramHtml } from "../helpers/telegram-html";
import {
  answered,
  BOT_CORPUS,
  blockquotes,
  buttons,
  isSent,
  LONG_QUESTION,
  longCorpus,
  NOT_FOUND_QUESTION,
  openService,
  RICE_QUESTION,
  sentMessage,
  startBot,
  visible,
  type Harness,
} from "./harness";

const vi = uiStrings("vi");
const en = uiStrings("en");
const luaGao = BOT_CORPUS.find((a) => a.id === "lua-gao")!;

let service: QaService;
let cleanup: () => Promise<void>;
let h: Harness;
beforeAll(async () => ({ service, cleanup } = await openService()));
afterAll(() => cleanup?.());
afterEach(() => h?.close());

describe("a question in a private chat", () => {
  it("is answered with quotes in blockquotes, numbered sources and buttons, after a typing indicator", async () => {
    h = await startBot({ service });
    const chat = privateChat(42);
    h.api.sendText({ chat, text: RICE_QUESTION });
    const call = await h.api.waitFor(isSent(42));

    const typing = h.api.callsTo("sendChatAction").at(-1)!;
    expect(typing.params).toMatchObject({ chat_id: 42, action: "typing" });
    expect(typing.index).toBeLessThan(call.index);

    expect(call.params.parse_mode).toBe("HTML");
    // What the service answers (the retrieval's own tests pin that down); the bot must show all of it.
    const expected = await service.ask(RICE_QUESTION);
    expect(expected.citations[0]!.articleId).toBe("lua-gao");
    const html = String(call.params.text);
    expect(blockquotes(html)).toEqual(expected.parts.map((p) => p.quote.text)); // verbatim, in order
    const text = visible(call);
    // A factual question: one source, its [n] closing the quote (inside the blockquote, not on a line of its own).
    expect(expected.citations).toHaveLength(1);
    for (const part of expected.parts) expect(text).toContain(`${part.quote.text} [${part.citation}]\n`);
    const sources = expected.citations.map((c) => `[${c.n}] ${c.title} — ${c.publishedAt!.slice(8, 10)}/${c.publishedAt!.slice(5, 7)}/${c.publishedAt!.slice(0, 4)}`);
    expect(text.endsWith(`\n\nNguồn\n${sources.join("\n")}`)).toBe(true);
    expect(sources[0]).toBe("[1] Giá lúa gạo tăng mạnh ở đồng bằng sông Cửu Long — 15/08/2023");

    const { entities } = parseTelegramHtml(html);
    const links = entities.flatMap((e) => (e.type === "text_link" ? [e.url] : []));
    expect(links).toEqual(expected.citations.map((c) => c.url));
    expect(links[0]).toBe("https://example.vn/gia-lua-gao");
    // The answer in bold, the question's words (whole words) in italics; question words stay plain.
    const shown = (type: string) => entities.filter((e) => e.type === type).map((e) => text.slice(e.offset, e.offset + e.length));
    expect(shown("bold")).toEqual(["8.000 đồng", "Nguồn"]);
    expect(shown("italic")).toEqual(["Giá lúa", "An Giang"]);

    expect(buttons(call)).toEqual([
      ...expected.citations.map((c) => ({ text: expect.stringMatching(new RegExp(`^\\[${c.n}\\] `)), data: expect.stringMatching(/^s:/) })),
      { text: vi.moreResults, data: expect.stringMatching(/^v:.*:1$/) },
    ]);
    expect(buttons(call)[0]!.text).toMatch(/^\[1\] Giá lúa gạo/);
  });

  it("opens a source in place, pages through more results, and goes back", async () => {
    h = await startBot({ service });
    const chat = privateChat(42);
    h.api.sendText({ chat, text: RICE_QUESTION });
    const first = await h.api.waitFor(isSent(42));
    const message = sentMessage(first);
    const press = async (text: string) => {
      h.api.pressButton({ message, text });
      const edit = await h.api.waitFor(answered("editMessageText"));
      const ack = await h.api.waitFor(answered("answerCallbackQuery"));
      expect(ack.params.text).toBeUndefined(); // a plain acknowledgement, not an error
      return edit;
    };

    // The source, in place: header, paragraph, the quote in bold, a Back button.
    const source = await press(buttons(first)[0]!.text);
    const sourceText = visible(source);
    expect(sourceText).toMatch(/^Giá lúa gạo tăng mạnh ở đồng bằng sông Cửu Long\n15\/08\/2023\nĐọc bài gốc\n\n/);
    expect(sourceText).toContain(luaGao.body.split("\n")[0]);
    const { text, entities } = parseTelegramHtml(String(source.params.text));
    const bold = entities.filter((e) => e.type === "bold").map((e) => text.slice(e.offset, e.offset + e.length));
    expect(bold).toContain(blockquotes(String(first.params.text))[0]);
    expect(buttons(source)).toEqual([{ text: vi.back, data: expect.stringMatching(/^v:.*:0$/) }]);

    // Back: the answer exactly as it was, with its buttons.
    const back = await press(vi.back);
    expect(back.params.text).toBe(first.params.text);
    expect(buttons(back)).toEqual(buttons(first));

    // More results: three pages of further passages, each with buttons to open them.
    const page1 = await press(vi.moreResults);
    const pages = Number(/^Kết quả khác \(trang 1\/(\d+)\)\n\n1\. /.exec(visible(page1))?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2); // the corpus has six more rice articles
    expect(blockquotes(String(page1.params.text))).toHaveLength(3);
    expect(buttons(page1).map((b) => b.text)).toEqual([expect.stringMatching(/^1\. /), expect.stringMatching(/^2\. /), expect.stringMatching(/^3\. /), vi.back, vi.moreResults]);
    const page2 = await press(vi.moreResults);
    expect(visible(page2)).toMatch(new RegExp(`^Kết quả khác \\(trang 2/${pages}\\)\n\n4\\. `));

    // A passage from page 2, then Back to page 2 (not to the answer).
    const passageButton = buttons(page2)[0]!;
    const passage = await press(passageButton.text);
    const passageTitle = passageButton.text.replace(/^4\. /, "").replace(/…$/, "");
    expect(visible(passage).startsWith(passageTitle)).toBe(true);
    expect(buttons(passage)).toEqual([{ text: vi.back, data: expect.stringMatching(/:2$/) }]);
    expect((await press(vi.back)).params.text).toBe(page2.params.text);
    expect((await press(vi.back)).params.text).toBe(first.params.text);

    // Every press was answered exactly once.
    const presses = h.api.callsTo("answerCallbackQuery");
    expect(presses).toHaveLength(7);
    expect(new Set(presses.map((c) => c.params.callback_query_id)).size).toBe(7);
  });

  it("splits a very long answer into valid messages of at most 4096 characters, buttons on the last", async () => {
    const long = await openService(longCorpus(), { ANSWER_MAX_SOURCES: "10", ANSWER_MAX_QUOTES_PER_SOURCE: "10", ANSWER_MAX_QUOTED_CHARS: "100000" });
    try {
      h = await startBot({ service: long.service });
      h.api.sendText({ chat: privateChat(42), text: LONG_QUESTION });
      const last = await h.api.waitFor((c) => isSent(42)(c) && buttons(c).length > 0);
      const sends = h.api.callsTo("sendMessage").filter((c) => c.index <= last.index);
      expect(sends.length).toBeGreaterThanOrEqual(2);
      for (const c of sends) {
        expect(c.response?.ok).toBe(true); // the fake refuses bad HTML and over-long text
        expect(String(c.params.text).length).toBeLessThanOrEqual(4096);
      }
      expect(sends.slice(0, -1).every((c) => buttons(c).length === 0)).toBe(true);
      const expected = (await long.service.ask(LONG_QUESTION)).parts.map((p) => p.quote.text);
      expect(expected.length).toBeGreaterThanOrEqual(8);
      expect(sends.flatMap((c) => blockquotes(String(c.params.text)))).toEqual(expected); // whole quotes, in order
      expect(visible(last)).toMatch(/(^|\n)Nguồn\n\[1\] Hạn mặn ở [^\n]*$/); // the sources list in one piece
    } finally {
      await h.close();
      await long.cleanup();
    }
  });

  it("says plainly when the corpus has no answer, offering the nearest headlines", async () => {
    h = await startBot({ service });
    h.api.sendText({ chat: privateChat(42), text: NOT_FOUND_QUESTION });
    const call = await h.api.waitFor(isSent(42));
    expect(visible(call)).toBe("Không tìm thấy câu trả lời cho câu hỏi này trong kho bài viết.\n\nCác bài gần nhất:");
    const headlines = buttons(call);
    expect(headlines.length).toBeGreaterThan(0);
    expect(headlines.length).toBeLessThanOrEqual(3);
    expect(headlines.every((b) => b.data.startsWith("h:"))).toBe(true);

    h.api.pressButton({ message: sentMessage(call), data: headlines[0]!.data });
    const opened = await h.api.waitFor(answered("editMessageText"));
    const title = headlines[0]!.text.replace(/^📰 /, "").replace(/…$/, "");
    expect(visible(opened).startsWith(title)).toBe(true);
    h.api.pressButton({ message: sentMessage(call), text: vi.back });
    expect((await h.api.waitFor(answered("editMessageText"))).params.text).toBe(call.params.text);
  });

  it.each([
    ["wholly", stripDiacritics(RICE_QUESTION)],
    ["partly", stripEveryOtherWord(RICE_QUESTION)],
  ])("answers a question typed %s without diacritics from the same source, in Vietnamese", async (_, question) => {
    expect(question).not.toBe(RICE_QUESTION);
    h = await startBot({ service });
    h.api.sendText({ chat: privateChat(42), text: question });
    const call = await h.api.waitFor(isSent(42));
    const text = visible(call);
    expect(text).toMatch(/\n\nNguồn\n\[1\] Giá lúa gạo tăng mạnh ở đồng bằng sông Cửu Long — 15\/08\/2023(\n|$)/);
    const { entities } = parseTelegramHtml(String(call.params.text));
    const bold = entities.filter((e) => e.type === "bold").map((e) => text.slice(e.offset, e.offset + e.length));
    expect(bold).toEqual(["8.000 đồng", "Nguồn"]);
  });

  it("speaks English to an English-language Telegram client", async () => {
    h = await startBot({ service });
    const chat = privateChat(43, { language_code: "en-GB" });
    h.api.sendText({ chat, text: "/start" });
    const start = await h.api.waitFor(isSent(43));
    expect(visible(start)).toMatch(/^Hello! I answer questions by quoting sentences verbatim from the newsroom's 10 articles \(from 2022-05-21 to 2024-07-10\)/);
    h.api.sendText({ chat, text: RICE_QUESTION });
    const answer = await h.api.waitFor(isSent(43));
    expect(visible(answer)).toMatch(/\n\nSources\n\[1\] Giá lúa gạo tăng mạnh ở đồng bằng sông Cửu Long — 2023-08-15(\n|$)/);
    expect(buttons(answer).at(-1)!.text).toBe(en.moreResults);
  });
});

describe("a follow-up question", () => {
  // Every rice-market article quotes its traders; the follow-up means the province just asked about.
  const FOLLOW_UP = "Thương lái cho biết nhu cầu thu mua thế nào?";
  const SOC_TRANG = "Giá lúa ở Sóc Trăng là bao nhiêu?";
  const firstSource = (call: Parameters<typeof visible>[0]) => /\nNguồn\n\[1\] ([^—]+) —/.exec(visible(call))?.[1]?.trim();

  it("is answered from the article of the answer before it, for half an hour, in a private chat", async () => {
    const alone = await service.ask(FOLLOW_UP);
    expect(alone.citations[0]!.title).not.toBe("Thị trường lúa gạo ở Sóc Trăng");
    let now = Date.UTC(2024, 6, 1, 9);
    h = await startBot({ service, clock: () => now });
    const chat = privateChat(44);

    h.api.sendText({ chat, text: SOC_TRANG });
    expect(firstSource(await h.api.waitFor(isSent(44)))).toBe("Thị trường lúa gạo ở Sóc Trăng");
    now += 29 * 60_000;
    h.api.sendText({ chat, text: FOLLOW_UP });
    expect(firstSource(await h.api.waitFor(isSent(44)))).toBe("Thị trường lúa gạo ở Sóc Trăng");

    now += 31 * 60_000;
    h.api.sendText({ chat, text: FOLLOW_UP });
    expect(firstSource(await h.api.waitFor(isSent(44)))).toBe(alone.citations[0]!.title);
  });

  it("in a group, follows the answer it replies to, and only then", async () => {
    const alone = await service.ask(FOLLOW_UP);
    h = await startBot({ service });
    const group = groupChat(-100200);
    const alice = user(7);
    h.api.sendText({ chat: group, from: alice, text: `/ask ${SOC_TRANG}` });
    const answer = await h.api.waitFor(isSent(group.id));
    expect(firstSource(answer)).toBe("Thị trường lúa gạo ở Sóc Trăng");

    // Someone else asks in the group: the latest answer there was not theirs.
    h.api.sendText({ chat: group, from: user(8), text: `/ask ${FOLLOW_UP}` });
    expect(firstSource(await h.api.waitFor(isSent(group.id)))).toBe(alone.citations[0]!.title);

    h.api.pushUpdate({
      message: { message_id: 9100, date: Math.floor(Date.now() / 1000), chat: group, from: alice, text: FOLLOW_UP, reply_to_message: sentMessage(answer) as never },
    });
    const followed = await h.api.waitFor(isSent(group.id));
    expect(followed.params.reply_parameters).toMatchObject({ message_id: 9100 });
    expect(firstSource(followed)).toBe("Thị trường lúa gạo ở Sóc Trăng");
  });
});

describe("commands", () => {
  it("/start and /help explain the bot in Vietnamese by default; /about names the model and index", async () => {
    h = await startBot({ service });
    const chat = privateChat(42);
    h.api.sendText({ chat, text: "/start" });
    const start = visible(await h.api.waitFor(isSent(42)));
    expect(start).toContain("10 bài viết của toà soạn (từ 21/05/2022 đến 10/07/2024)");
    expect(start).toContain("Mưa lũ gây sạt lở đất ở Lạng Sơn"); // the most recent headline as an example
    h.api.sendText({ chat, text: "/help" });
    expect(visible(await h.api.waitFor(isSent(42)))).toContain("@newsroom_test_bot câu hỏi");
    h.api.sendText({ chat, text: "/about" });
    const about = visible(await h.api.waitFor(isSent(42)));
    expect(about).toContain("Tìm kiếm ngữ nghĩa: tắt (test)");
    expect(about).toContain(`Chỉ mục xây dựng lúc: ${service.index.version}`);
  });

  it("/search shows the raw passages with scores, ids and offsets", async () => {
    h = await startBot({ service });
    h.api.sendText({ chat: privateChat(42), text: "/search giá lúa An Giang" });
    const call = await h.api.waitFor(isSent(42));
    const text = visible(call);
    const top = (await service.search("giá lúa An Giang"))[0]!;
    expect(text).toContain(`1. lua-gao #0 [${top.chunk.start}–${top.chunk.end})\nđiểm ${top.score.toFixed(3)} · từ khoá ${top.lexical.toFixed(3)} · ngữ nghĩa —`);
    expect(blockquotes(String(call.params.text))[0]).toBe(luaGao.body.slice(top.chunk.start, top.chunk.end));
  });

  it("/source opens a citation of the last answer or an article by id", async () => {
    h = await startBot({ service });
    const chat = privateChat(42);
    h.api.sendText({ chat, text: "/source 1" });
    expect(visible(await h.api.waitFor(isSent(42)))).toBe("Không tìm thấy nguồn «1». Dùng số nguồn trong câu trả lời gần nhất hoặc mã bài.");
    h.api.sendText({ chat, text: RICE_QUESTION });
    await h.api.waitFor(isSent(42));
    h.api.sendText({ chat, text: "/source 1" });
    expect(visible(await h.api.waitFor(isSent(42)))).toMatch(/^Giá lúa gạo tăng mạnh ở đồng bằng sông Cửu Long\n15\/08\/2023\nĐọc bài gốc\n\nGiá lúa tại An Giang/);
    h.api.sendText({ chat, text: "/source bong-da" });
    expect(visible(await h.api.waitFor(isSent(42)))).toMatch(/^Đội tuyển bóng đá nữ giành huy chương vàng SEA Games\n21\/05\/2022\n\nTối qua/);
    h.api.sendText({ chat, text: "/source" });
    expect(visible(await h.api.waitFor(isSent(42)))).toContain("/source 1");
  });

  it("hints at /help for unknown commands and non-text messages in private chats", async () => {
    h = await startBot({ service });
    const chat = privateChat(42);
    h.api.sendText({ chat, text: "/frobnicate" });
    expect(visible(await h.api.waitFor(isSent(42)))).toBe(vi.unknownCommand);
    h.api.uploadDocument({ chat, fileName: "a.txt", content: Buffer.from("x") });
    expect(visible(await h.api.waitFor(isSent(42)))).toBe(vi.textOnly);
  });
});

describe("inline mode", () => {
  it("offers the answer's quotes, each inserting the quote with its source", async () => {
    h = await startBot({ service });
    h.api.inlineQuery({ from: user(50), query: RICE_QUESTION });
    const call = await h.api.waitFor(answered("answerInlineQuery"));
    const results = call.params.results as Array<{ type: string; id: string; title: string; input_message_content: { message_text: string; parse_mode: string } }>;
    expect(results.length).toBeGreaterThan(0);
    expect(results.length).toBeLessThanOrEqual(10);
    const first = results[0]!;
    expect(first).toMatchObject({ type: "article", title: luaGao.title, input_message_content: { parse_mode: "HTML" } });
    const inserted = parseTelegramHtml(first.input_message_content.message_text).text;
    const [quote] = blockquotes(first.input_message_content.message_text);
    expect(luaGao.body).toContain(quote);
    expect(inserted).toBe(`${quote}\n— ${luaGao.title}, 15/08/2023`);
  });

  it("answers an empty query with no results", async () => {
    h = await startBot({ service });
    h.api.inlineQuery({ from: user(50), query: "  " });
    expect((await h.api.waitFor(answered("answerInlineQuery"))).params.results).toEqual([]);
  });
});
