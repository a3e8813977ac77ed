import type { LookupAddress } from "node:dns";
import dns from "node:dns/promises";
import http from "node:http";
import type { LookupFunction } from "node:net";
import https from "node:https";
import { Readable, type Transform } from "node:stream";
import zlib from "node:zlib";
import ipaddr from "ipaddr.js";
import { MAX_CONTROL_SHARE, unreadableShare } from "../ingest";

/**
 * Fetching pages an admin (or a feed) names, without letting the URL reach the bot's own network.
 *
 *   url ──scheme──▶ resolve host (all addresses) ──ranges──▶ GET (pinned to those addresses)
 *       ──redirect? re-check the next hop (≤ 5)──▶ type, size cap while streaming ──▶ text
 *
 * The default transport is node:http(s) with a `lookup` that validates the addresses it hands to
 * the socket, so a host cannot pass the check with one address and connect with another (DNS
 * rebinding). An injected `fetchImpl` still gets the up-front check, but not that pinning.
 */

/** Why a fetch was refused; the bot localises by code, `message` is a short English reason. */
export type FetchRefusalCode =
  | "scheme"
  | "private-address"
  | "dns"
  | "timeout"
  | "too-large"
  | "not-html"
  | "http-status"
  /** The connection failed (refused, reset, TLS): not in the original list, added for honesty. */
  | "network";

export class FetchRefusedError extends Error {
  override readonly name = "FetchRefusedError";
  constructor(
    readonly code: FetchRefusalCode,
    message: string,
    /** The URL of the hop that was refused (after redirects, it is not the one given). */
    readonly url: string,
  ) {
    super(message);
  }
}

/** What the fetch needs of `fetch`: global `fetch` fits; tests may pass a fake. */
export type FetchLike = (
  url: string,
  init: { signal: AbortSignal; headers: Record<string, string>; redirect: "manual" },
) => Promise<Response>;

/** Resolves a host name to every address it has (node:dns/promises `lookup` with `all: true`). */
export type LookupAll = (hostname: string) => Promise<LookupAddress[]>;

export interface FetchPageOptions {
  /** Allow loopback, private, link-local … addresses (`FETCH_ALLOW_PRIVATE`): tests and intranets. */
  allowPrivate: boolean;
  /** For the whole fetch, redirects and body included. */
  timeoutSeconds: number;
  /** Cap on the body, enforced while it streams in. */
  maxBytes: number;
  /** Accepted media types (lower case, no parameters); default: HTML. */
  accept?: readonly string[];
  fetchImpl?: FetchLike;
  lookup?: LookupAll;
}

export interface FetchedText {
  /** The URL of the last hop, after redirects. */
  finalUrl: string;
  text: string;
  /** The media type, lower case, without parameters. */
  contentType: string;
}

export const HTML_TYPES = ["text/html", "application/xhtml+xml"] as const;
export const FEED_TYPES = [
  "application/rss+xml",
  "application/atom+xml",
  "application/rdf+xml",
  "application/xml",
  "text/xml",
] as const;

const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = "newsroom-qa-bot (+admin /add)";

/**
 * Fetches an article page for `/add`.
 * @throws FetchRefusedError (with a `code`) for anything but an HTML page of acceptable size.
 * @example
 *   const { finalUrl, html } = await fetchArticlePage(url, config.fetch);
 *   const article = parseHtmlArticle(html, source, finalUrl, { id });
 */
export async function fetchArticlePage(url: string, options: FetchPageOptions): Promise<{ finalUrl: string; html: string }> {
  const { finalUrl, text } = await fetchText(url, { ...options, accept: options.accept ?? HTML_TYPES });
  return { finalUrl, html: text };
}

/** `fetchArticlePage` for any accepted media types (feeds use `FEED_TYPES`). */
export async function fetchText(url: string, options: FetchPageOptions): Promise<FetchedText> {
  const accept = options.accept ?? HTML_TYPES;
  const lookup = options.lookup ?? defaultLookup;
  const signal = AbortSignal.timeout(options.timeoutSeconds * 1000);
  const fetchImpl = options.fetchImpl ?? pinnedFetch(lookup, options.allowPrivate);
  let current = parseHttpUrl(url);
  /** Headers arrived and the body is streaming: a failure now cuts a page off. */
  let receiving = false;
  try {
    for (let hop = 0; ; hop++) {
      await checkHost(current, lookup, options.allowPrivate);
      const response = await fetchImpl(current.href, {
        signal,
        redirect: "manual",
        headers: { "user-agent": USER_AGENT, accept: `${accept.join(", ")}, */*;q=0.1` },
      });
      if (REDIRECTS.has(response.status)) {
        await response.body?.cancel().catch(() => undefined);
        const location = response.headers.get("location");
        if (!location) throw refused("http-status", `the server answered ${response.status} without a Location`, current);
        if (hop >= MAX_REDIRECTS) throw refused("http-status", `more than ${MAX_REDIRECTS} redirects`, current);
        current = parseHttpUrl(location, current);
        continue;
      }
      if (response.status < 200 || response.status > 299) {
        await response.body?.cancel().catch(() => undefined);
        throw refused("http-status", `the server answered ${response.status}`, current);
      }
      const header = response.headers.get("content-type") ?? "";
      const contentType = header.split(";")[0]!.trim().toLowerCase();
      if (!accept.includes(contentType)) {
        await response.body?.cancel().catch(() => undefined);
        const what = contentType || "no content type";
        throw refused("not-html", `expected ${accept.join(" or ")}, got ${what}`, current);
      }
      const length = Number(response.headers.get("content-length"));
      if (Number.isFinite(length) && length > options.maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        throw refused("too-large", `the page is ${length} bytes, the limit is ${options.maxBytes}`, current);
      }
      receiving = true;
      const bytes = await readCapped(response, options.maxBytes, current);
      const text = decode(bytes, header);
      // Decoding is lenient (bad bytes become U+FFFD): a binary body served as HTML must not
      // reach the parser and come back as an article of "��*p�gR…".
      const share = unreadableShare(text);
      if (share > MAX_CONTROL_SHARE) {
        throw refused("not-html", `the page is not readable text (${(100 * share).toFixed(1)} % control or undecodable characters)`, current);
      }
      return { finalUrl: current.href, text, contentType };
    }
  } catch (error) {
    if (error instanceof FetchRefusedError) {
      // A refusal from the pinned lookup names only the host: name the hop instead.
      throw error.url.includes("://") ? error : refused(error.code, error.message, current);
    }
    const name = (error as Error | undefined)?.name;
    // A page cut off (by the timeout, or the connection closing early) is never an article.
    if (signal.aborted || name === "TimeoutError" || name === "AbortError") {
      const what = receiving ? "the page did not finish loading" : "no answer";
      throw refused("timeout", `${what} within ${options.timeoutSeconds} s`, current);
    }
    if (receiving) throw refused("network", `the page did not finish loading: the connection broke (${causeOf(error)})`, current);
    throw refused("network", `could not connect: ${causeOf(error)}`, current);
  }
}

/** Parses and checks the scheme; a relative `href` resolves against `base` (a redirect). */
function parseHttpUrl(href: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(href.trim(), base);
  } catch {
    throw new FetchRefusedError("scheme", `not a valid URL: ${href.slice(0, 200)}`, href);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw refused("scheme", `only http and https links can be fetched, not ${url.protocol.replace(/:$/, "")}`, url);
  }
  if (url.username || url.password) throw refused("scheme", "links with a user name or password are not fetched", url);
  url.hash = "";
  return url;
}

/** Resolves the host (or reads the literal address) and refuses any address outside public unicast. */
async function checkHost(url: URL, lookup: LookupAll, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = ipaddr.isValid(host) ? [host] : (await resolveAll(host, lookup, url)).map((a) => a.address);
  for (const address of addresses) {
    const problem = addressProblem(address);
    if (problem) throw refused("private-address", `${url.hostname} is ${problem} (${address})`, url);
  }
}

async function resolveAll(host: string, lookup: LookupAll, url: URL): Promise<LookupAddress[]> {
  let addresses: LookupAddress[];
  try {
    addresses = await lookup(host);
  } catch (error) {
    throw refused("dns", `cannot resolve ${host}: ${causeOf(error)}`, url);
  }
  if (addresses.length === 0) throw refused("dns", `${host} has no address`, url);
  return addresses;
}

/**
 * Why an address may not be fetched, or null when it is public unicast. IPv4-mapped IPv6
 * addresses are judged as the IPv4 address they carry, IPv4-compatible ones (::a.b.c.d) and
 * the rest of ::/8 are refused; every other range ipaddr.js names
 * (private, loopback, link-local, unique-local, CGNAT, multicast, unspecified, reserved,
 * 6to4/Teredo/NAT64 tunnels that could wrap a private address, …) is refused.
 */
export function addressProblem(address: string): string | null {
  let parsed: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    parsed = ipaddr.process(address.replace(/%.*$/, ""));
  } catch {
    return "not a valid address";
  }
  const range = parsed.range();
  if (range !== "unicast") return `a ${range} address`;
  if (parsed.kind() === "ipv6") {
    // ipaddr.js calls ::/8 "unicast", but it is reserved, and its ::/96 part is the deprecated
    // IPv4-compatible form: [::127.0.0.1] (which URL parsing turns into ::7f00:1) reaches
    // loopback on some systems. Nothing public lives there.
    const parts = (parsed as ipaddr.IPv6).parts;
    if (parts.slice(0, 6).every((part) => part === 0)) {
      const [high, low] = [parts[6]!, parts[7]!];
      return `an IPv4-compatible address (${high >> 8}.${high & 255}.${low >> 8}.${low & 255})`;
    }
    if (parts[0]! < 0x100) return "a reserved address (::/8)";
  }
  return null;
}

const defaultLookup: LookupAll = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/**
 * A `FetchLike` over node:http(s) whose socket connects only to addresses that passed the
 * check: the validation happens inside the `lookup` the socket uses.
 */
function pinnedFetch(lookupAll: LookupAll, allowPrivate: boolean): FetchLike {
  const lookup: LookupFunction = (hostname, options, callback) => {
    lookupAll(hostname).then(
      (addresses) => {
        const bad = allowPrivate ? undefined : addresses.find((a) => addressProblem(a.address));
        if (bad) {
          const reason = `${hostname} is ${addressProblem(bad.address)} (${bad.address})`;
          callback(new FetchRefusedError("private-address", reason, hostname), "");
        } else if (addresses.length === 0) {
          callback(new FetchRefusedError("dns", `${hostname} has no address`, hostname), "");
        } else if (options.all) {
          callback(null, addresses);
        } else {
          callback(null, addresses[0]!.address, addresses[0]!.family);
        }
      },
      (error: Error) => callback(new FetchRefusedError("dns", `cannot resolve ${hostname}: ${causeOf(error)}`, hostname), ""),
    );
  };
  return (url, init) =>
    new Promise<Response>((resolve, reject) => {
      const target = new URL(url);
      const transport = target.protocol === "https:" ? https : http;
      const request = transport.request(
        target,
        // No shared agent: a pooled socket would outlive the check it was opened under.
        { method: "GET", headers: { ...init.headers, "accept-encoding": ACCEPT_ENCODING }, signal: init.signal, lookup, agent: false },
        (message) => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(message.headers)) {
            if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
            else if (value !== undefined) headers.set(name, value);
          }
          const status = message.statusCode ?? 0;
          const hasBody = ![204, 205, 304].includes(status);
          if (!hasBody) message.resume();
          try {
            const decoded = hasBody ? decompressed(message, headers, url) : null;
            const body = decoded ? (Readable.toWeb(decoded) as unknown as ReadableStream<Uint8Array>) : null;
            resolve(new Response(body, { status, headers }));
          } catch (error) {
            message.destroy();
            reject(error instanceof FetchRefusedError ? error : new FetchRefusedError("http-status", `the server answered ${status}`, url));
          }
        },
      );
      // A refusal from `lookup` arrives here as the same object, so its code survives.
      request.on("error", reject);
      request.end();
    });
}

// node:http hands over the body as sent; global fetch decodes it. Servers send gzip even
// unasked, so the pinned transport asks for what it can decode and decodes it, before the size
// cap counts the bytes (a small gzip that inflates past the cap is refused like a large page).
const ACCEPT_ENCODING = "gzip, deflate, br";
const DECODERS: Record<string, () => Transform> = {
  gzip: () => zlib.createGunzip(),
  "x-gzip": () => zlib.createGunzip(),
  deflate: () => zlib.createInflate(),
  br: () => zlib.createBrotliDecompress(),
};

/**
 * The body with its Content-Encoding undone (several codings apply last first); the headers
 * then describe the decoded body. An unknown coding is refused rather than parsed as HTML.
 */
function decompressed(message: http.IncomingMessage, headers: Headers, url: string): Readable {
  const codings = (headers.get("content-encoding") ?? "")
    .split(",")
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== "identity");
  let body: Readable = message;
  for (const coding of codings.reverse()) {
    const decoder = DECODERS[coding];
    if (!decoder) {
      message.destroy();
      throw new FetchRefusedError("not-html", `the server sent the page in an encoding this bot cannot read (${coding})`, url);
    }
    const next = decoder();
    // A corrupt stream ends the fetch with a reason, not a half page.
    body.on("error", (error) => next.destroy(error));
    body = body.pipe(next);
  }
  if (codings.length > 0) {
    headers.delete("content-encoding");
    headers.delete("content-length");
  }
  return body;
}

/** Reads the body, aborting as soon as it passes `maxBytes` (Content-Length is not trusted). */
async function readCapped(response: Response, maxBytes: number, url: URL): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw refused("too-large", `the page did not finish loading: it is larger than the limit of ${maxBytes} bytes`, url);
    }
    parts.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.byteLength;
  }
  return bytes;
}

/**
 * Bytes → text: the Content-Type's `charset` when Node knows the label, else a `<meta charset>`
 * (or `<?xml encoding>`) in the first 2 KB, else UTF-8. Invalid bytes become U+FFFD.
 */
export function decode(bytes: Uint8Array, contentType: string): string {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 2048));
  const labels = [
    /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType)?.[1],
    /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1],
    /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i.exec(head)?.[1],
  ];
  for (const label of labels) {
    if (!label) continue;
    try {
      return new TextDecoder(label).decode(bytes);
    } catch {
      // Not a label Node knows: try the next hint.
    }
  }
  return new TextDecoder("utf-8").decode(bytes);
}

function refused(code: FetchRefusalCode, message: string, url: URL): FetchRefusedError {
  return new FetchRefusedError(code, message, url.href);
}

/** The innermost message: fetch wraps socket errors in `TypeError("fetch failed")` with a `cause`. */
function causeOf(error: unknown): string {
  let current = error as { message?: string; code?: string; cause?: unknown } | undefined;
  while (current?.cause) current = current.cause as typeof current;
  return current?.code ?? current?.message ?? String(error);
}
