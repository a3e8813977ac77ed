import "dotenv/config";
import { loadConfig, type Config } from "../config";
import { ConfigError, CorpusPathError, IndexBusyError, IndexError, RemovalRefusedError } from "../domain/errors";
import { createLogger, type Logger } from "../logger";

/**
 * Shared start-up of every entry point: `.env` + environment → validated settings → logger.
 * Known errors become one clear line and an exit code (2 for a mistake in the command: settings,
 * a corpus path that does not exist; 1 for an index that cannot be used or written now); anything
 * else keeps its stack.
 *
 * Standard output belongs to the command's result (`ask --json`, `eval --json`): a library that
 * prints with `console.log` / `console.info` (transformers.js and ONNX Runtime do, at some log
 * levels) is sent to standard error with the logs.
 */
export async function runMain(main: (config: Config, logger: Logger) => Promise<number | void>): Promise<void> {
  console.log = console.info = console.debug = console.error;
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every setting and its default.\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  try {
    const code = await main(config, logger);
    process.exitCode = code ?? 0;
  } catch (error) {
    if (error instanceof IndexError || error instanceof IndexBusyError || error instanceof RemovalRefusedError || error instanceof CorpusPathError) {
      process.stderr.write(`${error.message}${error.message.endsWith(".") ? "" : "."}\n`);
      process.exit(error instanceof CorpusPathError ? 2 : 1);
    }
    logger.fatal({ err: error }, "stopped by an unexpected error");
    process.exit(1);
  }
}
