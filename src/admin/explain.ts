import { ArticleParseError } from "../domain/errors";

/** Node's system error codes an admin can act on, in words. */
const SYSTEM_ERRORS: Record<string, string> = {
  ENOSPC: "the disk is full",
  EDQUOT: "the disk quota is used up",
  EACCES: "the bot has no permission to write or read there",
  EPERM: "the bot has no permission to do that",
  EROFS: "the folder is on a read-only file system",
  EMFILE: "too many files are open at once; try again in a moment",
  ENOENT: "a file or folder is missing",
};

/** The JavaScript engine's own errors: their messages describe code, not what the admin did. */
const INTERNAL = new Set(["RangeError", "TypeError", "ReferenceError", "SyntaxError", "EvalError", "URIError", "AggregateError"]);

/**
 * What failed, in words an admin can act on, for a reply in Telegram and the audit log.
 *
 * Our own errors already say what went wrong and how to fix it (`RemovalRefusedError`, a loader's
 * reason, "could not download the file from Telegram (HTTP 502)"): their message is kept. What is
 * not ours is said in words instead of passed on raw: "Maximum call stack size exceeded" means
 * nothing to an admin ("an internal error stopped it; the details are in the bot's log"),
 * "Call to 'getFile' failed! (400: Bad Request: file is too big)" becomes "Telegram refused to
 * hand over the file: file is too big", and ENOSPC "the disk is full". The raw error still goes
 * to the log, by the caller, with its stack.
 *
 * @example
 *   catch (error) { logger.error({ err: error }, "upload failed"); reply(t.failed(describeFailure(error))); }
 */
export function describeFailure(error: unknown): string {
  if (error instanceof ArticleParseError) return error.reason;
  if (!(error instanceof Error)) return "an internal error stopped it; the details are in the bot's log";
  const telegram = telegramRefusal(error);
  if (telegram) return telegram;
  // Node's codes (ENOSPC, ERR_…), not our refusals' codes ("private-address"), which keep their message.
  const raw = (error as NodeJS.ErrnoException).code;
  const code = typeof raw === "string" && /^(?:E[A-Z0-9]+|ERR_\w+)$/.test(raw) ? raw : null;
  if (code && code in SYSTEM_ERRORS) {
    const where = (error as NodeJS.ErrnoException).path;
    return `${SYSTEM_ERRORS[code]}${where ? ` (${where})` : ""}`;
  }
  if (INTERNAL.has(error.name) || code) {
    return `an internal error (${error.name}${code ? ` ${code}` : ""}) stopped it; the details are in the bot's log`;
  }
  return error.message;
}

/** grammY's `GrammyError` (the Bot API said no) and `HttpError` (it could not be reached), by shape. */
function telegramRefusal(error: Error): string | null {
  const { method, description } = error as Error & { method?: unknown; description?: unknown };
  if (error.name === "GrammyError" && typeof method === "string") {
    const what = method === "getFile" ? "refused to hand over the file" : `refused the request (${method})`;
    const why = typeof description === "string" ? description.replace(/^(Bad Request|Forbidden|Unauthorized|Not Found): /, "") : "";
    return `Telegram ${what}${why ? `: ${why}` : ""}`;
  }
  if (error.name === "HttpError") return "Telegram could not be reached; try again in a moment";
  return null;
}
