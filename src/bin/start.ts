/**
 * `npm start`: the Telegram bot, or the terminal chat when there is no bot token.
 *
 * Settings come from the environment and `.env` (see `.env.example`); invalid settings exit 2,
 * an unusable index exits 1 with one line saying what to run. SIGINT/SIGTERM stop the bot
 * gracefully (answers in flight are finished) and exit 0; a second signal exits at once.
 */
import { GrammyError } from "grammy";
import { QaService } from "../app";
import { createBot, registerCommands, runBot, type RunningBot } from "../bot";
import { runChat } from "../cli/chat";
import { runMain } from "./bootstrap";

await runMain(async (config, logger) => {
  const service = await QaService.open({ config, logger });
  const status = service.status();
  logger.info(
    { articles: status.articles, passages: status.passages, model: status.model, dense: status.denseOn, denseOffReason: status.denseOffReason, builtAt: status.builtAt },
    "index loaded",
  );

  if (!config.telegram.token) {
    process.stderr.write(
      "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather in Telegram (/newbot), put its token in .env as TELEGRAM_BOT_TOKEN=…, and run `npm start` again. Starting the terminal chat instead.\n",
    );
    await runChat({ service });
    return 0;
  }

  const bot = createBot({ config, logger, service });
  let running: RunningBot;
  try {
    running = await runBot({ bot, config, logger });
  } catch (error) {
    if (error instanceof GrammyError && error.error_code === 401) {
      process.stderr.write("Telegram refused the bot token (401 Unauthorized): check TELEGRAM_BOT_TOKEN in .env (BotFather: /token).\n");
      return 1;
    }
    throw error;
  }
  await registerCommands(bot).catch((error: unknown) => logger.warn({ err: (error as Error).message }, "could not register the command menu"));

  await new Promise<void>((resolve) => {
    let signalled = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (signalled) {
        logger.warn({ signal }, "second signal: exiting without waiting");
        process.exit(1);
      }
      signalled = true;
      logger.info({ signal }, "shutting down");
      void running.stop().then(resolve);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
  return 0;
});

// Model threads and timers must not keep a stopped bot alive.
process.exit(process.exitCode ?? 0);
