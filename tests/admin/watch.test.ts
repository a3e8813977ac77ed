import fs from "node:fs/promises";
import path from "node:path";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { watchIndex } from "../../src/admin";
import { ingest, type QaService } from "../../src/app";
import { silentLogger } from "../../src/logger";
import { currentVersion } from "../../src/store";
import { openService, until, type Workspace, workspace } from "./helpers";

let ws: Workspace;
let service: QaService;
let stop: () => void = () => undefined;

beforeEach(async () => {
  ws = await workspace();
  service = await openService(ws);
});
afterEach(async () => {
  stop();
  await ws.cleanup();
});

describe("watchIndex", () => {
  it("switches to a version written by a separate ingest (as `npm run ingest` would)", async () => {
    const reloaded: string[] = [];
    stop = watchIndex(service, { intervalMs: 10, onReload: (version) => reloaded.push(version) });
    await fs.writeFile(
      path.join(ws.corpusDir, "md/hoa-ban.md"),
      "---\nid: hoa-ban\ntitle: Lễ hội hoa ban\n---\n\nLễ hội hoa ban ở Điện Biên thu hút hai vạn du khách.\n",
    );
    // Another process's ingest: same folders, its own in-memory index that the service never sees.
    const result = await ingest({ config: ws.config, logger: silentLogger, embedder: null, denseOffReason: "test" });
    expect(result.written).toBe(true);
    const version = await currentVersion(ws.indexDir);

    await until(() => service.index.location === version);
    expect(reloaded).toEqual([version]);
    expect(service.index.article("hoa-ban")).toBeDefined();
    expect((await service.ask("Lễ hội hoa ban thu hút bao nhiêu du khách?")).citations[0]?.articleId).toBe("hoa-ban");
  });

  it("keeps serving when the version on disk cannot be loaded, and stops when told", async () => {
    const before = service.index;
    const errors: string[] = [];
    const logger = pino({ level: "error" }, { write: (line: string) => void errors.push(line) });
    stop = watchIndex(service, { intervalMs: 10, logger });
    await fs.mkdir(path.join(ws.indexDir, "v-broken"));
    await fs.writeFile(path.join(ws.indexDir, "CURRENT"), "v-broken\n");
    await until(() => errors.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(errors).toHaveLength(1); // not retried until CURRENT changes again
    expect(errors[0]).toContain("keeping the one in service");
    expect(service.index).toBe(before);
    expect((await service.ask("Giá lúa ở An Giang?")).notFound).toBe(false);

    stop();
    await fs.writeFile(path.join(ws.indexDir, "CURRENT"), `${path.basename(before.location!)}\n`);
    await ingest({ config: ws.config, logger: silentLogger, embedder: null, denseOffReason: "test", rebuild: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(service.index).toBe(before);
  });
});
