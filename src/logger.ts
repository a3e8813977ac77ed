import pino, { type Logger } from "pino";
import pretty from "pino-pretty";

export type { Logger };

const REDACT = {
  paths: ["token", "*.token", "config.telegram.token", "telegram.token", "*.botToken"],
  censor: "[redacted]",
};

/**
 * The process logger, on stderr (stdout stays free for answers and `--json` output):
 * readable lines on a terminal, JSON lines otherwise (services, CI, log collectors).
 * Secrets are redacted by path, so a token never reaches a log even inside an error payload.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const stream =
    destination ??
    (process.stderr.isTTY
      ? pretty({ destination: 2, sync: true, colorize: true, ignore: "pid,hostname", translateTime: "SYS:HH:MM:ss" })
      : pino.destination(2));
  return pino({ level, redact: REDACT }, stream);
}

/** A logger that drops everything: for tests and library use. */
export const silentLogger: Logger = pino({ level: "silent" });
