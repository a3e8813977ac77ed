import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAskCli } from "../../src/cli/ask";
import { runChat } from "../../src/cli/chat";
import { formatAnswerText } from "../../src/cli/format";
import { runEvalCli } from "../../src/cli/eval";
import { INGEST_USAGE, runIngestCli } from "../../src/cli/ingest";
import { loadConfig, type Config } from "../../src/config";
import type { Answer } from "../../src/domain/types";
import { articleToMarkdown } from "../../src/ingest";
import { silentLogger } from "../../src/logger";
import { memoryLogger, openService } from "../bot/harness";
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

  it("answers a question about today only from the last two days' articles, and says when the latest older answer was published", async () => {
    // The fixture's rice-price article is of 2023-08-15, long before the clock's today: not quoted as today's price.
    const out = capture();
    expect(await runAskCli(["Giá lúa ở An Giang hôm nay là bao nhiêu?"], config, silentLogger, out.stream)).toBe(0);
    expect(out.text()).toContain("Không tìm thấy câu trả lời");
    expect(out.text()).not.toContain("[1]");
    const outdated: Answer = { question: "q", language: "vi", notFound: true, text: "", parts: [], citations: [], matchedTerms: [], suggestions: [], outdated: "2023-08-15" };
    expect(formatAnswerText(outdated)).toBe(
      "Chưa có bài viết nào trong hai ngày qua trả lời câu hỏi này. Bài gần nhất có câu trả lời đăng ngày 2023-08-15.",
    );
  });

  it("filters by date and refuses a malformed date", async () => {
    const out = capture();
    await runAskCli(["--json", "--until", "2020-01-01", "Giá lúa ở An Giang là bao nhiêu?"], config, silentLogger, out.stream);
    expect(JSON.parse(out.text()).notFound).toBe(true);
    const bad = capture();
    expect(await runAskCli(["--since", "01/03/2024", "giá lúa"], config, silentLogger, capture().stream, bad.stream)).toBe(2);
    expect(bad.text()).toMatch(/--since takes a date as YYYY-MM-DD/);
  });
});

describe("npm run chat", () => {
  it("answers one question per line, each of which may follow up the answer before it; an empty line does not quit, /quit does", async () => {
    const { service, cleanup } = await openService();
    const out = capture();
    const lines = ["Giá lúa ở Sóc Trăng là bao nhiêu?", "", "Thương lái cho biết nhu cầu thu mua thế nào?", "/quit", "Giá lúa ở An Giang là bao nhiêu?"];
    await runChat({ service, input: Readable.from(lines.map((l) => `${l}\n`)), output: out.stream });
    await cleanup();
    const [banner, ...answers] = out.text().split(/^\? /m);
    expect(answers.map((a) => a.split("\n")[0])).toEqual([lines[0], lines[2]]);
    // Alone, the second question finds the first of six rice-market articles (Đồng Tháp).
    for (const answer of answers) expect(answer).toMatch(/^\[1\] Thị trường lúa gạo ở Sóc Trăng/m);
    // Two lines: what is indexed, dense off and why (said once, here), and how to quit.
    expect(banner!.trim().split("\n")).toHaveLength(2);
    expect(banner).toMatch(/tìm kiếm ngữ nghĩa tắt \(test\)\./);
    expect(banner).toMatch(/\/quit, \/exit hoặc Ctrl-D/);
  });

  it("ends at end of input (Ctrl-D) and on /exit", async () => {
    const { service, cleanup } = await openService();
    for (const lines of [["Giá lúa ở Sóc Trăng là bao nhiêu?"], ["/exit", "Giá lúa ở Sóc Trăng là bao nhiêu?"]]) {
      const out = capture();
      await runChat({ service, input: Readable.from(lines.map((l) => `${l}\n`)), output: out.stream });
      expect(out.text().split(/^\? /m)).toHaveLength(lines[0] === "/exit" ? 1 : 2);
    }
    await cleanup();
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

describe("mistakes on the command line", () => {
  it("an unknown flag prints the usage line and exits 2 (ask, ingest, eval), nothing on standard output", async () => {
    for (const [run, argv, usage] of [
      [runAskCli, ["--jsn", "giá lúa"], /^usage: npm run ask -- /m],
      [runIngestCli, ["--rebuld"], /^usage: npm run ingest -- /m],
      [runEvalCli, ["--qa", "x.jsonl", "--artcles", "y.jsonl"], /^usage: npm run eval -- /m],
    ] as const) {
      const out = capture();
      const err = capture();
      expect(await run([...argv], config, silentLogger, out.stream, err.stream)).toBe(2);
      expect(err.text()).toMatch(/^Unknown option '--\w+'\n/);
      expect(err.text()).toMatch(usage);
      expect(out.text()).toBe("");
    }
  });

  it("a corpus path that does not exist exits 2 and leaves the index untouched", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "cli-missing-"));
    const index = path.join(dir, "index");
    expect(await runIngestCli(["--corpus", config.corpusDir, "--index", index], config, silentLogger, capture().stream)).toBe(0);
    const before = await snapshot(index);

    const out = capture();
    const err = capture();
    const missing = path.join(dir, "corpsu");
    expect(await runIngestCli(["--corpus", missing, "--index", index], config, silentLogger, out.stream, err.stream)).toBe(2);
    expect(err.text()).toContain(`corpus path ${missing} does not exist`);
    expect(await snapshot(index)).toEqual(before);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("a run that would remove more than half of the indexed articles refuses without --allow-removals", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "cli-removals-"));
    const index = path.join(dir, "index");
    expect(await runIngestCli(["--corpus", config.corpusDir, "--index", index], config, silentLogger, capture().stream)).toBe(0);
    const before = await snapshot(index);
    const one = path.join(config.corpusDir, `${SMALL_CORPUS[0]!.id}.md`);

    const err = capture();
    expect(await runIngestCli(["--corpus", one, "--index", index], config, silentLogger, capture().stream, err.stream)).toBe(1);
    expect(err.text()).toMatch(/would remove 3 of the 4 articles indexed in .*; nothing was written\. .*--allow-removals/);
    expect(await snapshot(index)).toEqual(before);
    // A rebuild compares with the index in service too.
    expect(await runIngestCli(["--corpus", one, "--index", index, "--rebuild"], config, silentLogger, capture().stream, capture().stream)).toBe(1);

    const out = capture();
    expect(await runIngestCli(["--corpus", one, "--index", index, "--allow-removals"], config, silentLogger, out.stream)).toBe(0);
    expect(out.text()).toMatch(/Indexed 1 articles .* 3 removed/);
    await fs.rm(dir, { recursive: true, force: true });
  });
});

describe("skipped files and records", () => {
  it("are reported once, one line per file with a count, a bad JSONL line as that line", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "cli-skipped-"));
    const good = (n: number) => JSON.stringify({ id: `r${n}`, title: `Bài số ${n} về giá lúa`, body: `Giá lúa hôm nay tăng thêm ${n} đồng mỗi ký ở An Giang.` });
    await fs.writeFile(path.join(dir, "one-bad.jsonl"), [good(1), good(2), "{ not json", good(4)].join("\n"));
    await fs.writeFile(path.join(dir, "many-bad.jsonl"), [good(5), ...Array.from({ length: 500 }, () => "{ nope")].join("\n"));
    await fs.writeFile(path.join(dir, "broken.json"), "{ not json");
    const memory = memoryLogger("info");
    const out = capture();
    expect(await runIngestCli(["--corpus", dir, "--index", path.join(dir, "..", `${path.basename(dir)}-index`)], config, memory.logger, out.stream)).toBe(0);
    const text = out.text();
    expect(text).toMatch(/one-bad\.jsonl: line 3 skipped \(invalid JSON/);
    expect(text).toMatch(/many-bad\.jsonl: 500 lines skipped \(the first, line 2: invalid JSON/);
    expect(text).toMatch(/skipped .*broken\.json: /);
    // One line per file, not one per record; and not logged again (details are at debug level).
    expect(text.split("\n").filter((l) => /\.jsonl?\b/.test(l))).toHaveLength(3);
    expect(text).toMatch(/every skipped line or item, with its reason: LOG_LEVEL=debug/);
    expect(text).not.toMatch(/skipped .*one-bad\.jsonl/);
    expect(memory.raw()).not.toMatch(/jsonl|broken/);
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(`${dir}-index`, { recursive: true, force: true });
  });
});

describe("the real commands (processes)", () => {
  const ROOT = path.resolve(import.meta.dirname, "../..");
  function run(script: string, args: string[], env: Record<string, string> = {}) {
    const child = spawn(process.execPath, ["--import", "tsx", `src/bin/${script}.ts`, ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", CORPUS_DIR: config.corpusDir, INDEX_DIR: config.indexDir, DENSE_RETRIEVAL: "off", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += String(chunk)));
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on("close", (code) => resolve({ code, stdout, stderr })),
    );
  }

  it.concurrent("an unknown flag: the usage line and exit 2, no stack trace", async () => {
    const { code, stdout, stderr } = await run("ingest", ["--rebuld"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(`Unknown option '--rebuld'\n${INGEST_USAGE}\n`);
  });

  it.concurrent("ask --json: standard output is the JSON alone, even with debug logs and a first build", async () => {
    const index = await fs.mkdtemp(path.join(os.tmpdir(), "cli-json-"));
    const { code, stdout, stderr } = await run("ask", ["--json", "Giá lúa ở An Giang là bao nhiêu?"], { INDEX_DIR: index, LOG_LEVEL: "debug" });
    await fs.rm(index, { recursive: true, force: true });
    expect(code).toBe(0);
    expect(JSON.parse(stdout).citations[0].articleId).toBe("lua-gao");
    expect(stderr).toMatch(/building it from/);
  });
});

/** Every file under an index folder with its size and modification time: "untouched" means equal. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    const stat = await fs.stat(file);
    files[path.relative(dir, file)] = entry.isFile() ? `${stat.size} ${stat.mtimeMs}` : "dir";
  }
  return files;
}
