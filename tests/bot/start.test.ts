/**
 * `npm start` as a process: the bot against the fake Bot API, SIGTERM → graceful exit 0; a wrong
 * token → one clear line and exit 1; invalid settings → exit 2.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import { privateChat, startFakeBotApi, type FakeBotApi } from "../helpers/fake-bot-api";
import { buildTestIndex } from "../helpers/small-index";
import { BOT_CORPUS, isSent, RICE_QUESTION, visible } from "./harness";

const ROOT = path.resolve(import.meta.dirname, "../..");

let indexDir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir: indexDir, cleanup } = await buildTestIndex(BOT_CORPUS)));
afterAll(() => cleanup?.());

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/bin/start.ts"], {
    cwd: ROOT,
    // Only what the test sets: no .env of the developer's (dotenv does not override these).
    env: { PATH: process.env.PATH ?? "", CORPUS_DIR: indexDir, INDEX_DIR: indexDir, DENSE_RETRIEVAL: "off", LOG_LEVEL: "info", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, stderr: () => stderr };
}

// Concurrent: each case is a process start (~2 s of TypeScript loading), independent of the others.
describe.concurrent("npm start", () => {
  let api: FakeBotApi;
  beforeAll(async () => (api = await startFakeBotApi()));
  afterAll(() => api?.close());

  it("runs the bot with the admin features, answers, and exits 0 after SIGTERM", async ({ expect }) => {
    const proc = start({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, ADMIN_IDS: "7" });
    try {
      // The admin's menu is registered last, in the admin's chat only.
      const adminMenu = await api.waitFor(
        (c) => c.method === "setMyCommands" && c.params.language_code === "en" && (c.params.scope as { chat_id?: number } | undefined)?.chat_id === 7,
        { since: 0, timeoutMs: 20_000 },
      );
      expect((adminMenu.params.commands as Array<{ command: string }>).map((c) => c.command)).toContain("reindex");
      api.sendText({ chat: privateChat(42), text: RICE_QUESTION });
      expect(visible(await api.waitFor(isSent(42), { timeoutMs: 10_000 }))).toContain("[1] Giá lúa gạo");
      api.sendText({ chat: privateChat(7), text: "/stats" });
      expect(visible(await api.waitFor(isSent(7), { timeoutMs: 10_000 }))).toMatch(/^Thống kê\nBài: \d+ · đoạn: \d+/);
      proc.child.kill("SIGTERM");
      expect(await proc.exited).toBe(0);
      const log = proc.stderr();
      expect(log).toContain('"msg":"index loaded"');
      expect(log).toContain('"msg":"bot stopped"');
      expect(log).not.toContain(api.token);
    } finally {
      proc.child.kill("SIGKILL");
    }
  });

  it("says in one line that Telegram refused a wrong token, and exits 1", async ({ expect }) => {
    const proc = start({ TELEGRAM_BOT_TOKEN: "999:WRONG", TELEGRAM_API_ROOT: api.apiRoot, LOG_LEVEL: "silent" });
    expect(await proc.exited).toBe(1);
    expect(proc.stderr()).toBe("Telegram refused the bot token (401 Unauthorized): check TELEGRAM_BOT_TOKEN in .env (BotFather: /token).\n");
  });

  it("exits 2 on invalid settings", async ({ expect }) => {
    const proc = start({ TELEGRAM_BOT_TOKEN: api.token, TELEGRAM_API_ROOT: "not a url" });
    expect(await proc.exited).toBe(2);
    expect(proc.stderr()).toContain("TELEGRAM_API_ROOT");
    expect(proc.stderr()).not.toContain("    at ");
  });
});
