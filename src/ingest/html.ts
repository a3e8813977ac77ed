import { createRequire } from "node:module";
import { ArticleParseError } from "../domain/errors";
import type { Article } from "../domain/types";
import { makeArticle } from "./article";
import { parseDate } from "./dates";
import { stripDateline } from "./plain";
import { cleanLine, cleanOptional, fileStem } from "./text";

// The few DOM members we use. The project compiles without the DOM lib, so linkedom's and
// Readability's declarations of `Document`/`Node` do not resolve; these keep the boundary typed.
interface DomNode {
  readonly nodeType: number;
  textContent: string | null;
  readonly childNodes: ArrayLike<DomNode>;
}
interface DomElement extends DomNode {
  readonly tagName: string;
  getAttribute(name: string): string | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
  remove(): void;
  replaceWith(node: DomElement): void;
}
interface DomDocument {
  readonly documentElement: DomElement | null;
  createElement(tagName: string): DomElement;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): ArrayLike<DomElement>;
}

// linkedom takes about half a second to import: load it (and Readability) on the first page
// parsed, so that processes which never parse HTML do not pay for it.
type Linkedom = typeof import("linkedom");
type ReadabilityModule = typeof import("@mozilla/readability");
let dom: { parseHTML: Linkedom["parseHTML"]; Readability: ReadabilityModule["Readability"] } | undefined;
function htmlTools(): NonNullable<typeof dom> {
  if (!dom) {
    const require = createRequire(import.meta.url);
    const { parseHTML } = require("linkedom") as Linkedom;
    const { Readability } = require("@mozilla/readability") as ReadabilityModule;
    dom = { parseHTML, Readability };
  }
  return dom;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
/** Elements whose end is a paragraph break. */
const BLOCK = new Set(
  "ADDRESS ARTICLE ASIDE BLOCKQUOTE DD DETAILS DIV DL DT FIELDSET FIGURE FOOTER FORM H1 H2 H3 H4 H5 H6 HEADER HR LI MAIN NAV OL P PRE SECTION SUMMARY TABLE TBODY TD TFOOT TH THEAD TR UL".split(" "),
);
/** Elements with no readable text. */
const SKIP = new Set("SCRIPT STYLE NOSCRIPT TEMPLATE SVG CANVAS IFRAME BUTTON SELECT OBJECT".split(" "));
/** Photo captions that are not `<figcaption>`s: "PhotoCMS_Caption", "image-caption", … */
const CAPTION_LIKE_SELECTOR = '[class*="caption" i]:not(figcaption), [itemprop="caption"]:not(figcaption)';

/**
 * How deep elements may nest. Readability's cost grows with the cube of the depth (one chain of
 * nested <div>s: 250 deep 1.5 s, 500 deep 13 s, 1,000 deep 80 s), and news pages nest a few
 * dozen deep; at 128 a chain costs about 0.2 s. Deeper pages are refused before parsing.
 */
export const MAX_NESTING_DEPTH = 128;

// Elements that never hold children, and those whose end tag may be left out (HTML closes
// them implicitly: "<p>a<p>b" are siblings): neither deepens the tree in the pre-check.
const VOID_OR_IMPLIED = new Set(
  "area base br col embed hr img input link meta param source track wbr p li dt dd tr td th option optgroup rb rt rp thead tbody tfoot colgroup caption html head body".split(" "),
);
// Comments, and the raw text of scripts and styles, whose "<" is not a tag. Attributes are read
// up to the next "<" (which a real attribute value seldom holds), so that "<a <a <a …" is one
// linear scan, not a scan to the end of the page from every "<".
const NOT_TAGS = /<!--[\s\S]*?(?:-->|$)|<(script|style|textarea|title)\b[^<>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi;
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9:-]*)[^<>]*?(\/?)>/g;

/**
 * The deepest element nesting of a page, read from its tags in one linear pass (before any
 * parser sees it). Close tags pop to their matching open tag, as parsers recover from
 * mismatched markup; a stray close tag changes nothing. Counting stops past `limit` (the
 * answer is then `limit + 1`), which also keeps each close tag's search short.
 */
export function nestingDepth(html: string, limit = MAX_NESTING_DEPTH): number {
  const open: string[] = [];
  let deepest = 0;
  for (const m of html.replace(NOT_TAGS, " ").matchAll(TAG)) {
    const name = m[2]!.toLowerCase();
    if (VOID_OR_IMPLIED.has(name)) continue;
    if (m[1]) {
      const at = open.lastIndexOf(name);
      if (at >= 0) open.length = at;
    } else if (!m[3]) {
      open.push(name);
      if (open.length > deepest) deepest = open.length;
      if (deepest > limit) return deepest;
    }
  }
  return deepest;
}

export interface HtmlOptions {
  /** The article id; default: derived from `source` (the file stem, or a URL's last path segment). */
  id?: string;
}

/**
 * An HTML page → an `Article`, the main text found by Mozilla Readability over a linkedom DOM.
 *
 * - title: `og:title`, `twitter:title`, `<title>` (as Readability cleans it), the first `<h1>`;
 * - date: `article:published_time`, `og:published_time`, `<meta name="date|pubdate|publishdate">`,
 *   `itemprop="datePublished"`, `<time datetime>`, JSON-LD `datePublished`;
 * - author: `<meta name="author">`, JSON-LD `author`, Readability's by-line;
 * - url: `<link rel="canonical">`, `og:url` (resolved against `url`), else `url`;
 * - body: the paragraphs of the main text; `<figcaption>`s (and elements classed "caption") go
 *   to `captions` instead.
 *
 * Throws `ArticleParseError(source, …)` when the page has no title or no text.
 *
 * @example
 *   const html = await (await fetch(url)).text();
 *   const article = parseHtmlArticle(html, url, url);
 */
export function parseHtmlArticle(html: string, source: string, url?: string, options: HtmlOptions = {}): Article {
  const depth = nestingDepth(html);
  if (depth > MAX_NESTING_DEPTH) {
    throw new ArticleParseError(source, `the page nests elements more than ${MAX_NESTING_DEPTH} deep: it is not an article page`);
  }
  // linkedom needs a whole document: a bare fragment would end up outside <body>.
  const page = /<html[\s>]/i.test(html) ? html : `<!DOCTYPE html><html><head></head><body>${html}</body></html>`;
  const { parseHTML, Readability } = htmlTools();
  const document = (parseHTML(page) as { document: DomDocument }).document;

  // Metadata first: Readability rewrites the document it parses.
  const meta = readMeta(document);
  const ld = readJsonLd(document);
  const h1 = cleanOptional(document.querySelector("h1")?.textContent);
  const time = document.querySelector("time[datetime]")?.getAttribute("datetime");

  // Readability flattens wrappers (a caption <div> becomes a bare <p>) but keeps <figcaption>s:
  // turn class-marked captions into those first, so they can still be told from the text.
  for (const element of Array.from(document.querySelectorAll(CAPTION_LIKE_SELECTOR))) {
    const caption = document.createElement("figcaption");
    caption.textContent = element.textContent;
    element.replaceWith(caption);
  }
  const parsed = new Readability<DomElement>(document, { serializer: (node: DomElement) => node }).parse();
  const content = parsed?.content;
  if (!content) throw new ArticleParseError(source, "no article text found in the page");

  const captions: string[] = [];
  for (const element of Array.from(content.querySelectorAll("figcaption"))) {
    captions.push(element.textContent ?? "");
    element.remove();
  }
  const title =
    cleanOptional(meta.get("og:title")) ??
    cleanOptional(meta.get("twitter:title")) ??
    cleanOptional(parsed.title) ??
    h1 ??
    "";
  let paragraphs = blockText(content).split("\n").map(cleanLine).filter((p) => p.length > 0);
  if (paragraphs[0] === title) paragraphs = paragraphs.slice(1);
  if (paragraphs.length > 0) paragraphs[0] = stripDateline(paragraphs[0]!);

  const publishedAt =
    ["article:published_time", "og:published_time", "date", "pubdate", "publishdate", "datepublished"]
      .map((name) => parseDate(meta.get(name)))
      .find((d) => d !== null) ??
    parseDate(time) ??
    parseDate(ld.datePublished) ??
    parseDate(parsed.publishedTime);
  const metaAuthor = meta.get("author") ?? meta.get("article:author");
  const author =
    cleanOptional(metaAuthor && !/^https?:/i.test(metaAuthor) ? metaAuthor : null) ??
    cleanOptional(ld.author) ??
    cleanOptional(parsed.byline);
  // A relative canonical link only resolves against a known page URL; og:url is then next.
  const canonical = [document.querySelector('link[rel~="canonical"]')?.getAttribute("href"), meta.get("og:url")]
    .map((href) => absoluteUrl(href, url))
    .find((href) => href !== null);

  return makeArticle({
    id: options.id ?? idFromSource(source),
    title,
    publishedAt,
    author,
    url: canonical ?? url ?? null,
    category: meta.get("article:section") ?? ld.articleSection ?? null,
    body: paragraphs,
    captions,
    source,
  });
}

/** `<meta>` contents by lower-cased `property`, `name` or `itemprop` (the first one wins). */
function readMeta(document: DomDocument): Map<string, string> {
  const meta = new Map<string, string>();
  for (const element of Array.from(document.querySelectorAll("meta[content]"))) {
    const content = element.getAttribute("content") ?? "";
    for (const attribute of ["property", "name", "itemprop"]) {
      const key = element.getAttribute(attribute)?.trim().toLowerCase();
      if (key && content.trim() && !meta.has(key)) meta.set(key, content);
    }
  }
  return meta;
}

const MAX_JSON_LD_DEPTH = 16;

interface LinkedData {
  datePublished?: string;
  author?: string;
  articleSection?: string;
}

/** The first JSON-LD values for the fields we use, searching arrays and `@graph`s. */
function readJsonLd(document: DomDocument): LinkedData {
  const found: LinkedData = {};
  // Real JSON-LD nests a few levels (a @graph of objects); the bound keeps a hostile page's
  // thousand-deep arrays from costing stack in proportion to their depth.
  const visit = (value: unknown, depth = 0): void => {
    if (depth > MAX_JSON_LD_DEPTH) return;
    if (Array.isArray(value)) return value.forEach((item) => visit(item, depth + 1));
    if (value === null || typeof value !== "object") return;
    const node = value as Record<string, unknown>;
    found.datePublished ??= typeof node["datePublished"] === "string" ? node["datePublished"] : undefined;
    found.author ??= nameOf(node["author"]);
    const section = node["articleSection"];
    found.articleSection ??= nameOf(Array.isArray(section) || typeof section === "string" ? section : undefined);
    visit(node["@graph"], depth + 1);
  };
  for (const script of Array.from(document.querySelectorAll('script[type="application/ld+json"]'))) {
    try {
      visit(JSON.parse(script.textContent ?? ""));
    } catch {
      // Broken JSON-LD is common on news sites; the page's other metadata still counts.
    }
  }
  return found;
}

/** A JSON-LD name: a string, a `{ name }` object, or a list of those (joined with ", "). */
function nameOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    // One level: a list of names or { name } objects (a list of lists is not a name).
    const names = value.map((v) => (Array.isArray(v) ? undefined : nameOf(v))).filter((n): n is string => !!n);
    return names.length > 0 ? names.join(", ") : undefined;
  }
  if (value !== null && typeof value === "object") {
    const name = (value as Record<string, unknown>)["name"];
    return typeof name === "string" ? name : undefined;
  }
  return undefined;
}

/** Text with "\n" at every block boundary and `<br>`. */
function blockText(node: DomNode): string {
  if (node.nodeType === TEXT_NODE) return node.textContent ?? "";
  if (node.nodeType !== ELEMENT_NODE) return "";
  const tag = (node as DomElement).tagName.toUpperCase();
  if (SKIP.has(tag)) return "";
  if (tag === "BR") return "\n";
  const inner = Array.from(node.childNodes).map(blockText).join("");
  return BLOCK.has(tag) ? `\n${inner}\n` : inner;
}

function absoluteUrl(href: string | null | undefined, base: string | undefined): string | null {
  if (!href?.trim()) return null;
  try {
    return new URL(href.trim(), base).href;
  } catch {
    return null;
  }
}

/** A file's stem, or for a URL its last path segment without extension (else its host name). */
export function idFromSource(source: string): string {
  if (/^https?:\/\//i.test(source)) {
    try {
      const url = new URL(source);
      const segment = url.pathname.split("/").filter((s) => s.length > 0).pop();
      return segment ? fileStem(decodeURIComponent(segment)) : url.hostname;
    } catch {
      // Not a valid URL after all: treat it as a path.
    }
  }
  return fileStem(source);
}
