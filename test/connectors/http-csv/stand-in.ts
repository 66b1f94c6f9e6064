import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface StandIn {
  url: string;
  requests: { path: string; headers: IncomingMessage["headers"] }[];
  close(): Promise<void>;
}

export type Route = (
  url: URL,
  req: IncomingMessage,
  body: string,
) => { status?: number; headers?: Record<string, string>; body?: string; hang?: boolean };

/** A local HTTP server answering with whatever the route says, recording every request. */
export async function openStandIn(route: Route): Promise<StandIn> {
  const requests: StandIn["requests"] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    requests.push({ path: `${url.pathname}${url.search}`, headers: req.headers });
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      const answer = route(url, req, body);
      if (answer.hang) return;
      res.writeHead(answer.status ?? 200, answer.headers ?? { "content-type": "application/json" });
      res.end(answer.body ?? "");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
