import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AuditLog } from "../../src/admin";

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), "audit-test-"));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

describe("AuditLog", () => {
  it("appends JSON lines in call order, creating its folder, and reads them back", async () => {
    const log = new AuditLog(path.join(dir, "logs", "nested", "audit.jsonl"));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => log.record({ userId: i, action: "add", target: `https://x.vn/${i}`, result: i % 2 ? "ok" : "refused" })),
    );
    await log.record({ at: "2024-01-01T00:00:00.000Z", userId: null, username: undefined, action: "feed-poll", result: "error", detail: "boom" });
    const all = await log.recent(100);
    expect(all.map((e) => e.userId)).toEqual([...Array.from({ length: 20 }, (_, i) => i), null]);
    expect(all.at(-1)).toEqual({ at: "2024-01-01T00:00:00.000Z", userId: null, action: "feed-poll", result: "error", detail: "boom" });
    expect(await log.recent(2)).toEqual(all.slice(-2));
    const lines = (await fs.readFile(log.file, "utf8")).trimEnd().split("\n");
    expect(lines).toHaveLength(21);
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty("at");
  });

  it("skips a line torn by a crash and reads an absent log as empty", async () => {
    const log = new AuditLog(path.join(dir, "audit.jsonl"));
    expect(await log.recent(5)).toEqual([]);
    await log.record({ userId: 1, action: "delete", target: "a1", result: "ok" });
    await fs.appendFile(log.file, '{"at":"2024-01-01","userId":1,"act');
    expect((await log.recent(5)).map((e) => e.target)).toEqual(["a1"]);
  });
});
