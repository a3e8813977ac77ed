/**
 * Telegram's `parse_mode: "HTML"`, parsed the way the Bot API server parses it.
 *
 * Why: the bot formats every answer as Telegram HTML, and Telegram rejects a whole message for one
 * stray `<`. This parser lets the fake Bot API reject what Telegram would reject, and lets tests read
 * the visible text and entities of what the bot sent.
 *
 * It follows tdlib's `parse_html` (td/telegram/MessageEntity.cpp): the same tags, the same attribute
 * rules and the same error messages, with byte offsets into the UTF-8 input. It is deliberately
 * stricter than Telegram in three places, so that sloppy escaping fails in tests instead of
 * surviving by luck:
 * - a `&` must start `&lt;`, `&gt;`, `&amp;`, `&quot;` or a numeric reference, with its `;`
 *   (Telegram keeps an unknown `&` as text and tolerates a missing `;`);
 * - `<a>` must have an `href` (Telegram falls back to the link text);
 * - `<tg-emoji>` must have a numeric `emoji-id` (as Telegram does, but checked at the start tag).
 *
 * Offsets and lengths count UTF-16 code units, as Telegram's entities do, which is what JavaScript's
 * `string.length` counts too.
 */
import type { MessageEntity } from "grammy/types";

/** The visible text of a Telegram HTML message and its formatting entities. */
export interface ParsedTelegramHtml {
  /** What the reader sees: tags removed, character references decoded. Not trimmed. */
  text: string;
  /** Sorted by offset, then outer before inner (longer first), as Telegram sorts them. */
  entities: MessageEntity[];
}

/** Telegram HTML that the Bot API would refuse; `message` is Telegram's own wording. */
export class TelegramHtmlError extends Error {
  override readonly name = "TelegramHtmlError";
  constructor(
    message: string,
    /** Offset of the offending tag or reference in the UTF-8 encoding of the input. */
    readonly byteOffset: number,
  ) {
    super(message);
  }
}

const SUPPORTED_TAGS = new Set([
  "a",
  "b",
  "strong",
  "i",
  "em",
  "s",
  "strike",
  "del",
  "u",
  "ins",
  "tg-spoiler",
  "tg-emoji",
  "span",
  "pre",
  "code",
  "blockquote",
]);

const SIMPLE_ENTITY_TYPES: Record<string, MessageEntity.CommonMessageEntity["type"]> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  span: "spoiler",
  "tg-spoiler": "spoiler",
};

const NAMED_REFERENCES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };
const CHARACTER_REFERENCE = /&(?:(lt|gt|amp|quot)|#([0-9]+)|#x([0-9a-fA-F]+));/y;

interface OpenTag {
  name: string;
  /** href, code language, span class (without `tg-`), emoji id, or "1" for an expandable quote. */
  argument: string;
  /** Where the tag's content starts in the visible text (UTF-16 units). */
  offset: number;
}

/** A parsed entity; `code` keeps its language until a surrounding `pre` claims it. */
type Draft = { entity: MessageEntity; codeLanguage?: string };

/**
 * Parses Telegram HTML into visible text and entities, throwing {@link TelegramHtmlError} on input
 * the Bot API rejects with "can't parse entities".
 *
 * @example
 * parseTelegramHtml('<b>Flood</b> &amp; <a href="https://x.test/1">rain</a>');
 * // { text: "Flood & rain", entities: [{ type: "bold", offset: 0, length: 5 },
 * //                                    { type: "text_link", offset: 8, length: 4, url: "https://x.test/1" }] }
 */
export function parseTelegramHtml(html: string): ParsedTelegramHtml {
  const byteOffset = (index: number): number => Buffer.byteLength(html.slice(0, index), "utf8");
  const fail = (message: string, index: number): never => {
    throw new TelegramHtmlError(message, byteOffset(index));
  };
  const at = (index: number): string => html[index] ?? "";

  let text = "";
  const open: OpenTag[] = [];
  const drafts: Draft[] = [];
  let i = 0;

  /** Decodes the character reference starting at `index` (a `&`); throws if it is not one. */
  const readReference = (index: number): { char: string; end: number } => {
    CHARACTER_REFERENCE.lastIndex = index;
    const match = CHARACTER_REFERENCE.exec(html);
    if (match !== null) {
      const [, named, decimal, hex] = match;
      const end = CHARACTER_REFERENCE.lastIndex;
      if (named !== undefined) return { char: NAMED_REFERENCES[named] ?? "", end };
      const codePoint = decimal !== undefined ? Number(decimal) : parseInt(hex ?? "", 16);
      // tdlib refuses NUL, surrogates and anything from U+10FFFF up.
      if (codePoint > 0 && codePoint < 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff)) {
        return { char: String.fromCodePoint(codePoint), end };
      }
    }
    return fail(
      `Unsupported character reference at byte offset ${byteOffset(index)}: escape a literal "&" as "&amp;" ` +
        `(only &lt; &gt; &amp; &quot; and &#…; are allowed)`,
      index,
    );
  };

  while (i < html.length) {
    const c = at(i);
    if (c === "&") {
      const reference = readReference(i);
      text += reference.char;
      i = reference.end;
      continue;
    }
    if (c !== "<") {
      text += c;
      i++;
      continue;
    }

    const begin = i++;
    if (at(i) !== "/") {
      i = readStartTag(begin, i);
      continue;
    }

    // An end tag closes the innermost open tag; `</>` is allowed, as in Telegram.
    if (open.length === 0) fail(`Unexpected end tag at byte offset ${byteOffset(begin)}`, begin);
    i++;
    const nameStart = i;
    while (i < html.length && !isSpace(at(i)) && at(i) !== ">") i++;
    const endName = html.slice(nameStart, i);
    while (i < html.length && isSpace(at(i))) i++;
    if (at(i) !== ">") fail(`Unclosed end tag at byte offset ${byteOffset(begin)}`, begin);
    i++;
    const tag = open.pop()!;
    if (endName !== "" && endName !== tag.name) {
      fail(
        `Unmatched end tag at byte offset ${byteOffset(begin)}, expected "</${tag.name}>", found "</${endName}>"`,
        begin,
      );
    }
    closeTag(tag, text.length, drafts);
  }

  if (open.length > 0) {
    const tag = open[open.length - 1]!;
    throw new TelegramHtmlError(`Can't find end tag corresponding to start tag "${tag.name}"`, byteOffset(html.length));
  }

  const entities = drafts.map((d) => d.entity);
  // Stable sort: equal ranges keep their closing order (inner first), which is what Telegram returns.
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };

  /** Reads `<name attr=value …>` starting after the `<` at `begin`; returns the index after `>`. */
  function readStartTag(begin: number, start: number): number {
    let j = start;
    while (j < html.length && !isSpace(at(j)) && at(j) !== ">") j++;
    if (j >= html.length) fail(`Unclosed start tag at byte offset ${byteOffset(begin)}`, begin);
    const name = html.slice(start, j).toLowerCase();
    if (!SUPPORTED_TAGS.has(name)) fail(`Unsupported start tag "${name}" at byte offset ${byteOffset(begin)}`, begin);

    let argument = "";
    let hasHref = false;
    while (at(j) !== ">") {
      while (j < html.length && isSpace(at(j))) j++;
      if (at(j) === ">") break;
      const attributeStart = j;
      while (j < html.length && !isSpace(at(j)) && at(j) !== "=" && at(j) !== ">") j++;
      const attribute = html.slice(attributeStart, j);
      if (attribute === "") {
        fail(`Empty attribute name in the tag "${name}" at byte offset ${byteOffset(begin)}`, begin);
      }
      while (j < html.length && isSpace(at(j))) j++;
      if (at(j) !== "=") {
        if (name === "blockquote" && attribute === "expandable") {
          argument = "1";
          continue;
        }
        fail(`Expected equal sign in declaration of an attribute of the tag "${name}" at byte offset ${byteOffset(begin)}`, begin);
      }
      j++;
      while (j < html.length && isSpace(at(j))) j++;
      if (j >= html.length) fail(`Unclosed start tag "${name}" at byte offset ${byteOffset(begin)}`, begin);

      let value = "";
      const quote = at(j);
      if (quote === '"' || quote === "'") {
        j++;
        while (j < html.length && at(j) !== quote) {
          if (at(j) === "&") {
            const reference = readReference(j);
            value += reference.char;
            j = reference.end;
          } else {
            value += at(j++);
          }
        }
        if (at(j) === quote) j++;
      } else {
        // An unquoted value is an HTML name token: letters, digits, periods and hyphens.
        const tokenStart = j;
        while (/[A-Za-z0-9.-]/.test(at(j))) j++;
        value = html.slice(tokenStart, j).toLowerCase();
        if (!isSpace(at(j)) && at(j) !== ">") {
          fail(`Unexpected end of name token at byte offset ${byteOffset(tokenStart)}`, tokenStart);
        }
      }
      if (j >= html.length) fail(`Unclosed start tag at byte offset ${byteOffset(begin)}`, begin);

      // Other attributes are ignored, as Telegram ignores them.
      if (name === "a" && attribute === "href") {
        argument = value;
        hasHref = true;
      } else if (name === "code" && attribute === "class" && value.startsWith("language-")) {
        argument = value.slice("language-".length);
      } else if (name === "span" && attribute === "class" && value.startsWith("tg-")) {
        argument = value.slice("tg-".length);
      } else if (name === "tg-emoji" && attribute === "emoji-id") {
        argument = value;
      } else if (name === "blockquote" && attribute === "expandable") {
        argument = "1";
      }
    }

    if (name === "span" && argument !== "spoiler") {
      fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(begin)}`, begin);
    }
    if (name === "a" && (!hasHref || argument === "")) {
      fail(`Tag "a" must have a non-empty "href" attribute at byte offset ${byteOffset(begin)}`, begin);
    }
    if (name === "tg-emoji" && !/^[1-9][0-9]*$/.test(argument)) {
      fail(`Invalid custom emoji identifier specified at byte offset ${byteOffset(begin)}`, begin);
    }
    open.push({ name, argument, offset: text.length });
    return j + 1;
  }
}

/** Turns a closed tag into an entity; empty ranges produce none, as in Telegram. */
function closeTag(tag: OpenTag, end: number, drafts: Draft[]): void {
  const offset = tag.offset;
  const length = end - offset;
  if (length <= 0) return;
  const simple = SIMPLE_ENTITY_TYPES[tag.name];
  if (simple !== undefined) {
    drafts.push({ entity: { type: simple, offset, length } });
  } else if (tag.name === "a") {
    drafts.push({ entity: { type: "text_link", offset, length, url: tag.argument } });
  } else if (tag.name === "code") {
    const draft: Draft = { entity: { type: "code", offset, length } };
    if (tag.argument !== "") draft.codeLanguage = tag.argument;
    drafts.push(draft);
  } else if (tag.name === "pre") {
    // <pre><code class="language-x">…</code></pre> is one `pre` entity with a language.
    const last = drafts[drafts.length - 1];
    if (last?.codeLanguage !== undefined && last.entity.offset === offset && last.entity.length === length) {
      last.entity = { type: "pre", offset, length, language: last.codeLanguage };
      delete last.codeLanguage;
    } else {
      drafts.push({ entity: { type: "pre", offset, length } });
    }
  } else if (tag.name === "blockquote") {
    drafts.push({ entity: { type: tag.argument === "1" ? "expandable_blockquote" : "blockquote", offset, length } });
  } else if (tag.name === "tg-emoji") {
    drafts.push({ entity: { type: "custom_emoji", offset, length, custom_emoji_id: tag.argument } });
  }
}

/** tdlib's is_space: ASCII whitespace only. */
function isSpace(c: string): boolean {
  return c === " " || c === "\t" || c === "\r" || c === "\n" || c === "\0" || c === "\v" || c === "\f";
}

