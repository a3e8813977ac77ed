import fs from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { articleIdForUrl, CorpusFiles, CorpusRefusedError, safeUploadName } from "../../src/admin";
import type { Article } from "../../src/domain/types";
import { loadCorpus, makeArticle } from "../../src/ingest";
import { snapshot, workspace, writeFile, type Workspace } from "./helpers";

let ws: Workspace;
let inIndex: Map<string, Article>;
let files: CorpusFiles;

beforeEach(async () => {
  ws = await workspace({
    "one.md": "---\nid: one\ntitle: Một\n---\n\nBài thứ nhất.\n",
    "news.jsonl": '{"id":"j1","title":"A","text":"Bài A."}\n{"id":"j2","title":"B","text":"Bài B."}\n',
  });
  inIndex = new Map((await loadCorpus([ws.corpusDir])).articles.map((a) => [a.id, a]));
  files = new CorpusFiles({ corpusDir: ws.corpusDir, uploadMaxBytes: 4096, findArticle: (id) => inIndex.get(id) });
});
afterEach(() => ws.cleanup());

async function refusedWith(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(CorpusRefusedError);
  return (error as CorpusRefusedError).code;
}

describe("articleIdForUrl", () => {
  it("makes a readable slug of host and path, the same for the same page", () => {
    const id = articleIdForUrl("https://www.baothu.vn/thoi-su/lu-quet.html?utm_source=fb#top");
    expect(id).toBe("baothu-vn-thoi-su-lu-quet");
    expect(articleIdForUrl("http://baothu.vn/thoi-su/lu-quet.html")).toBe(id);
    expect(articleIdForUrl("https://baothu.vn/thoi-su/lu-quet.html/")).toBe(id);
    expect(articleIdForUrl("https://baothu.vn/tin?id=12")).not.toBe(articleIdForUrl("https://baothu.vn/tin?id=13"));
    expect(articleIdForUrl("https://baothu.vn/Đường-sắt-Bắc-Nam")).toBe("baothu-vn-duong-sat-bac-nam");
  });

  it("cuts long ids to 48 bytes with a hash, so two long URLs stay apart", () => {
    const a = articleIdForUrl(`https://vnexpress.net/${"gia-xang-tang-lan-thu-ba-lien-tiep-".repeat(3)}4712345.html`);
    const b = articleIdForUrl(`https://vnexpress.net/${"gia-xang-tang-lan-thu-ba-lien-tiep-".repeat(3)}4712346.html`);
    expect(a.length).toBeLessThanOrEqual(48);
    expect(a).not.toBe(b);
    expect(a).toMatch(/-[0-9a-f]{8}$/);
  });

  it("is always ASCII, ≤ 48 bytes, and a valid file name", () => {
    // Any text in the path and query (Vietnamese, emoji, separators), percent-encoded as browsers send it.
    const url = fc
      .tuple(
        fc.stringMatching(/^[a-z0-9]{1,20}(\.[a-z]{2,6}){1,2}$/),
        fc.array(fc.string({ unit: "grapheme", maxLength: 40 }), { maxLength: 6 }),
        fc.string({ unit: "grapheme", maxLength: 20 }),
      )
      .map(([host, segments, query]) => `https://${host}/${segments.map(encodeURIComponent).join("/")}?q=${encodeURIComponent(query)}`);
    fc.assert(
      fc.property(url, (href) => {
        const id = articleIdForUrl(href);
        return Buffer.byteLength(id) <= 48 && /^[a-z0-9][a-z0-9-]*$/.test(id);
      }),
      { numRuns: 200 },
    );
  });
});

describe("safeUploadName", () => {
  it("keeps the last path component only, ASCII, never hidden", () => {
    expect(safeUploadName("../../etc/passwd.txt")).toBe("passwd.txt");
    expect(safeUploadName("..\\..\\boot.ini.md")).toBe("boot.ini.md");
    expect(safeUploadName(".hidden.md")).toBe("hidden.md");
    expect(safeUploadName("Tin tức hôm nay.JSONL")).toBe("tin-tuc-hom-nay.jsonl");
    expect(safeUploadName("....md")).toBe("upload.md");
  });

  it("refuses extensions no loader reads", () => {
    for (const name of ["a.exe", "a.pdf", "a.docx", "noext", "a.md.sh"]) {
      expect(() => safeUploadName(name)).toThrow(CorpusRefusedError);
    }
  });
});

describe("CorpusFiles", () => {
  const article = (body: string) =>
    makeArticle({ id: "baothu-vn-a", title: "Tin A", body: [body], url: "https://baothu.vn/a", source: "added/baothu-vn-a.md" });

  it("saves an article as added/<id>.md that loads back unchanged, and replaces it in place", async () => {
    const first = await files.saveArticle(article("Nội dung đầu."));
    expect(first).toMatchObject({ source: "added/baothu-vn-a.md", state: "added" });
    expect(await files.saveArticle(article("Nội dung đầu."))).toMatchObject({ state: "unchanged" });
    expect(await files.saveArticle(article("Nội dung mới."))).toMatchObject({ state: "updated" });
    const loaded = (await loadCorpus([ws.corpusDir])).articles.find((a) => a.id === "baothu-vn-a");
    expect(loaded).toEqual(article("Nội dung mới."));
    expect((await fs.readdir(path.join(ws.corpusDir, "added"))).sort()).toEqual(["baothu-vn-a.md"]);
  });

  it("validates an upload with the real loaders and writes nothing when it does not parse", async () => {
    const before = await snapshot(ws.corpusDir);
    const bad: Array<[string, string]> = [
      ["broken.json", '{"title": "x", '],
      ["half.jsonl", '{"title":"A","text":"Một."}\nnot json\n'],
      ["empty.md", "---\ntitle: Trống\n---\n"],
      ["big.txt", "a".repeat(5000)],
      ["taken.md", "---\nid: j1\ntitle: Trùng\n---\n\nTrùng id.\n"],
      ["twice.jsonl", '{"id":"x","title":"A","text":"Một."}\n{"id":"x","title":"B","text":"Hai."}\n'],
    ];
    const codes = [];
    for (const [name, text] of bad) codes.push(await refusedWith(files.saveUpload(name, Buffer.from(text))));
    codes.push(await refusedWith(files.saveUpload("latin.txt", Buffer.from("Caf\xe9", "latin1"))));
    expect(codes).toEqual(["unparsable", "unparsable", "unparsable", "too-large", "id-taken", "id-taken", "not-utf8"]);
    expect(await snapshot(ws.corpusDir)).toEqual(before);
  });

  it("saves a valid upload under uploads/ with ids as the ingest will give them", async () => {
    const saved = await files.saveUpload("Tin ngắn.jsonl", Buffer.from('{"title":"A","text":"Một."}\n{"title":"B","text":"Hai."}\n'));
    expect(saved.source).toBe("uploads/tin-ngan.jsonl");
    expect(saved.articles.map((a) => a.id)).toEqual(["tin-ngan-1", "tin-ngan-2"]);
    const loaded = (await loadCorpus([ws.corpusDir])).articles.filter((a) => a.source.startsWith("uploads/"));
    expect(loaded).toEqual(saved.articles);
  });

  it("trashes a file holding one article and restores it; refuses one record of many", async () => {
    const { trashed } = await files.trash("one");
    expect(trashed).toMatch(/^\.trash\/\d{8}T\d+Z-one\.md$/);
    await expect(fs.access(path.join(ws.corpusDir, "one.md"))).rejects.toThrow();
    expect((await loadCorpus([ws.corpusDir])).articles.map((a) => a.id)).not.toContain("one");

    inIndex.delete("one");
    await files.undelete("one");
    expect((await loadCorpus([ws.corpusDir])).articles.map((a) => a.id)).toContain("one");
    expect(await refusedWith(files.undelete("one"))).toBe("not-in-trash");

    expect(await refusedWith(files.trash("j1"))).toBe("shared-file");
    expect(await refusedWith(files.trash("nope"))).toBe("not-found");
  });

  it("never resolves a source outside the corpus", async () => {
    inIndex.set("evil", { ...inIndex.get("one")!, id: "evil", source: "../outside.md" });
    await writeFile(path.join(ws.root, "outside.md"), "---\nid: evil\ntitle: X\n---\n\nY.\n");
    expect(await refusedWith(files.trash("evil"))).toBe("not-found");
    await expect(fs.access(path.join(ws.root, "outside.md"))).resolves.toBeUndefined();
  });
});
