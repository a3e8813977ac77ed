import {
  ArticleParseError,
  BuildStoppedError,
  ConfigError,
  CorpusPathError,
  IndexBusyError,
  IndexError,
  ModelLoadError,
  RemovalRefusedError,
} from "../domain/errors";

/**
 * An error as it crosses a thread boundary: plain data. Node's structured clone keeps only the
 * message of most errors (not our classes, not `code` or `path`), and the admin's reply depends on
 * both: `describeFailure` keeps our messages, says ENOSPC as "the disk is full", and hides a
 * RangeError's text. So the worker sends this and the answering thread revives the same class.
 */
export interface ThreadError {
  name: string;
  message: string;
  stack?: string;
  /** The error's own fields (`path`, `reason`, `removed`, `code`, …), JSON-safe values only. */
  fields: Record<string, unknown>;
}

/** Our named errors, revived with their class so `instanceof` and their fields still hold. */
const NAMED = {
  ArticleParseError,
  BuildStoppedError,
  ConfigError,
  CorpusPathError,
  IndexBusyError,
  IndexError,
  ModelLoadError,
  RemovalRefusedError,
} as const;

/** The engine's own error types, kept so `describeFailure` still recognises them as internal. */
const BUILT_IN = { Error, RangeError, TypeError, ReferenceError, SyntaxError, EvalError, URIError } as const;

export function toThreadError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ["string", "number", "boolean"].includes(typeof value) || isPlainArray(value)) fields[key] = value;
  }
  return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}), fields };
}

/**
 * The error `toThreadError` described, as an instance of its class. Our classes are revived
 * without running their constructors (they compose the message from their fields; the message
 * is taken as sent).
 */
export function fromThreadError(sent: ThreadError): Error {
  const named = NAMED[sent.name as keyof typeof NAMED];
  const error: Error = named
    ? (Object.create(named.prototype) as Error)
    : new (BUILT_IN[sent.name as keyof typeof BUILT_IN] ?? Error)(sent.message);
  Object.assign(error, sent.fields);
  Object.defineProperty(error, "message", { value: sent.message, writable: true, configurable: true, enumerable: false });
  if (!named && !(sent.name in BUILT_IN)) Object.defineProperty(error, "name", { value: sent.name, writable: true, configurable: true, enumerable: false });
  if (sent.stack) Object.defineProperty(error, "stack", { value: sent.stack, writable: true, configurable: true, enumerable: false });
  return error;
}

function isPlainArray(value: unknown): boolean {
  return Array.isArray(value) && value.every((v) => v === null || ["string", "number", "boolean"].includes(typeof v));
}
