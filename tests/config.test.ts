import { describe, expect, it } from "vitest";
import fs from "node:fs";
import { loadConfig } from "../src/config";
import { ConfigError } from "../src/domain/errors";

describe("loadConfig", () => {
  it("gives the documented defaults for an empty environment", () => {
    const config = loadConfig({}, "/srv/bot");
    expect(config.corpusDir).toBe("/srv/bot/corpus");
    expect(config.indexDir).toBe("/srv/bot/embeddings");
    expect(config.embedding).toMatchObject({ model: "Xenova/multilingual-e5-small", dtype: "q8", dense: "auto", allowRemoteModels: true });
    expect(config.telegram.apiRoot).toBe("https://api.telegram.org");
    expect(config.telegram.adminIds).toEqual([]);
  });

  it("parses lists, booleans and numbers", () => {
    const config = loadConfig({ ADMIN_IDS: "1, 2 3", FETCH_ALLOW_PRIVATE: "true", HNSW_EF_SEARCH: "128", TELEGRAM_API_ROOT: "http://127.0.0.1:8081/" });
    expect(config.telegram.adminIds).toEqual([1, 2, 3]);
    expect(config.fetch.allowPrivate).toBe(true);
    expect(config.hnsw.efSearch).toBe(128);
    expect(config.telegram.apiRoot).toBe("http://127.0.0.1:8081");
  });

  it("lists every invalid setting with its name", () => {
    const error = (() => {
      try {
        loadConfig({ ADMIN_IDS: "1,abc", HNSW_M: "0", LOG_LEVEL: "loud" });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems.join("\n")).toMatch(/ADMIN_IDS.*"abc"/);
    expect(error!.problems.join("\n")).toMatch(/HNSW_M/);
    expect(error!.problems.join("\n")).toMatch(/LOG_LEVEL/);
  });

  it("requires a secret with a webhook", () => {
    expect(() => loadConfig({ WEBHOOK_URL: "https://bot.example.vn/hook" })).toThrow(/WEBHOOK_SECRET/);
  });

  it("accepts .env.example as it is and documents every setting", () => {
    const text = fs.readFileSync(new URL("../.env.example", import.meta.url), "utf8");
    const env = Object.fromEntries(
      text.split("\n").filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );
    expect(() => loadConfig(env)).not.toThrow();
    const source = fs.readFileSync(new URL("../src/config.ts", import.meta.url), "utf8");
    const names = [...source.matchAll(/^  ([A-Z][A-Z_]+): /gm)].map((m) => m[1]);
    expect(names.length).toBeGreaterThan(20);
    for (const name of names) expect(Object.keys(env)).toContain(name);
  });
});
