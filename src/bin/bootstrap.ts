import "dotenv/config";
import { loadConfig, type Config } from "../config";
import { ConfigError, IndexError } from "../domain/errors";
import { createLogger, type Logger } from "../logger";

/**
 * Shared start-up of every entry point: `.env` + environment → validated settings → logger.
 * Known errors become one clear line and an exit code; anything else keeps its stack.
 */
export async function runMain(main: (config: Config, logger: Logger) => Promise<number | void>): Promise<void> {
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
    if (error instanceof IndexError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    logger.fatal({ err: error }, "stopped by an unexpected error");
    process.exit(1);
  }
}
