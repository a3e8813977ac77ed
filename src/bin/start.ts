/**
 * `npm start`: the Telegram bot, or the terminal chat when there is no bot token.
 *
 * Either way an index rebuilt by `npm run ingest` meanwhile is picked up (the index watcher). The
 * bot also runs the admin service: the admin commands, the RSS/Atom feed polling, and the audit
 * log in `logs/audit.jsonl` (relative to the working folder).
 *
 * Settings come from the environment and `.env` (see `.env.example`); invalid settings exit 2,
 * an unusable index exits 1 with one line saying what to run. SIGINT/SIGTERM stop the bot
 * gracefully (answers in flight are finished) and exit 0; a second signal exits at once.
 */
import { GrammyError } from "grammy";
import { AdminService, DEFAULT_AUDIT_PATH, watchIndex } from "../admin";
import { QaService } from "../app";
import { adminCommands, createBot, registerCommands, runBot, type RunningBot } from "../bot";
import { runChat } from "../cli/chat";
import { runMain } from "./bootstrap";

await runMain(async (config, logger) => {
  const chat = !config.telegram.token;
  // The terminal chat says what is loaded, dense retrieval included, in its two-line banner.
  const service = await QaService.open({ config, logger, warnDenseOff: !chat });
  if (!chat) {
    const status = service.status();
    logger.info(
      { articles: status.articles, passages: status.passages, model: status.model, dense: status.denseOn, searchThread: status.searchThread, builtAt: status.builtAt },
      "index loaded",
    );
  }

  // Picks up an index that `npm run ingest` rebuilt while we run (polls embeddings/CURRENT).
  const stopWatching = watchIndex(service, { logger });

  if (chat) {
    process.stderr.write(
      "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather in Telegram (/newbot), put its token in .env as TELEGRAM_BOT_TOKEN=…, and run `npm start` again. Starting the terminal chat instead.\n",
    );
    try {
      await runChat({ service });
    } finally {
      stopWatching();
    }
    return 0;
  }

  const admin = await AdminService.create({ service, logger, auditPath: DEFAULT_AUDIT_PATH });
  const bot = createBot({ config, logger, service, admin });
  let running: RunningBot;
  try {
    running = await runBot({ bot, config, logger });
  } catch (error) {
    stopWatching();
    if (error instanceof GrammyError && error.error_code === 401) {
      process.stderr.write("Telegram refused the bot token (401 Unauthorized): check TELEGRAM_BOT_TOKEN in .env (BotFather: /token).\n");
      return 1;
    }
    throw error;
  }
  admin.startFeedPolling();
  if (config.telegram.adminIds.length === 0) logger.info("ADMIN_IDS is empty: nobody can use the admin commands");
  await registerCommands(bot, { adminIds: config.telegram.adminIds, adminCommands: adminCommands() }).catch((error: unknown) =>
    logger.warn({ err: (error as Error).message }, "could not register the command menu"),
  );

  await new Promise<void>((resolve) => {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        logger.warn({ signal }, "second signal: exiting without waiting");
        process.exit(1);
      }
      signalled = true;
      logger.info({ signal }, "shutting down");
      stopWatching();
      // The bot first (no new admin commands), then the admin work in flight: a feed poll, a re-index.
      void running
        .stop()
        .then(() => admin.stop())
        .then(resolve, (error: unknown) => {
          logger.error({ err: error }, "could not stop cleanly");
          resolve();
        });
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
  return 0;
});

// Model threads and timers must not keep a stopped bot alive.
process.exit(process.exitCode ?? 0);
