import matter from "gray-matter";
import { ArticleParseError } from "../domain/errors";
import type { Article } from "../domain/types";
import { makeArticle, reasonOf } from "./article";
import { parseDate } from "./dates";
import type { SingleSource } from "./files";
import { titleFromText } from "./plain";
import { cleanLine } from "./text";

/** Markdown reduced to what an article needs: plain paragraphs, image captions, headings. */
export interface MarkdownText {
  /** Plain-text paragraphs (headings included, as their text), in order. */
  paragraphs: string[];
  /** Image alt texts, and emphasised lines right under an image. */
  captions: string[];
  /** The first `# heading`, if any, and its index in `paragraphs`. */
  firstHeading: { text: string; index: number } | null;
}

/**
 * A Markdown article with YAML front matter (`id`, `title`, `date`, `author`, `url`,
 * `category`, `captions`, all optional). The body is the Markdown with its markup stripped
 * (see `markdownToText`); the title falls back to the first `# heading` (which then leaves the
 * body), then to the first sentence. The id is the front matter's `id`, else the file stem.
 *
 * Unlike plain text, no caption or by-line guessing happens here: Markdown says what is what,
 * and `articleToMarkdown` relies on its paragraphs coming back unchanged.
 */
export function parseMarkdownArticle(text: string, from: SingleSource): Article {
  const language = frontMatterLanguage(text);
  if (language !== null && !YAML_LANGUAGES.has(language.toLowerCase())) {
    throw new ArticleParseError(from.source, `front matter in "${language.slice(0, 40)}" is not read: only YAML front matter (---) is`);
  }
  let file: matter.GrayMatterFile<string>;
  try {
    // Passing options (even empty) turns off gray-matter's process-wide cache of every input.
    file = matter(text, SAFE_MATTER);
  } catch (error) {
    throw new ArticleParseError(from.source, `invalid front matter: ${reasonOf(error).split("\n")[0]}`);
  }
  const data: Record<string, unknown> = file.data;
  const md = markdownToText(file.content);
  let paragraphs = md.paragraphs;
  let title = scalar(data["title"]);
  const heading = md.firstHeading;
  if (heading && (!title || cleanLine(title) === heading.text)) {
    // The headline as a `# heading` is not body text (only a heading: a plain first paragraph
    // equal to the title stays, which `articleToMarkdown` relies on).
    title = heading.text;
    paragraphs = paragraphs.filter((_p, i) => i !== heading.index);
  }
  if (!title && paragraphs.length > 0) title = titleFromText(paragraphs[0]!);
  return makeArticle({
    id: scalar(data["id"]) ?? from.id,
    title: title ?? "",
    publishedAt: parseDate(data["date"] ?? data["publishedAt"]),
    author: scalar(data["author"]),
    url: scalar(data["url"]),
    category: scalar(data["category"]),
    body: paragraphs,
    captions: [...list(data["captions"]), ...md.captions],
    source: from.source,
  });
}

// gray-matter's default engines `eval` front matter opened with "---js", "---javascript" or
// "---coffee": a corpus file or an upload could run code as the bot's user. Only YAML is read,
// by gray-matter's own YAML engine, which is js-yaml's `safeLoad` (no !!js/function, no
// !!js/regexp: a test pins this). The language is checked before gray-matter sees the text, and
// every other engine gray-matter knows is replaced by a refusal as well, in case its language
// detection and ours ever disagree.
const YAML_LANGUAGES = new Set(["", "yaml", "yml"]);
const refuse = (): never => {
  throw new Error("only YAML front matter is read");
};
const SAFE_MATTER = {
  language: "yaml",
  engines: Object.fromEntries(["javascript", "js", "coffee", "coffeescript", "cson", "json"].map((name) => [name, { parse: refuse }])),
};

/**
 * The language named after the opening "---" (gray-matter's rule: the rest of the first line,
 * trimmed): "" for plain "---", null when the text has no front matter at all.
 */
function frontMatterLanguage(text: string): string | null {
  // gray-matter: "---" opens front matter unless a fourth "-" follows.
  if (!text.startsWith("---") || text[3] === "-") return null;
  const end = text.search(/\r?\n/);
  return text.slice(3, end < 0 ? text.length : end).trim();
}

/** A front-matter value as text: strings and numbers as they are, lists joined with ", ". */
function scalar(value: unknown): string | null {
  if (typeof value === "string") return value.trim() || null;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return list(value).join(", ") || null;
  return null;
}

function list(value: unknown): string[] {
  const items: unknown[] = Array.isArray(value) ? value : value == null ? [] : [value];
  return items.flatMap((v) => (typeof v === "string" || typeof v === "number" ? [String(v)] : []));
}

// ---------------------------------------------------------------------------------------------
// Markdown → plain paragraphs. Covers what articles use (CommonMark blocks and inlines, GFM
// strikethrough and tables), not every corner of the spec: no nested lists, no indented code.

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const ATX_HEADING = /^\s{0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT_UNDERLINE = /^\s{0,3}(=+|-+)\s*$/;
const THEMATIC_BREAK = /^\s{0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const BLOCKQUOTE = /^\s{0,3}>[ \t]?/;
const LIST_ITEM = /^\s{0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)$/;
const TABLE_DIVIDER = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$/;
const LINK_REFERENCE = /^\s{0,3}\[[^\]]+\]:\s*\S+/;
const IMAGE_ONLY = /^(?:\s*!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\]))+\s*$/;
const EMPHASISED_LINE = /^\s*(\*{1,2}|_{1,2})(?=\S)(.+?\S)\1\s*$/;

interface Block {
  lines: string[];
  /** Fenced code: kept verbatim, no inline processing. */
  code?: boolean;
  heading?: number;
}

/**
 * Strips Markdown to plain paragraphs: headings → their text, emphasis and links → their text,
 * images → dropped with their alt text kept as a caption, list items and table rows → one
 * paragraph each, code → its text, HTML tags and comments → dropped, backslash escapes honoured.
 */
export function markdownToText(markdown: string): MarkdownText {
  const blocks = splitBlocks(markdown.replace(/\r\n?/g, "\n"));
  const paragraphs: string[] = [];
  const captions: string[] = [];
  let firstHeading: MarkdownText["firstHeading"] = null;
  let previousWasImage = false;
  for (const block of blocks) {
    if (block.code) {
      // A loop, not push(...lines): a code block of 200,000 lines would overflow the stack.
      for (const line of block.lines) {
        const clean = cleanLine(line);
        if (clean) paragraphs.push(clean);
      }
      previousWasImage = false;
      continue;
    }
    const lines = [...block.lines];
    // An image, then an emphasised line (same block or the next one): that line is its caption.
    const imageFirst = lines.length > 0 && IMAGE_ONLY.test(lines[0]!);
    const captionAt: number = imageFirst ? 1 : previousWasImage ? 0 : -1;
    const emphasised: RegExpExecArray | null =
      captionAt >= 0 && lines.length === captionAt + 1 ? EMPHASISED_LINE.exec(lines[captionAt]!) : null;
    if (emphasised) lines.pop();
    const text = cleanLine(inlineToText(lines.join("\n"), captions));
    if (emphasised) captions.push(inlineToText(emphasised[2]!, captions));
    previousWasImage = !emphasised && lines.length > 0 && IMAGE_ONLY.test(lines.join(" "));
    if (!text) continue;
    if (block.heading === 1 && firstHeading === null) firstHeading = { text, index: paragraphs.length };
    paragraphs.push(text);
  }
  return { paragraphs, captions: captions.map(cleanLine).filter((c) => c.length > 0), firstHeading };
}

function splitBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const flush = (): void => {
    if (paragraph.length > 0) blocks.push({ lines: paragraph });
    paragraph = [];
  };
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;

    const fence = FENCE.exec(line);
    if (fence) {
      flush();
      const marker = fence[1]!;
      const code: string[] = [];
      while (++i < lines.length && !lines[i]!.trimStart().startsWith(marker)) code.push(lines[i]!);
      blocks.push({ lines: code, code: true });
      continue;
    }
    if (line.trimStart().startsWith("<!--")) {
      flush();
      while (!lines[i]!.includes("-->") && i + 1 < lines.length) i++;
      continue;
    }
    while (BLOCKQUOTE.test(line)) line = line.replace(BLOCKQUOTE, "");

    if (line.trim() === "") {
      flush();
      continue;
    }
    const heading = ATX_HEADING.exec(line);
    if (heading) {
      flush();
      blocks.push({ lines: [heading[2] ?? ""], heading: heading[1]!.length });
      continue;
    }
    const underline = SETEXT_UNDERLINE.exec(line);
    if (underline && paragraph.length > 0 && !LIST_ITEM.test(paragraph[0]!)) {
      blocks.push({ lines: paragraph, heading: underline[1]!.startsWith("=") ? 1 : 2 });
      paragraph = [];
      continue;
    }
    if (THEMATIC_BREAK.test(line) || LINK_REFERENCE.test(line)) {
      flush();
      continue;
    }
    if (/^\s*\|/.test(line)) {
      flush();
      if (!TABLE_DIVIDER.test(line)) {
        const cells = line.trim().replace(/^\||(?<!\\)\|$/g, "").split(/(?<!\\)\|/);
        blocks.push({ lines: [cells.map((c) => c.trim()).filter((c) => c).join(" | ")] });
      }
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      flush();
      paragraph.push(item[1]!);
      continue;
    }
    paragraph.push(line);
  }
  flush();
  return blocks;
}

// Backslash escapes and code spans are swapped for private-use characters while the inline
// rules run, so an escaped "\*" or a `*` inside code never reads as emphasis.
const ESCAPABLE = /\\([!-/:-@[-`{-~])/g;
const PROTECT_BASE = 0xe000;
const PROTECTED = /[\ue000-\ue07f]/g;

function protect(text: string): string {
  return text.replace(/[!-/:-@[-`{-~]/g, (c) => String.fromCharCode(PROTECT_BASE + c.charCodeAt(0)));
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

// Every inline pattern stops at the next delimiter of its kind (link text at the next "[",
// code at the next "`", emphasis at the next "*"): an unclosed one then costs a scan to that
// delimiter, not to the end of the paragraph, so "[[[[…" (100,000 of them: 8.6 s before) or
// "a *b a *b …" stay linear. What this gives up (a "[" inside link text, a "`" inside code, a
// "*" inside "**…**" that is not itself emphasis) does not occur in news articles.
const MAX_EMPHASIS_PASSES = 8;

function inlineToText(markdown: string, captions: string[]): string {
  let text = markdown
    // A hard line break ("\" or two spaces at the end of a line) reads as a space.
    .replace(/(?<!\\)((?:\\\\)*)\\\n/g, "$1\n")
    .replace(ESCAPABLE, (_m, c: string) => protect(c))
    .replace(/(`+)(?!`)([^`]+)\1(?!`)/g, (_m, _ticks: string, code: string) => protect(code.trim()));
  text = text
    .replace(/!\[([^[\]]*)\](?:\((?:[^()\s]|\([^()]*\))*(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)|\[[^[\]]*\])/g,
      (_m, alt: string) => {
        captions.push(alt);
        return " ";
      })
    .replace(/\[([^[\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g, "$1")
    .replace(/\[([^[\]]+)\]\[[^[\]]*\]/g, "$1")
    .replace(/<((?:https?|ftp|mailto):[^<>\s]+)>/gi, "$1")
    .replace(/<([^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)>/g, "$1")
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/<\/?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?\/?>/g, "");
  // Emphasis can nest ("***a***", "**_a_**"): strip the innermost spans (those without their
  // own delimiter inside), again until nothing changes, at most MAX_EMPHASIS_PASSES times.
  for (let previous = "", pass = 0; previous !== text && pass < MAX_EMPHASIS_PASSES; pass++) {
    previous = text;
    text = text
      .replace(/\*\*(?=[^\s*])([^*]*?[^\s*])\*\*/g, "$1")
      .replace(/__(?=[^\s_])([^_]*?[^\s_])__/g, "$1")
      .replace(/~~(?=[^\s~])([^~]*?[^\s~])~~/g, "$1")
      .replace(/(?<![\p{L}\p{N}_])_(?=[^\s_])([^_]*?[^\s_])_(?![\p{L}\p{N}_])/gu, "$1")
      .replace(/\*(?=[^\s*])([^*]*?[^\s*])\*/g, "$1");
  }
  return text
    .replace(/&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]+);/gi, (entity, name: string) => decodeEntity(name) ?? entity)
    .replace(PROTECTED, (c) => String.fromCharCode(c.charCodeAt(0) - PROTECT_BASE));
}

function decodeEntity(name: string): string | undefined {
  if (name.startsWith("#")) {
    const code = name[1] === "x" || name[1] === "X" ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
  }
  return ENTITIES[name.toLowerCase()];
}
