import zlib from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addressProblem, fetchArticlePage, FetchRefusedError, type FetchLike, type FetchPageOptions } from "../../src/admin";
import { articlePage, send, serve, type TestServer } from "./helpers";

const open: FetchPageOptions = { allowPrivate: true, timeoutSeconds: 5, maxBytes: 64 * 1024 };
const strict: FetchPageOptions = { ...open, allowPrivate: false };

let server: TestServer;
beforeEach(async () => {
  server = await serve({ "/bai": send(articlePage("Tiêu đề", ["Đoạn một."])) });
});
afterEach(() => server.close());

/** The refusal a fetch ends with (fails the test when it succeeds or throws something else). */
async function refusal(promise: Promise<unknown>): Promise<FetchRefusedError> {
  const error = await promise.then(
    () => new Error("expected a refusal, the fetch succeeded"),
    (e: unknown) => e,
  );
  if (!(error instanceof FetchRefusedError)) throw error;
  return error;
}

describe("fetchArticlePage", () => {
  it("fetches an HTML page from the local server when private addresses are allowed", async () => {
    const { finalUrl, html } = await fetchArticlePage(server.url("/bai"), open);
    expect(finalUrl).toBe(server.url("/bai"));
    expect(html).toContain("Đoạn một.");
  });

  it("refuses schemes other than http and https", async () => {
    for (const url of ["ftp://example.com/a", "file:///etc/passwd", "javascript:alert(1)", "not a url"]) {
      expect((await refusal(fetchArticlePage(url, open))).code).toBe("scheme");
    }
  });

  it("refuses loopback and private literal addresses before any connection", async () => {
    const urls = [
      server.url("/bai"), // 127.0.0.1
      "http://10.0.0.1/",
      "http://192.168.1.1/",
      "http://169.254.169.254/latest/meta-data/",
      "http://100.64.0.1/",
      "http://0.0.0.0/",
      "http://[::1]/",
      "http://[::ffff:127.0.0.1]/",
      "http://[fd00::1]/",
      "http://[fe80::1]/",
    ];
    for (const url of urls) {
      const error = await refusal(fetchArticlePage(url, strict));
      expect(error.code, url).toBe("private-address");
    }
    expect(server.hits).toEqual([]);
  });

  it("refuses a host name that resolves to a private address (every address is checked)", async () => {
    const lookup = async (host: string) =>
      host === "intranet.example" ? [{ address: "93.184.216.34", family: 4 }, { address: "10.1.2.3", family: 4 }] : [];
    const error = await refusal(fetchArticlePage("http://intranet.example/", { ...strict, lookup }));
    expect(error.code).toBe("private-address");
    expect(error.message).toContain("10.1.2.3");
  });

  it("reports a host that does not resolve as a DNS failure", async () => {
    const lookup = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };
    expect((await refusal(fetchArticlePage("http://nowhere.example/", { ...strict, lookup }))).code).toBe("dns");
  });

  it("pins the connection to checked addresses: a second answer naming loopback is refused (DNS rebinding)", async () => {
    let calls = 0;
    // First answer (the up-front check) public, second (the socket's own lookup) loopback.
    const lookup = async () => [{ address: calls++ === 0 ? "93.184.216.34" : "127.0.0.1", family: 4 }];
    const error = await refusal(fetchArticlePage("http://rebind.example/bai", { ...strict, lookup }));
    expect(error.code).toBe("private-address");
    expect(calls).toBe(2);
    expect(server.hits).toEqual([]);
  });

  it("re-checks every redirect: a public page redirecting to a private address is refused", async () => {
    const asked: string[] = [];
    const fetchImpl: FetchLike = async (url) => {
      asked.push(url);
      return new Response(null, { status: 302, headers: { location: "http://10.0.0.5/admin" } });
    };
    const lookup = async () => [{ address: "93.184.216.34", family: 4 }];
    const error = await refusal(fetchArticlePage("http://news.example/a", { ...strict, fetchImpl, lookup }));
    expect(error.code).toBe("private-address");
    expect(error.url).toBe("http://10.0.0.5/admin");
    expect(asked).toEqual(["http://news.example/a"]);
  });

  it("follows up to five redirects, relative ones included, and reports the final URL", async () => {
    server.routes.set("/r1", (_q, r) => r.writeHead(301, { location: "/r2" }).end());
    server.routes.set("/r2", (_q, r) => r.writeHead(307, { location: server.url("/bai") }).end());
    const { finalUrl } = await fetchArticlePage(server.url("/r1"), open);
    expect(finalUrl).toBe(server.url("/bai"));

    server.routes.set("/loop", (_q, r) => r.writeHead(302, { location: "/loop" }).end());
    const error = await refusal(fetchArticlePage(server.url("/loop"), open));
    expect(error.code).toBe("http-status");
    expect(server.hits.filter((h) => h === "/loop")).toHaveLength(6);
  });

  it("refuses a body over the cap while it streams, without a Content-Length", async () => {
    let written = 0;
    server.routes.set("/big", (_q, response) => {
      response.writeHead(200, { "content-type": "text/html" }); // chunked: no length announced
      const chunk = Buffer.alloc(16 * 1024, "a");
      const timer = setInterval(() => {
        if (response.destroyed || written > 10 * 1024 * 1024) return clearInterval(timer), response.end();
        written += chunk.length;
        response.write(chunk);
      }, 1);
    });
    const error = await refusal(fetchArticlePage(server.url("/big"), open));
    expect(error.code).toBe("too-large");
    expect(written).toBeLessThan(2 * 1024 * 1024);
  });

  it("refuses at once a Content-Length over the cap", async () => {
    server.routes.set("/long", send(Buffer.alloc(100 * 1024, "a")));
    expect((await refusal(fetchArticlePage(server.url("/long"), open))).code).toBe("too-large");
  });

  it("refuses what is not HTML", async () => {
    server.routes.set("/json", send('{"a":1}', "application/json"));
    server.routes.set("/pdf", send("%PDF-1.4", "application/pdf"));
    server.routes.set("/none", (_q, r) => r.writeHead(200).end("<p>no type</p>"));
    for (const route of ["/json", "/pdf", "/none"]) {
      expect((await refusal(fetchArticlePage(server.url(route), open))).code, route).toBe("not-html");
    }
    server.routes.set("/xhtml", send(articlePage("X", ["Y."]), "application/xhtml+xml"));
    await expect(fetchArticlePage(server.url("/xhtml"), open)).resolves.toBeTruthy();
  });

  it("refuses an error status", async () => {
    const error = await refusal(fetchArticlePage(server.url("/missing"), open));
    expect(error.code).toBe("http-status");
    expect(error.message).toContain("404");
  });

  it("gives up after the timeout", async () => {
    server.routes.set("/slow", () => undefined); // never answers
    const error = await refusal(fetchArticlePage(server.url("/slow"), { ...open, timeoutSeconds: 0.2 }));
    expect(error.code).toBe("timeout");
  });

  it("decodes the charset the Content-Type names, else UTF-8", async () => {
    server.routes.set("/latin1", send(Buffer.from("<p>Café crème</p>", "latin1"), "text/html; charset=ISO-8859-1"));
    expect((await fetchArticlePage(server.url("/latin1"), open)).html).toContain("Café crème");
    server.routes.set("/utf8", send(Buffer.from("<p>Tiếng Việt</p>"), "text/html"));
    expect((await fetchArticlePage(server.url("/utf8"), open)).html).toContain("Tiếng Việt");
    server.routes.set("/bogus", send(Buffer.from("<p>Tiếng Việt</p>"), "text/html; charset=no-such-charset"));
    expect((await fetchArticlePage(server.url("/bogus"), open)).html).toContain("Tiếng Việt");
  });

  it("decodes gzip, deflate and brotli pages (servers compress even unasked)", async () => {
    const page = Buffer.from(articlePage("Nén", ["Trang được nén bằng gzip."]));
    const codings: Record<string, Buffer> = { gzip: zlib.gzipSync(page), deflate: zlib.deflateSync(page), br: zlib.brotliCompressSync(page) };
    for (const [coding, body] of Object.entries(codings)) {
      server.routes.set(`/${coding}`, (_q, response) => response.writeHead(200, { "content-type": "text/html", "content-encoding": coding }).end(body));
      expect((await fetchArticlePage(server.url(`/${coding}`), open)).html, coding).toBe(page.toString());
      expect((await fetchArticlePage(server.url(`/${coding}`), { ...open, fetchImpl: fetch })).html, `${coding}, global fetch`).toBe(page.toString());
    }
  });

  it("refuses a compressed page that inflates past the cap, a corrupt one and an unknown coding", async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(10 * 1024 * 1024, "a")); // 10 KB on the wire
    server.routes.set("/bomb", (_q, r) => r.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" }).end(bomb));
    expect((await refusal(fetchArticlePage(server.url("/bomb"), open))).code).toBe("too-large");
    const corrupt = Buffer.concat([zlib.gzipSync(Buffer.from(articlePage("A", ["B."]))).subarray(0, 30), Buffer.alloc(200, 7)]);
    server.routes.set("/corrupt", (_q, r) => r.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" }).end(corrupt));
    expect((await refusal(fetchArticlePage(server.url("/corrupt"), open))).message).toMatch(/did not finish loading/);
    server.routes.set("/zstd", (_q, r) => r.writeHead(200, { "content-type": "text/html", "content-encoding": "zstd" }).end("xx"));
    expect((await refusal(fetchArticlePage(server.url("/zstd"), open))).message).toMatch(/encoding this bot cannot read \(zstd\)/);
  });

  it("refuses a page cut off mid-body, by the timeout or by the connection: never half a page", async () => {
    const page = articlePage("Tiêu đề", ["Một câu văn. ".repeat(200)]);
    // Headers and half the body, then nothing: the timeout cuts it.
    server.routes.set("/stall", (_q, r) => {
      r.writeHead(200, { "content-type": "text/html", "content-length": String(Buffer.byteLength(page)) });
      r.write(page.slice(0, page.length / 2));
    });
    // More announced than sent, then the connection closes.
    server.routes.set("/cut", (_q, r) => {
      r.writeHead(200, { "content-type": "text/html", "content-length": String(Buffer.byteLength(page) + 500) });
      r.write(page);
      setTimeout(() => r.socket?.destroy(), 50);
    });
    for (const fetchImpl of [undefined, fetch]) {
      const options = { ...open, timeoutSeconds: 0.5, ...(fetchImpl ? { fetchImpl } : {}) };
      const stalled = await refusal(fetchArticlePage(server.url("/stall"), options));
      expect([stalled.code, stalled.message]).toEqual(["timeout", "the page did not finish loading within 0.5 s"]);
      const cut = await refusal(fetchArticlePage(server.url("/cut"), options));
      expect(cut.message).toMatch(/^the page did not finish loading: the connection broke/);
    }
  });

  it("refuses a binary body served as HTML instead of decoding it into an article of replacement characters", async () => {
    const noise = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    server.routes.set("/noise", send(noise, "text/html"));
    const error = await refusal(fetchArticlePage(server.url("/noise"), open));
    expect([error.code, error.message]).toEqual(["not-html", expect.stringMatching(/^the page is not readable text \(\d+\.\d % control or undecodable characters\)$/)]);
  });

  it("works over the global fetch too", async () => {
    const { html } = await fetchArticlePage(server.url("/bai"), { ...open, fetchImpl: fetch });
    expect(html).toContain("Đoạn một.");
  });
});

describe("addressProblem", () => {
  it("accepts public unicast and names the range of everything else", () => {
    expect(addressProblem("93.184.216.34")).toBeNull();
    expect(addressProblem("2606:4700:4700::1111")).toBeNull();
    expect(addressProblem("172.16.5.4")).toContain("private");
    expect(addressProblem("100.100.1.1")).toContain("carrierGradeNat");
    expect(addressProblem("224.0.0.1")).toContain("multicast");
    expect(addressProblem("240.0.0.1")).toContain("reserved");
    expect(addressProblem("fc00::1")).toContain("uniqueLocal");
    expect(addressProblem("::")).toContain("unspecified");
    expect(addressProblem("::ffff:10.0.0.1")).toContain("private");
  });

  it("refuses IPv4-compatible IPv6 addresses (::7f00:1 is 127.0.0.1) and the rest of ::/8", () => {
    expect(addressProblem("::7f00:1")).toBe("an IPv4-compatible address (127.0.0.1)");
    expect(addressProblem("::a00:1")).toBe("an IPv4-compatible address (10.0.0.1)");
    expect(addressProblem("::808:808")).toBe("an IPv4-compatible address (8.8.8.8)");
    expect(addressProblem("::1:7f00:1")).toBe("a reserved address (::/8)");
  });

  it("refuses [::127.0.0.1] and [::7f00:1] in a URL before connecting", async () => {
    for (const url of ["http://[::127.0.0.1]/", "http://[::7f00:1]:8080/bai", "http://[0:0:0:0:0:0:7f00:1]/"]) {
      const error = await refusal(fetchArticlePage(url, strict));
      expect(error.code, url).toBe("private-address");
    }
  });
});
