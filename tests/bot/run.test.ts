/**
 * Running the bot: long polling with a graceful stop, webhook mode, and the command menu.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QaService } from "../../src/app";
import { ALLOWED_UPDATES, createBot, registerCommands, runBot, uiStrings } from "../../src/bot";
import { loadConfig } from "../../src/config";
import { silentLogger } from "../../src/logger";
import { privateChat, startFakeBotApi } from "../helpers/fake-bot-api";
import { isSent, openService, RICE_QUESTION, startBot, visible } from "./harness";

let service: QaService;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ service, cleanup } = await openService()));
afterAll(() => cleanup?.());

describe("long polling", () => {
  it("finishes the answers in flight before stop() resolves, and stops polling", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = Object.create(service) as QaService;
    slow.askWithEvidence = async (...args) => {
      await gate;
      return service.askWithEvidence(...args);
    };
    const h = await startBot({ service: slow });
    try {
      h.api.sendText({ chat: privateChat(42), text: RICE_QUESTION });
      await h.api.waitFor("sendChatAction"); // the answer is under way

      let stopped = false;
      const stopping = h.running.stop().then(() => (stopped = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(stopped).toBe(false);
      expect(h.api.isPolling()).toBe(false);

      release();
      await stopping;
      expect(visible(await h.api.waitFor(isSent(42), { timeoutMs: 1 }))).toContain("[1] Giá lúa gạo");
      expect(h.running.stop()).toBe(h.running.stop()); // idempotent
    } finally {
      await h.close();
    }
  });
});

describe("webhook mode", () => {
  it("sets the webhook with its secret, answers updates posted with it, refuses others", async () => {
    const api = await startFakeBotApi();
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: api.token,
      TELEGRAM_API_ROOT: api.apiRoot,
      WEBHOOK_URL: "https://bot.example.test/telegram/hook",
      WEBHOOK_SECRET: "s3cret-Token_1",
    });
    const bot = createBot({ config, logger: silentLogger, service });
    const running = await runBot({ bot, config, logger: silentLogger, listen: { port: 0, host: "127.0.0.1" } });
    try {
      expect(running.mode).toBe("webhook");
      const [setWebhook] = api.callsTo("setWebhook");
      expect(setWebhook?.params).toMatchObject({ url: "https://bot.example.test/telegram/hook", secret_token: "s3cret-Token_1", allowed_updates: [...ALLOWED_UPDATES] });
      expect(api.callsTo("getUpdates")).toEqual([]);

      const chat = privateChat(42);
      api.addChat(chat);
      const update = {
        update_id: 1,
        message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat, from: { id: 42, is_bot: false, first_name: "A" }, text: RICE_QUESTION },
      };
      const post = (path: string, secret: string) =>
        fetch(`http://127.0.0.1:${running.port}${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": secret },
          body: JSON.stringify(update),
        });

      expect((await post("/telegram/hook", "wrong")).status).toBe(401);
      expect((await post("/elsewhere", "s3cret-Token_1")).status).toBe(404);
      expect(api.callsTo("sendMessage")).toEqual([]);

      expect((await post("/telegram/hook", "s3cret-Token_1")).status).toBe(200);
      const sent = await api.waitFor(isSent(42), { since: 0 });
      expect(visible(sent)).toContain("[1] Giá lúa gạo");
    } finally {
      await running.stop();
      await api.close();
    }
  });
});

describe("command menu", () => {
  it("registers the commands in Vietnamese and English, and admin menus per admin chat", async () => {
    const api = await startFakeBotApi();
    try {
      const config = loadConfig({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot });
      const bot = createBot({ config, logger: silentLogger, service, botInfo: api.botInfo });
      await registerCommands(bot);
      const [vi, en] = api.callsTo("setMyCommands");
      expect(api.callsTo("setMyCommands")).toHaveLength(2);
      expect(vi!.params.language_code).toBeUndefined();
      expect(vi!.params.commands).toEqual([
        { command: "start", description: uiStrings("vi").commands.start },
        { command: "help", description: uiStrings("vi").commands.help },
        { command: "ask", description: uiStrings("vi").commands.ask },
        { command: "search", description: uiStrings("vi").commands.search },
        { command: "source", description: uiStrings("vi").commands.source },
        { command: "about", description: uiStrings("vi").commands.about },
      ]);
      expect(en!.params).toMatchObject({ language_code: "en", commands: expect.arrayContaining([{ command: "ask", description: "Ask a question" }]) });

      const stats = { vi: [{ command: "stats", description: "Thống kê" }], en: [{ command: "stats", description: "Statistics" }] };
      await registerCommands(bot, { adminIds: [7, 8], adminCommands: stats });
      const admin = api.callsTo("setMyCommands").slice(4);
      expect(admin.map((c) => [c.params.scope, c.params.language_code ?? null, (c.params.commands as Array<{ command: string }>).at(-1)!.command])).toEqual([
        [{ type: "chat", chat_id: 7 }, null, "stats"],
        [{ type: "chat", chat_id: 7 }, "en", "stats"],
        [{ type: "chat", chat_id: 8 }, null, "stats"],
        [{ type: "chat", chat_id: 8 }, "en", "stats"],
      ]);
    } finally {
      await api.close();
    }
  });
});
