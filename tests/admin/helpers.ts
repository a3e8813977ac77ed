import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { AdminService, type AdminResult } from "../../src/admin";
import { QaService } from "../../src/app";
import { loadConfig, type Config } from "../../src/config";
import { silentLogger } from "../../src/logger";

export const ADMIN = { id: 1, username: "editor" };
export const STRANGER = { id: 666, username: "mallory" };

/** Three small seed articles, one per file, about distinct topics. */
export const SEED: Record<string, string> = {
  "md/cau-vang.md": `---
id: cau-vang
title: Cầu Vàng đón khách trở lại
date: 2024-05-01
---

Cầu Vàng ở Bà Nà đón hơn mười nghìn lượt khách trong dịp nghỉ lễ.

Ban quản lý cho biết lượng khách quốc tế tăng gấp đôi so với năm trước.
`,
  "md/lua-gao.md": `---
id: lua-gao
title: Giá lúa gạo tăng mạnh ở đồng bằng sông Cửu Long
date: 2023-08-15
---

Giá lúa tại An Giang tăng thêm 500 đồng mỗi ký trong tuần qua.

Thương lái thu mua lúa tươi với giá 8.200 đồng một ký.
`,
  "txt/sat-lo.txt": `Sạt lở đất ở Lạng Sơn

Mưa lớn kéo dài gây sạt lở đất tại huyện Chi Lăng, tỉnh Lạng Sơn.
Chính quyền đã di dời 40 hộ dân khỏi vùng nguy hiểm.
`,
};

export interface Workspace {
  root: string;
  corpusDir: string;
  indexDir: string;
  auditPath: string;
  config: Config;
  cleanup(): Promise<void>;
}

/** A temporary folder with `corpus/` (the seed files, or `files`) and a path for `embeddings/`. */
export async function workspace(files: Record<string, string> = SEED, env: Record<string, string> = {}): Promise<Workspace> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "admin-test-"));
  const corpusDir = path.join(root, "corpus");
  const indexDir = path.join(root, "embeddings");
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(corpusDir, name), text);
  const config = loadConfig({ CORPUS_DIR: corpusDir, INDEX_DIR: indexDir, DENSE_RETRIEVAL: "off", ADMIN_IDS: String(ADMIN.id), ...env });
  return {
    root,
    corpusDir,
    indexDir,
    auditPath: path.join(root, "logs", "audit.jsonl"),
    config,
    cleanup: () => fs.rm(root, { recursive: true, force: true }),
  };
}

export function openService(ws: Workspace): Promise<QaService> {
  return QaService.open({ config: ws.config, logger: silentLogger, embedder: null, denseOffReason: "test" });
}

/** An admin service over `service` that may fetch from 127.0.0.1 (the test servers). */
export function openAdmin(ws: Workspace, service: QaService, allowPrivate = true): Promise<AdminService> {
  return AdminService.create({ service, logger: silentLogger, auditPath: ws.auditPath, fetch: { allowPrivate, timeoutSeconds: 5 } });
}

export async function writeFile(file: string, text: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
}

/** Every file under `dir` (hidden ones too) with a hash of its content: "changes nothing" = equal listings. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (folder: string): Promise<void> => {
    const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out[path.relative(dir, full)] = createHash("sha256").update(await fs.readFile(full)).digest("hex").slice(0, 12);
    }
  };
  await walk(dir);
  return out;
}

export type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

export interface TestServer {
  /** `http://127.0.0.1:<port><path>` */
  url(pathname: string): string;
  /** Paths requested so far, in order. */
  hits: string[];
  routes: Map<string, Handler>;
  close(): Promise<void>;
}

/** A local HTTP server on 127.0.0.1 with a route table the test can change as it goes. */
export async function serve(routes: Record<string, Handler> = {}): Promise<TestServer> {
  const table = new Map(Object.entries(routes));
  const hits: string[] = [];
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? "/", "http://x").pathname;
    hits.push(pathname);
    const handler = table.get(pathname);
    if (handler) handler(request, response);
    else response.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (pathname) => `http://127.0.0.1:${port}${pathname}`,
    hits,
    routes: table,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A handler answering `body` with a content type. */
export function send(body: string | Buffer, contentType = "text/html; charset=utf-8", status = 200): Handler {
  return (_request, response) => {
    response.writeHead(status, { "content-type": contentType });
    response.end(body);
  };
}

/** A news page as a CMS would serve it. */
export function articlePage(title: string, paragraphs: string[], date = "2024-09-10T08:00:00+07:00"): string {
  return `<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<title>${title} | Báo Thử</title>
<meta property="og:title" content="${title}">
<meta property="article:published_time" content="${date}">
<meta name="author" content="Thu Trang">
</head><body>
<header><nav><a href="/">Trang chủ</a></nav></header>
<main><article><h1>${title}</h1>
${paragraphs.map((p) => `<p>${p}</p>`).join("\n")}
</article></main>
<footer><p>Bản quyền Báo Thử.</p></footer>
</body></html>`;
}

/** Waits until `condition` holds (polling), failing after `ms`. */
export async function until(condition: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for a condition");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The value of an ok result (fails the test, showing the result, otherwise). */
export function value<T>(result: AdminResult<T>): T {
  if (result.status !== "ok") throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result.value;
}

/** Stops the admin's work, closes the server and removes the workspace. */
export async function closeAll(admin: AdminService, server: TestServer, ws: Workspace): Promise<void> {
  await admin.stop();
  await server.close();
  await ws.cleanup();
}

/** An article whose numbers change between two versions; the question matches the changed sentences. */
export const fare = (price: string, minutes: string) => `---
id: gia-ve
title: Giá vé tàu điện Cát Linh - Hà Đông
date: 2024-06-01
---

Giá vé tàu điện Cát Linh - Hà Đông là ${price} đồng một lượt.

Tàu chạy ${minutes} phút một chuyến vào giờ cao điểm.
`;
export const FARE_QUESTION = "Giá vé tàu điện Cát Linh - Hà Đông bao nhiêu đồng một lượt?";
