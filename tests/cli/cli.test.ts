import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAskCli } from "../../src/cli/ask";
import { runChat } from "../../src/cli/chat";
import { runEvalCli } from "../../src/cli/eval";
import { runIngestCli } from "../../src/cli/ingest";
import { loadConfig, type Config } from "../../src/config";
import { articleToMarkdown } from "../../src/ingest";
import { silentLogger } from "../../src/logger";
import { openService } from "../bot/harness";
import { SMALL_CORPUS } from "../helpers/articles";

/** Collects what a command writes. */
function capture() {
  let text = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  }) as Writable & NodeJS.WriteStream;
  return { stream, text: () => text };
}

let tmp: string;
let config: Config;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), "cli-"));
  const corpus = path.join(tmp, "corpus");
  await fs.mkdir(corpus);
  for (const a of SMALL_CORPUS) await fs.writeFile(path.join(corpus, `${a.id}.md`), articleToMarkdown(a));
  await fs.writeFile(path.join(corpus, "broken.json"), "{ not json");
  config = loadConfig({ CORPUS_DIR: corpus, INDEX_DIR: path.join(tmp, "index"), DENSE_RETRIEVAL: "off" });
});
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

describe("npm run ingest", () => {
  it("reports the skipped file, exits 0, and 1 only with --strict", async () => {
    const out = capture();
    expect(await runIngestCli([], config, silentLogger, out.stream)).toBe(0);
    expect(out.text()).toMatch(/skipped .*broken\.json: /);
    expect(out.text()).toMatch(/Indexed 4 articles \(\d+ passages\) in [\d.]+ s: 4 added, 0 updated, 0 removed, 0 unchanged, 1 skipped/);
    expect(out.text()).toMatch(/Dense retrieval is off: DENSE_RETRIEVAL=off/);

    const again = capture();
    expect(await runIngestCli(["--strict"], config, silentLogger, again.stream)).toBe(1);
    expect(again.text()).toMatch(/Up to date: 4 articles/);
  });
});

describe("npm run ask", () => {
  it("prints the Answer as one JSON document with verbatim quotes per citation", async () => {
    const out = capture();
    expect(await runAskCli(["--json", "Giá lúa ở An Giang là bao nhiêu?"], config, silentLogger, out.stream)).toBe(0);
    const answer = JSON.parse(out.text());
    expect(answer.notFound).toBe(false);
    expect(answer.citations[0]).toMatchObject({ n: 1, articleId: "lua-gao", title: SMALL_CORPUS[1]!.title, publishedAt: "2023-08-15", url: "https://example.vn/gia-lua-gao" });
    expect(SMALL_CORPUS[1]!.body).toContain(answer.citations[0].quote.split(" … ")[0]);
    expect(answer.text).toContain("[1]");
  });

  it("filters by date and refuses a malformed date", async () => {
    const out = capture();
    await runAskCli(["--json", "--until", "2020-01-01", "Giá lúa ở An Giang là bao nhiêu?"], config, silentLogger, out.stream);
    expect(JSON.parse(out.text()).notFound).toBe(true);
    const bad = capture();
    expect(await runAskCli(["--since", "01/03/2024", "giá lúa"], config, silentLogger, bad.stream)).toBe(2);
    expect(bad.text()).toMatch(/--since takes a date as YYYY-MM-DD/);
  });
});

describe("npm run chat", () => {
  it("answers one question per line, each of which may follow up the answer before it, until an empty line", async () => {
    const { service, cleanup } = await openService();
    const out = capture();
    const lines = ["Giá lúa ở Sóc Trăng là bao nhiêu?", "Thương lái cho biết nhu cầu thu mua thế nào?", "", "Giá lúa ở An Giang là bao nhiêu?"];
    await runChat({ service, input: Readable.from(lines.map((l) => `${l}\n`)), output: out.stream });
    await cleanup();
    const answers = out.text().split(/^\? /m).slice(1);
    expect(answers.map((a) => a.split("\n")[0])).toEqual(lines.slice(0, 2));
    // Alone, the second question finds the first of six rice-market articles (Đồng Tháp).
    for (const answer of answers) expect(answer).toMatch(/^\[1\] Thị trường lúa gạo ở Sóc Trăng/m);
  });
});

describe("npm run eval", () => {
  it("prints exactly one JSON object with the metrics", async () => {
    const qa = path.join(tmp, "qa.jsonl");
    await fs.writeFile(
      qa,
      [
        { id: "1", question: "Giá lúa ở An Giang là bao nhiêu?", answer: "8.000 đồng mỗi ký", gold_article_id: "lua-gao" },
        { id: "2", question: "Ai là huấn luyện viên đội tuyển bóng đá nữ?", answer: "Mai Đức Chung", gold_article_id: "bong-da" },
        { id: "3", question: "Công thức nấu phở bò Nam Định?", answer: "", gold_article_id: null },
      ]
        .map((x) => JSON.stringify(x))
        .join("\n"),
    );
    const out = capture();
    expect(await runEvalCli(["--qa", qa, "--articles", config.corpusDir, "--json"], config, silentLogger, out.stream)).toBe(0);
    const lines = out.text().trim().split("\n");
    expect(lines).toHaveLength(1);
    const m = JSON.parse(lines[0]!);
    expect(m).toMatchObject({ questions: 3, answerable: 2, recallAt1: 1, recallAt5: 1, mrrAt10: 1, answerContainment: 1, notFoundRate: 0, offCorpusNotFoundRate: 1 });
    expect(m.latencyP95Ms).toBeGreaterThanOrEqual(m.latencyP50Ms);
  });
});
