import pino, { type Logger } from "pino";

export type { Logger };

/**
 * The process logger: JSON lines on stderr (stdout stays free for answers and `--json` output).
 * Secrets are redacted by path, so a token never reaches a log even inside an error payload.
 */
export function createLogger(level: string, destination: pino.DestinationStream = pino.destination(2)): Logger {
  return pino(
    {
      level,
      redact: {
        paths: ["token", "*.token", "config.telegram.token", "telegram.token", "*.botToken"],
        censor: "[redacted]",
      },
    },
    destination,
  );
}

/** A logger that drops everything: for tests and library use. */
export const silentLogger: Logger = pino({ level: "silent" });
