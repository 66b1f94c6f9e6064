import { readFileSync, statSync } from "node:fs";
import { networkInterfaces } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService } from "../../src/compose/service.ts";
import { findRunningService } from "../../src/local/service-file.ts";
import { startTestService, type TestService } from "../support/test-service.ts";
import { raw, rawChunked } from "./raw-http.ts";

const external = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === "IPv4" && !i.internal)?.address;

let t: TestService;
let port: number;
let token: string;

beforeAll(async () => {
  t = await startTestService();
  port = t.service.port;
  const running = findRunningService(t.dataDir);
  if (!running) throw new Error("the service left no service file");
  token = running.token;
});

afterAll(async () => {
  await t?.stop();
});

const json = "application/json";
const ask = (text: string, headers: Record<string, string>) =>
  raw({
    port,
    method: "POST",
    path: "/api/local/ask",
    headers,
    body: JSON.stringify({ text, channel: "probe" }),
  });
const good = () => ({ host: `localhost:${port}`, "content-type": json, "x-clg-token": token });
/** What the probe channel heard: a refused request must leave no trace there. */
const heard = () =>
  t.rt.channelLog
    .since(0, "probe")
    .filter((e) => e.author === "user")
    .map((e) => e.text);

describe("the local endpoints act only for the operator on this machine", () => {
  it("the service file carries the token and only its owner can read it", () => {
    const file = join(t.dataDir, "service.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ port, token });
    expect(token.length).toBeGreaterThanOrEqual(43);
  });

  it("answers a JSON command with this start's token, under each local name", async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      const r = await ask("help", { ...good(), host, origin: `http://${host}` });
      expect(r.status, host).toBe(200);
    }
    expect(heard()).toEqual(["help", "help", "help"]);
  });

  it("refuses a text/plain or form body, the requests any page may send without asking", async () => {
    for (const type of [
      "text/plain",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
    ]) {
      const r = await ask("threshold activation red < 99", { ...good(), "content-type": type });
      expect(r.status, type).toBe(415);
      expect(r.json().error?.code).toBe("clg_bad_request");
    }
    const none = await ask("threshold activation red < 99", {
      host: `localhost:${port}`,
      "x-clg-token": token,
    });
    expect(none.status).toBe(415);
    expect(heard()).not.toContain("threshold activation red < 99");
  });

  it("refuses a request from a page of another origin, even with the token", async () => {
    for (const origin of [
      "http://evil.example",
      `http://localhost:${port + 1}`,
      `https://localhost:${port}`,
      "null",
    ]) {
      const r = await ask("threshold activation red < 99", { ...good(), origin });
      expect(r.status, origin).toBe(403);
      expect(r.json().error?.code).toBe("clg_forbidden");
    }
    const crossSite = await ask("threshold activation red < 99", {
      ...good(),
      "sec-fetch-site": "cross-site",
    });
    expect(crossSite.status).toBe(403);
    const sameSite = await ask("threshold activation red < 99", { ...good(), "sec-fetch-site": "same-site" });
    expect(sameSite.status).toBe(403);
    expect(heard()).not.toContain("threshold activation red < 99");
  });

  it("refuses another host name that resolves here (DNS rebinding), on the page and the endpoints", async () => {
    for (const host of [
      `evil.example:${port}`,
      "localhost",
      `localhost:${port + 1}`,
      `127.0.0.1.nip.io:${port}`,
    ]) {
      const page = await raw({ port, path: "/", headers: { host } });
      expect(page.status, host).toBe(403);
      expect(page.body).not.toContain(token);
      const r = await ask("threshold activation red < 99", { ...good(), host });
      expect(r.status, host).toBe(403);
    }
    expect(heard()).not.toContain("threshold activation red < 99");
  });

  it("refuses a missing or wrong token, on both endpoints", async () => {
    const { "x-clg-token": _, ...noToken } = good();
    expect((await ask("help", noToken)).status).toBe(403);
    expect((await ask("help", { ...good(), "x-clg-token": `${token.slice(0, -1)}x` })).status).toBe(403);
    expect((await ask("help", { ...good(), "x-clg-token": "" })).status).toBe(403);
    const messages = await raw({ port, path: "/api/local/messages", headers: { host: `localhost:${port}` } });
    expect(messages.status).toBe(403);
    expect(messages.json().error?.message).toContain("x-clg-token");
    const withToken = await raw({
      port,
      path: "/api/local/messages?channel=probe",
      headers: { host: `localhost:${port}`, "x-clg-token": token },
    });
    expect(withToken.status).toBe(200);
  });

  it("refuses what a reverse proxy on this host forwards: loopback by address, someone else in fact", async () => {
    for (const [name, value] of [
      ["x-forwarded-for", "203.0.113.7"],
      ["forwarded", "for=203.0.113.7"],
      ["x-real-ip", "203.0.113.7"],
      ["x-forwarded-host", "kpi.example.com"],
    ] as const) {
      const r = await ask("help", { ...good(), [name]: value });
      expect(r.status, name).toBe(403);
      expect(r.json().error?.message).toContain(name);
      const page = await raw({ port, path: "/", headers: { host: `localhost:${port}`, [name]: value } });
      expect(page.status, name).toBe(403);
    }
  });

  // The test service listens on 127.0.0.1 only; this one listens everywhere, as HOST=0.0.0.0 does, and is
  // reached on this machine's network address.
  it.skipIf(!external)("refuses a client on another address of this machine", async () => {
    const wide = await startService(t.rt, { port: 0, host: "0.0.0.0" });
    try {
      const page = await raw({
        port: wide.port,
        host: external,
        path: "/",
        headers: { host: `localhost:${wide.port}` },
      });
      expect(page.status).toBe(403);
      const health = await raw({ port: wide.port, host: external, path: "/healthz" });
      expect(health.status).not.toBe(403);
    } finally {
      await wide.stop();
    }
  });

  it("serves the page with its token, uncached, unframeable, running only its own script", async () => {
    const page = await raw({ port, path: "/", headers: { host: `localhost:${port}` } });
    expect(page.status).toBe(200);
    expect(page.body).toContain(`<meta name="clg-token" content="${token}">`);
    expect(page.headers["cache-control"]).toBe("no-store");
    expect(page.headers["x-frame-options"]).toBe("DENY");
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toContain("frame-ancestors 'none'");
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(page.body).toContain(`<script type="module" nonce="${nonce}">`);
  });
});

describe("request bodies are capped before they are read", () => {
  it("refuses a body declared larger than the cap with 413 and a clear JSON error", async () => {
    const big = "x".repeat(200 * 1024);
    const r = await ask(big, good());
    expect(r.status).toBe(413);
    expect(r.json().error).toEqual({
      code: "clg_too_large",
      message: "The request body is larger than 64 KiB; a command is at most 1,000 characters.",
    });
    expect(heard().some((text) => (text?.length ?? 0) > 100_000)).toBe(false);
  });

  it("stops reading a chunked body without Content-Length at the cap", async () => {
    const r = await rawChunked({
      port,
      path: "/api/local/ask",
      headers: { ...good(), "transfer-encoding": "chunked" },
      chunk: Buffer.alloc(16 * 1024, 0x78),
      maxBytes: 100 * 1024 * 1024,
    });
    expect(r.status).toBe(413);
    expect(r.json().error?.code).toBe("clg_too_large");
    // The answer came while the upload was still going: far less than the 100 MB was sent.
    expect(r.sent).toBeLessThan(20 * 1024 * 1024);
  });

  it("caps every other endpoint too (they take no body)", async () => {
    for (const path of ["/healthz", "/metrics", "/nowhere"]) {
      const r = await raw({
        port,
        method: "POST",
        path,
        headers: { host: `localhost:${port}` },
        body: "x".repeat(4096),
      });
      expect(r.status, path).toBe(413);
      expect(r.json().error?.code).toBe("clg_too_large");
    }
    const chunked = await rawChunked({
      port,
      path: "/healthz",
      headers: { "transfer-encoding": "chunked" },
      chunk: Buffer.alloc(16 * 1024, 0x78),
      maxBytes: 100 * 1024 * 1024,
    });
    expect(chunked.status).toBe(413);
    expect(chunked.sent).toBeLessThan(20 * 1024 * 1024);
  });

  it("a refused request is not read at all: a foreign page's upload gets 403 before its body", async () => {
    const r = await rawChunked({
      port,
      path: "/api/local/ask",
      headers: { ...good(), origin: "http://evil.example", "transfer-encoding": "chunked" },
      chunk: Buffer.alloc(16 * 1024, 0x78),
      maxBytes: 100 * 1024 * 1024,
    });
    expect(r.status).toBe(403);
  });
});

describe("a command that is far too long", () => {
  it("gets the parser's friendly answer, not a transport error", async () => {
    const r = await ask("a".repeat(10_000), good());
    expect(r.status).toBe(200);
    const body = r.json() as { text: string; message: { tone?: string } };
    expect(body.message.tone).toBe("error");
    expect(body.text).toContain("That command is too long (10000 characters).");
    expect(body.text).toContain("Commands are short: type `help` to see them.");
  });
});
