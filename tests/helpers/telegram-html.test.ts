import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseTelegramHtml, TelegramHtmlError } from "./telegram-html";

/** Text rich in what matters here: markup characters, surrogate pairs, accents, whitespace. */
const tricky = fc.string({
  unit: fc.oneof(fc.constantFrom("<", ">", "&", '"', ";", "#", "😀", "ộ", "\n", " "), fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 })),
});
const trickyNonEmpty = tricky.filter((text) => text.length > 0);

const escapeHtml = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

const rejection = (html: string): TelegramHtmlError => {
  try {
    parseTelegramHtml(html);
  } catch (error) {
    if (error instanceof TelegramHtmlError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(html)} to be rejected`);
};

describe("parseTelegramHtml", () => {
  it("reads nested tags as entities, outer before inner", () => {
    expect(parseTelegramHtml("<b>bold <i>both</i></b> plain")).toEqual({
      text: "bold both plain",
      entities: [
        { type: "bold", offset: 0, length: 9 },
        { type: "italic", offset: 5, length: 4 },
      ],
    });
  });

  it("maps every supported tag to its entity type", () => {
    const html =
      "<strong>a</strong><em>b</em><u>c</u><ins>d</ins><s>e</s><strike>f</strike><del>g</del>" +
      '<tg-spoiler>h</tg-spoiler><span class="tg-spoiler">i</span><code>j</code><pre>k</pre>' +
      '<blockquote>l</blockquote><blockquote expandable>m</blockquote><a href="https://x.test/?a=1&amp;b=2">n</a>' +
      '<tg-emoji emoji-id="5368324170671202286">o</tg-emoji>';
    const { text, entities } = parseTelegramHtml(html);
    expect(text).toBe("abcdefghijklmno");
    expect(entities.map((e) => e.type)).toEqual([
      "bold",
      "italic",
      "underline",
      "underline",
      "strikethrough",
      "strikethrough",
      "strikethrough",
      "spoiler",
      "spoiler",
      "code",
      "pre",
      "blockquote",
      "expandable_blockquote",
      "text_link",
      "custom_emoji",
    ]);
    expect(entities[13]).toEqual({ type: "text_link", offset: 13, length: 1, url: "https://x.test/?a=1&b=2" });
    expect(entities[14]).toEqual({ type: "custom_emoji", offset: 14, length: 1, custom_emoji_id: "5368324170671202286" });
  });

  it("turns <pre><code class=language-…> into one pre entity with a language", () => {
    expect(parseTelegramHtml('<pre><code class="language-ts">let x</code></pre>').entities).toEqual([
      { type: "pre", offset: 0, length: 5, language: "ts" },
    ]);
  });

  it("decodes the four named references and numeric ones", () => {
    expect(parseTelegramHtml("&lt;b&gt; &amp; &quot;q&quot; &#39;&#x1F600;").text).toBe("<b> & \"q\" '😀");
  });

  it("accepts upper-case start tags, single-quoted and unquoted attributes, and ignores unknown attributes", () => {
    expect(parseTelegramHtml("<B>x</b>").entities).toEqual([{ type: "bold", offset: 0, length: 1 }]);
    expect(parseTelegramHtml("<a href='https://x.test'>y</a>").entities).toEqual([
      { type: "text_link", offset: 0, length: 1, url: "https://x.test" },
    ]);
    expect(parseTelegramHtml("<code class=language-py>z</code>").entities).toEqual([{ type: "code", offset: 0, length: 1 }]);
    expect(parseTelegramHtml('<b title="x">w</b>').text).toBe("w");
  });

  it("counts visible length in UTF-16 code units, as Telegram's offsets do", () => {
    const { text, entities } = parseTelegramHtml("😀 <b>Hà Nội</b> &amp; 😀<i>x</i>");
    expect(text).toBe("😀 Hà Nội & 😀x");
    expect(text.length).toBe(15); // each 😀 is a surrogate pair
    expect(entities).toEqual([
      { type: "bold", offset: 3, length: 6 },
      { type: "italic", offset: 14, length: 1 },
    ]);
  });

  it("makes no entity for an empty tag", () => {
    expect(parseTelegramHtml("a<b></b>c")).toEqual({ text: "ac", entities: [] });
  });

  it.each([
    ["<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'],
    ["<div>x</div>", 'Unsupported start tag "div" at byte offset 0'],
    ["a < b", 'Unsupported start tag "" at byte offset 2'],
    ["a<b", "Unclosed start tag at byte offset 1"],
    ["<b>x", 'Can\'t find end tag corresponding to start tag "b"'],
    ["x</b>", "Unexpected end tag at byte offset 1"],
    ["<br>", 'Unsupported start tag "br" at byte offset 0'],
    ["<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'],
    ["<a>x</a>", 'Tag "a" must have a non-empty "href" attribute at byte offset 0'],
    ["<b x>y</b>", 'Expected equal sign in declaration of an attribute of the tag "b" at byte offset 0'],
    ["é<div>", 'Unsupported start tag "div" at byte offset 2'],
  ])("rejects %j", (html, message) => {
    expect(rejection(html).message).toBe(message);
  });

  it.each(["AT&T", "&foo;", "&lt", "&#0;", "&#xD800;", '<a href="https://x.test/?a=1&b=2">x</a>'])(
    "rejects the stray ampersand in %j and says how to escape it",
    (html) => {
      expect(rejection(html).message).toMatch(/escape a literal "&" as "&amp;"/);
    },
  );

  it("reads back any escaped text exactly, with no entities", () => {
    fc.assert(
      fc.property(tricky, (text) => {
        expect(parseTelegramHtml(escapeHtml(text))).toEqual({ text, entities: [] });
      }),
    );
  });

  it("gives a tag around escaped text an entity covering exactly that text", () => {
    fc.assert(
      fc.property(tricky, trickyNonEmpty, (before, inside) => {
        const { text, entities } = parseTelegramHtml(`${escapeHtml(before)}<i>${escapeHtml(inside)}</i>`);
        expect(entities).toEqual([{ type: "italic", offset: before.length, length: inside.length }]);
        expect(text.slice(before.length)).toBe(inside);
      }),
    );
  });
});
