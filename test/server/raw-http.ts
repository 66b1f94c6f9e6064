import { request } from "node:http";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: () => { error?: { code: string; message: string } } & Record<string, unknown>;
}

export interface RawRequest {
  port: number;
  host?: string;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * One HTTP request with exactly the headers given (fetch would not let a test set Host, and a browser
 * would not let a page set Origin), so each check of the service can be driven on its own.
 */
export function raw(r: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: r.host ?? "127.0.0.1",
        port: r.port,
        method: r.method ?? "GET",
        path: r.path,
        headers:
          r.body === undefined
            ? r.headers
            : { "content-length": String(Buffer.byteLength(r.body)), ...r.headers },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d) => {
          body += d;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) }),
        );
      },
    );
    req.on("error", reject);
    req.end(r.body);
  });
}

/**
 * Streams a body in chunks with no Content-Length until the server answers, and reports how much was
 * sent by then: a capped endpoint answers long before the whole body is out.
 */
export function rawChunked(
  r: RawRequest & { chunk: Buffer; maxBytes: number },
): Promise<RawResponse & { sent: number }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(
      { host: "127.0.0.1", port: r.port, method: r.method ?? "POST", path: r.path, headers: r.headers },
      (res) => {
        answered = true;
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d) => {
          body += d;
        });
        res.on("end", () => {
          req.destroy();
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            json: () => JSON.parse(body),
            sent,
          });
        });
      },
    );
    req.on("error", (e) => {
      if (!answered) reject(e);
    });
    const pump = () => {
      while (!answered && sent < r.maxBytes) {
        sent += r.chunk.length;
        if (!req.write(r.chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    pump();
  });
}
