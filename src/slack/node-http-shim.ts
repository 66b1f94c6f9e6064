import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * @slack/oauth's InstallProvider speaks Node's `req` / `res`; our server speaks fetch `Request` /
 * `Response` (Hono). These two give it the members it uses (request: url, headers; response: setHeader,
 * getHeader, writeHead, end) and turn what it wrote into a `Response`.
 */
export function nodeRequestOf(request: Request): IncomingMessage {
  const url = new URL(request.url);
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name] = value;
  });
  headers.host ??= url.host;
  return {
    method: request.method,
    url: `${url.pathname}${url.search}`,
    headers,
  } as unknown as IncomingMessage;
}

export class CollectedResponse {
  private status = 200;
  private readonly headers = new Map<string, string | string[]>();
  private body = "";
  private ended = false;

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.headers.set(name.toLowerCase(), Array.isArray(value) ? [...value] : String(value));
    return this;
  }

  getHeader(name: string): string | string[] | undefined {
    return this.headers.get(name.toLowerCase());
  }

  writeHead(status: number, headers?: Record<string, string | number | readonly string[]>): this {
    this.status = status;
    for (const [name, value] of Object.entries(headers ?? {})) this.setHeader(name, value);
    return this;
  }

  end(body?: string): this {
    if (body !== undefined) this.body += body;
    this.ended = true;
    return this;
  }

  get writableEnded(): boolean {
    return this.ended;
  }

  asNode(): ServerResponse {
    return this as unknown as ServerResponse;
  }

  toResponse(): Response {
    const headers = new Headers();
    for (const [name, value] of this.headers) {
      for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
    }
    const empty = this.status === 204 || this.status === 304 || this.body === "";
    return new Response(empty ? null : this.body, { status: this.status, headers });
  }
}
