import http from "node:http";
import type { AddressInfo } from "node:net";
import { run, type RunnerHandle } from "@grammyjs/runner";
import { webhookCallback, type Bot, type Transformer, type WebhookReplyEnvelope } from "grammy";
import type { Update } from "grammy/types";
import type { Config } from "../config";
import type { Logger } from "../logger";
import type { BotContext } from "./context";

/** The updates the bot handles; everything else is not even fetched. */
export const ALLOWED_UPDATES = ["message", "callback_query", "inline_query"] as const;

/** Long-poll timeout of `getUpdates` (seconds): Telegram holds the request this long when idle. */
const POLL_TIMEOUT_SECONDS = 30;
/**
 * How long a webhook request waits for its update to be handled before Telegram gets its 200
 * anyway (ms). Answering goes on in the background; waiting longer would make Telegram resend
 * the update and the reader get the answer twice.
 */
const WEBHOOK_RESPONSE_MS = 25_000;

export interface RunBotOptions {
  bot: Bot<BotContext>;
  config: Config;
  logger: Logger;
  /** Overrides `getUpdates`' long-poll timeout (seconds); tests use a short one. */
  pollTimeoutSeconds?: number;
  /** Overrides where the webhook server listens (tests use port 0: any free port). */
  listen?: { port: number; host?: string };
}

export interface RunningBot {
  mode: "polling" | "webhook";
  /** The webhook server's port (webhook mode). */
  port?: number;
  /**
   * Stops taking updates (ends the long poll, or closes the webhook server), lets the updates in
   * flight finish, and resolves. Safe to call twice.
   */
  stop(): Promise<void>;
}

/**
 * Runs the bot until `stop()`: long polling through `@grammyjs/runner` (updates handled
 * concurrently, in order within a chat), or a webhook server when `WEBHOOK_URL` is set.
 * Signals and exit codes are the entry point's business (`src/bin/start.ts`).
 */
export async function runBot({ bot, config, logger, pollTimeoutSeconds, listen }: RunBotOptions): Promise<RunningBot> {
  await bot.init(); // getMe: fails fast on a wrong token, before anything is announced.
  return config.telegram.webhookUrl
    ? runWebhook(bot, config.telegram, logger, listen)
    : runPolling(bot, logger, pollTimeoutSeconds ?? POLL_TIMEOUT_SECONDS);
}

/**
 * The updates being handled right now. The runner's `stop()` ends the long poll but does not wait
 * for the updates its concurrent sink is still handling, so we count them ourselves.
 */
class InFlight {
  private readonly tasks = new Set<Promise<void>>();

  track(task: Promise<void>): Promise<void> {
    this.tasks.add(task);
    const done = () => void this.tasks.delete(task);
    task.then(done, done);
    return task;
  }

  /** Resolves when every update handled now (and any started meanwhile) has finished. */
  async drain(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }
}

async function runPolling(bot: Bot<BotContext>, logger: Logger, timeout: number): Promise<RunningBot> {
  // A webhook left over from another deployment would make every getUpdates fail with 409.
  await bot.api.deleteWebhook().catch((error: unknown) => logger.warn({ err: errorSummary(error) }, "could not delete a previous webhook"));
  bot.api.config.use(logPollingFailures(logger));
  const inFlight = new InFlight();
  // The runner takes any object shaped like a bot: this one is the bot, with its updates counted.
  const counted = {
    init: () => bot.init(),
    api: bot.api,
    errorHandler: (error: Parameters<typeof bot.errorHandler>[0]) => bot.errorHandler(error),
    handleUpdate: (update: Update) => inFlight.track(bot.handleUpdate(update)),
  };
  // `silent`: the runner would print fetch errors with console.error, payload and all; the
  // transformer above logs them through the logger instead, without the request URL.
  const handle: RunnerHandle = run(counted, {
    runner: { fetch: { timeout, allowed_updates: ALLOWED_UPDATES }, silent: true },
  });
  logger.info({ username: bot.botInfo.username, mode: "polling" }, "bot running");
  let stopping: Promise<void> | null = null;
  return {
    mode: "polling",
    stop: () => (stopping ??= (async () => {
      logger.info("stopping: no new updates, finishing the ones in flight");
      if (handle.isRunning()) await handle.stop();
      await inFlight.drain();
      logger.info("bot stopped");
    })()),
  };
}

async function runWebhook(bot: Bot<BotContext>, telegram: Config["telegram"], logger: Logger, listen?: { port: number; host?: string }): Promise<RunningBot> {
  const inFlight = new InFlight();
  // grammY's webhook adapter calls `handleUpdate` on what it is given: the bot, with its updates
  // counted (the request may be answered before its update is done, see WEBHOOK_RESPONSE_MS).
  const counted: Bot<BotContext> = Object.create(bot, {
    handleUpdate: { value: (update: Update, envelope?: WebhookReplyEnvelope) => inFlight.track(bot.handleUpdate(update, envelope)) },
  });
  const handleUpdate = webhookCallback(counted, "http", {
    secretToken: telegram.webhookSecret,
    onTimeout: "return",
    timeoutMilliseconds: WEBHOOK_RESPONSE_MS,
  });
  const path = new URL(telegram.webhookUrl).pathname;
  const server = http.createServer((req, res) => {
    if (req.method !== "POST" || (req.url ?? "/").split("?")[0] !== path) {
      res.writeHead(404).end();
      return;
    }
    handleUpdate(req, res).catch((error: unknown) => {
      logger.error({ err: errorSummary(error) }, "webhook request failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(listen?.port ?? telegram.webhookPort, listen?.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  await bot.api.setWebhook(telegram.webhookUrl, { secret_token: telegram.webhookSecret, allowed_updates: ALLOWED_UPDATES });
  logger.info({ username: bot.botInfo.username, mode: "webhook", port, path }, "bot running");
  let stopping: Promise<void> | null = null;
  return {
    mode: "webhook",
    port,
    stop: () => (stopping ??= (async () => {
      logger.info("stopping: closing the webhook server, finishing the updates in flight");
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await inFlight.drain();
      await closed;
      logger.info("bot stopped");
    })()),
  };
}

/** Logs failed `getUpdates` calls (the runner retries them) without the URL, which holds the token. */
function logPollingFailures(logger: Logger): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      return await prev(method, payload, signal);
    } catch (error) {
      if (method === "getUpdates" && !signal?.aborted) logger.warn({ err: errorSummary(error) }, "getUpdates failed; retrying");
      throw error;
    }
  };
}

/** An error's name and message only: grammY's messages never contain the token. */
function errorSummary(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: "Error", message: String(error) };
}
