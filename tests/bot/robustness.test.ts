/**
 * Groups, limits, failures and access, end to end against the fake Bot API.
 */
import type { Message } from "grammy/types";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { QaService } from "../../src/app";
import { uiStrings, type BotService } from "../../src/bot";
import { groupChat, privateChat, user } from "../helpers/fake-bot-api";
import { buildTestIndex } from "../helpers/small-index";
import { answered, BOT_CORPUS, buttons, isSent, memoryLogger, openService, RICE_QUESTION, sentMessage, startBot, visible, type Harness } from "./harness";

const vi = uiStrings("vi");
const en = uiStrings("en");

let service: QaService;
let cleanup: () => Promise<void>;
let h: Harness;
beforeAll(async () => ({ service, cleanup } = await openService()));
afterAll(() => cleanup?.());
afterEach(() => h?.close());

/** A service like `service` whose next `failures` answers throw. */
function failingService(base: QaService, failures: number, message: string): BotService {
  const wrapped = Object.create(base) as QaService;
  let left = failures;
  wrapped.askWithEvidence = async (...args) => {
    if (left-- > 0) throw new Error(message);
    return base.askWithEvidence(...args);
  };
  return wrapped;
}

describe("groups", () => {
  const group = groupChat(-100123);
  const alice = user(7);

  it("ignores chatter and commands for other bots, answers /ask, mentions and replies to the bot", async () => {
    h = await startBot({ service });
    const start = h.api.calls.length;
    const sendsSince = () => h.api.callsTo("sendMessage").filter((c) => c.index >= start);

    h.api.sendText({ chat: group, from: alice, text: "Giá lúa hôm nay thế nào mọi người?" });
    h.api.sendText({ chat: group, from: alice, text: "/ask@other_bot Giá lúa ở An Giang?" });
    const asked = h.api.sendText({ chat: group, from: alice, text: `/ask ${RICE_QUESTION}` });
    const answer = await h.api.waitFor(isSent(group.id));
    // Updates of one chat are handled in order: the two before /ask were seen and ignored.
    expect(sendsSince()).toHaveLength(1);
    expect(answer.params.reply_parameters).toMatchObject({ message_id: asked.message_id });
    expect(visible(answer)).toContain("[1] Giá lúa gạo tăng mạnh");
    expect(h.api.callsTo("sendChatAction").filter((c) => c.index >= start)).toHaveLength(1);

    const handle = `@${h.api.botInfo.username}`;
    const mention = h.api.sendText({
      chat: group,
      from: alice,
      text: `${handle} Hữu Lũng kết nạp bao nhiêu đảng viên?`,
      entities: [{ type: "mention", offset: 0, length: handle.length }],
    });
    const mentioned = await h.api.waitFor(isSent(group.id));
    expect(mentioned.params.reply_parameters).toMatchObject({ message_id: mention.message_id });
    expect(visible(mentioned)).toContain("[1] Nâng cao năng lực lãnh đạo");

    // A reply to another member's message is conversation; a reply to the bot is a question.
    const bob = user(8);
    const reply = (to: Message, text: string, id: number) =>
      h.api.pushUpdate({ message: { message_id: id, date: Math.floor(Date.now() / 1000), chat: group, from: bob, text, reply_to_message: to as never } });
    reply(mention, "Mưa lũ ở Lạng Sơn thì sao?", 9001);
    reply(sentMessage(mentioned), "Mưa lũ gây sạt lở đất ở Lạng Sơn thế nào?", 9002);
    const replied = await h.api.waitFor(isSent(group.id));
    expect(replied.params.reply_parameters).toMatchObject({ message_id: 9002 });
    expect(visible(replied)).toContain("[1] Mưa lũ gây sạt lở đất ở Lạng Sơn");
    expect(sendsSince()).toHaveLength(3);
  });
});

describe("rate limit", () => {
  it("answers the first message over the limit with a friendly note, then drops the rest of the minute", async () => {
    h = await startBot({ service, env: { RATE_LIMIT_PER_MINUTE: "2" } });
    const chat = privateChat(42);
    h.api.sendText({ chat, text: RICE_QUESTION });
    const first = await h.api.waitFor(isSent(42));
    h.api.sendText({ chat, text: RICE_QUESTION });
    await h.api.waitFor(isSent(42));
    h.api.sendText({ chat, text: RICE_QUESTION });
    const limited = await h.api.waitFor(isSent(42));
    expect(visible(limited)).toBe(vi.rateLimited);
    const after = limited.index;

    h.api.sendText({ chat, text: RICE_QUESTION });
    // Button presses are not limited; handled in order after the dropped message.
    h.api.pressButton({ message: sentMessage(first), text: buttons(first)[0]!.text });
    await h.api.waitFor(answered("editMessageText"));
    expect(h.api.callsTo("sendMessage").filter((c) => c.index > after)).toEqual([]);
  });

  it("does not count group chatter the bot ignores", async () => {
    h = await startBot({ service, env: { RATE_LIMIT_PER_MINUTE: "2" } });
    const group = groupChat(-5);
    for (let i = 0; i < 4; i++) h.api.sendText({ chat: group, from: user(7), text: `tin nhắn ${i}` });
    h.api.sendText({ chat: group, from: user(7), text: `/ask ${RICE_QUESTION}` });
    expect(visible(await h.api.waitFor(isSent(-5)))).toContain("[1] Giá lúa gạo");
  });
});

describe("failures", () => {
  it("waits out a 429 from Telegram and sends the answer", async () => {
    h = await startBot({ service });
    h.api.failNext("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    h.api.sendText({ chat: privateChat(42), text: RICE_QUESTION });
    const sent = await h.api.waitFor(isSent(42));
    const attempts = h.api.callsTo("sendMessage");
    expect(attempts.map((c) => c.response?.ok)).toEqual([false, true]);
    expect(attempts[0]!.params.text).toBe(sent.params.text);
    expect(sent.time - attempts[0]!.time).toBeGreaterThanOrEqual(900);
  });

  it("answers a failing update with a short sentence and keeps answering the next", async () => {
    const { logger, lines } = memoryLogger("info");
    h = await startBot({ service: failingService(service, 1, "index.bin unreadable at /srv/secret/embeddings"), logger });
    const chat = privateChat(42);
    h.api.sendText({ chat, text: RICE_QUESTION });
    const apology = await h.api.waitFor(isSent(42));
    expect(apology.params.text).toBe(vi.error);
    h.api.sendText({ chat, text: RICE_QUESTION });
    expect(visible(await h.api.waitFor(isSent(42)))).toContain("[1] Giá lúa gạo");
    const failure = lines().find((l) => l.msg === "update failed");
    expect(failure).toMatchObject({ level: 50, handler: "ask", chat_id: 42 });
  });

  it("answers a button press that fails with a short sentence too", async () => {
    const flaky = Object.create(service) as QaService;
    h = await startBot({ service: flaky });
    h.api.sendText({ chat: privateChat(42), text: RICE_QUESTION });
    const answer = await h.api.waitFor(isSent(42));
    h.api.failNext("editMessageText", { error_code: 400, description: "Bad Request: something unexpected" });
    h.api.pressButton({ message: sentMessage(answer), text: buttons(answer)[0]!.text });
    expect((await h.api.waitFor(answered("answerCallbackQuery"))).params.text).toBe(vi.error);
  });
});

describe("echoed input", () => {
  it("/source with a 4,080-character argument gets a reply Telegram accepts, repeating only the start of it", async () => {
    h = await startBot({ service });
    const chat = privateChat(31);
    // The longest message a user can send is 4,096 characters: "/source " and 4,088 more.
    const arg = `<${"x".repeat(4079)}`;
    const start = h.api.calls.length;
    h.api.sendText({ chat, text: `/source ${arg}` });
    const reply = await h.api.waitFor((c) => c.method === "sendMessage", { since: start, timeoutMs: 10_000 });
    expect(reply.response?.ok).toBe(true);
    expect(visible(reply)).toMatch(/^Không tìm thấy nguồn «<x+…»\. /);
    expect(visible(reply).length).toBeLessThan(300);
  });
});

describe("expired buttons", () => {
  it("says politely that a button from before a re-index has expired", async () => {
    const own = await openService();
    const next = await buildTestIndex(BOT_CORPUS);
    try {
      h = await startBot({ service: own.service });
      const chat = privateChat(42);
      h.api.sendText({ chat, text: RICE_QUESTION });
      const old = await h.api.waitFor(isSent(42));
      expect(next.index.version).not.toBe(own.service.index.version);
      own.service.swap(next.index);

      h.api.pressButton({ message: sentMessage(old), text: buttons(old)[0]!.text });
      const ack = await h.api.waitFor(answered("answerCallbackQuery"));
      expect(ack.params.text).toBe(vi.expired);
      expect(h.api.callsTo("editMessageText")).toEqual([]);

      // A new answer's buttons work on the new index.
      h.api.sendText({ chat, text: RICE_QUESTION });
      const fresh = await h.api.waitFor(isSent(42));
      h.api.pressButton({ message: sentMessage(fresh), text: buttons(fresh)[0]!.text });
      await h.api.waitFor(answered("editMessageText"));
    } finally {
      await h.close();
      await next.cleanup();
      await own.cleanup();
    }
  });

  it("expires the buttons of an answer evicted from memory, in the presser's language", async () => {
    h = await startBot({ service, contextCapacity: 1 });
    const chat = privateChat(44, { language_code: "en" });
    h.api.sendText({ chat, text: RICE_QUESTION });
    const first = await h.api.waitFor(isSent(44));
    h.api.sendText({ chat, text: "Hữu Lũng kết nạp bao nhiêu đảng viên?" });
    const second = await h.api.waitFor(isSent(44));

    h.api.pressButton({ message: sentMessage(first), text: buttons(first)[0]!.text });
    expect((await h.api.waitFor(answered("answerCallbackQuery"))).params.text).toBe(en.expired);
    h.api.pressButton({ message: sentMessage(second), text: buttons(second)[0]!.text });
    await h.api.waitFor(answered("editMessageText"));
  });
});

describe("allowlist", () => {
  it("refuses users and chats not on the list, answers those on it", async () => {
    h = await startBot({ service, env: { ALLOWED_USER_IDS: "42", ALLOWED_CHAT_IDS: "-777" } });
    h.api.sendText({ chat: privateChat(43), text: RICE_QUESTION });
    const refused = await h.api.waitFor(isSent(43));
    expect(refused.params.text).toBe(vi.notAllowed);
    expect(h.api.callsTo("sendChatAction")).toEqual([]); // no answering was started

    h.api.inlineQuery({ from: user(43), query: RICE_QUESTION });
    expect((await h.api.waitFor(answered("answerInlineQuery"))).params.results).toEqual([]);

    h.api.sendText({ chat: privateChat(42), text: RICE_QUESTION });
    expect(visible(await h.api.waitFor(isSent(42)))).toContain("[1] Giá lúa gạo");
    // Anyone in an allowed group may ask there.
    h.api.sendText({ chat: groupChat(-777), from: user(99), text: `/ask ${RICE_QUESTION}` });
    expect(visible(await h.api.waitFor(isSent(-777)))).toContain("[1] Giá lúa gạo");
  });
});

describe("logging", () => {
  it("logs one line per update with ids, handler, latency and sources; the question only at debug; never the token", async () => {
    const info = memoryLogger("info");
    h = await startBot({ service, logger: info.logger });
    h.api.sendText({ chat: privateChat(42), text: RICE_QUESTION });
    await h.api.waitFor(isSent(42));
    await h.close();
    const handled = info.lines().find((l) => l.msg === "update handled");
    expect(handled).toMatchObject({ level: 30, chat_id: 42, handler: "ask", sources: (await service.ask(RICE_QUESTION)).citations.length });
    expect(typeof handled!.update_id).toBe("number");
    expect(typeof handled!.latency_ms).toBe("number");
    expect(info.raw()).not.toContain("An Giang");
    expect(info.raw()).not.toContain(h.api.token);

    const debug = memoryLogger("debug");
    h = await startBot({ service, logger: debug.logger });
    h.api.sendText({ chat: privateChat(42), text: RICE_QUESTION });
    await h.api.waitFor(isSent(42));
    expect(debug.lines().filter((l) => JSON.stringify(l).includes("An Giang")).map((l) => l.level)).toEqual([20]);
    expect(debug.raw()).not.toContain(h.api.token);
  });
});
