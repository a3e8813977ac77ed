/**
 * `callback_data` of the inline buttons: at most 64 bytes, so it names things instead of
 * carrying them. `<action>:<version tag>:<context id>[:<arg>…]`, where the version tag is a short
 * hash of the index version (a button from before a re-index is recognised and expires) and the
 * context id is a key into the in-memory `AnswerContexts` (question → answer → passages).
 *
 *   v:<ver>:<ctx>:<page>          show page `page` of a context (0 = the answer itself; "Back", "More results")
 *   s:<ver>:<ctx>:<n>:<from>      open citation [n]; "Back" returns to page `from`
 *   p:<ver>:<ctx>:<i>:<from>      open further passage i; "Back" returns to page `from`
 *   h:<ver>:<ctx>:<i>             open suggested headline i of a not-found answer
 */
import { createHash } from "node:crypto";

/** Telegram's limit on `callback_data`, in bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;

export type CallbackAction =
  | { kind: "view"; version: string; context: string; page: number }
  | { kind: "source"; version: string; context: string; n: number; from: number }
  | { kind: "passage"; version: string; context: string; index: number; from: number }
  | { kind: "headline"; version: string; context: string; index: number };

const TAG_CHARS = 6;

/** A 6-character tag of an index version (`manifest.builtAt`): enough to tell versions apart. */
export function versionTag(version: string): string {
  return createHash("sha256").update(version).digest("base64url").slice(0, TAG_CHARS);
}

const ID = /^[A-Za-z0-9_-]{1,16}$/;
const NUMBER = /^\d{1,4}$/;

/** Builds the callback data of an action; throws if it would exceed 64 bytes (a programming error). */
export function encodeCallback(action: CallbackAction): string {
  const fields: Array<string | number> = (() => {
    switch (action.kind) {
      case "view":
        return ["v", action.version, action.context, action.page];
      case "source":
        return ["s", action.version, action.context, action.n, action.from];
      case "passage":
        return ["p", action.version, action.context, action.index, action.from];
      case "headline":
        return ["h", action.version, action.context, action.index];
    }
  })();
  const data = fields.join(":");
  if (Buffer.byteLength(data, "utf8") > CALLBACK_DATA_MAX_BYTES) {
    throw new RangeError(`callback data "${data}" is over ${CALLBACK_DATA_MAX_BYTES} bytes`);
  }
  return data;
}

/** Parses callback data; `null` for anything this bot did not produce (old formats included). */
export function decodeCallback(data: string): CallbackAction | null {
  const [kind, version, context, a, b, ...extra] = data.split(":");
  if (extra.length > 0 || !version || !context || !ID.test(version) || !ID.test(context)) return null;
  const num = (s: string | undefined) => (s !== undefined && NUMBER.test(s) ? Number(s) : null);
  const first = num(a);
  if (first === null) return null;
  switch (kind) {
    case "v":
      return b === undefined ? { kind: "view", version, context, page: first } : null;
    case "h":
      return b === undefined ? { kind: "headline", version, context, index: first } : null;
    case "s":
    case "p": {
      const from = num(b);
      if (from === null) return null;
      return kind === "s"
        ? { kind: "source", version, context, n: first, from }
        : { kind: "passage", version, context, index: first, from };
    }
    default:
      return null;
  }
}

/** Callback data prefixes per feature, for `bot.callbackQuery(regex)`. */
export const VIEW_DATA = /^v:/;
export const SOURCE_DATA = /^[sp]:/;
export const HEADLINE_DATA = /^h:/;
