import type { WebResponse } from "@microsoft/agents-hosting";

/**
 * The six-member response the Agents SDK writes to (`CloudAdapter.process`, `authorizeJWT`), collected in
 * memory and turned into one Fetch `Response` for Hono once the SDK is done.
 */
export class CollectedResponse implements WebResponse {
  statusCode = 200;
  readonly headers = new Headers();
  body: unknown;
  headersSent = false;
  writableEnded = false;

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  setHeader(name: string, value: string): this {
    this.headers.set(name, value);
    return this;
  }

  send(body?: unknown): this {
    this.body = body;
    this.headersSent = true;
    return this;
  }

  end(): this {
    this.headersSent = true;
    this.writableEnded = true;
    return this;
  }

  toResponse(): Response {
    const { body } = this;
    if (body === undefined || body === null)
      return new Response(null, { status: this.statusCode, headers: this.headers });
    if (typeof body === "string")
      return new Response(body, { status: this.statusCode, headers: this.headers });
    if (!this.headers.has("content-type")) this.headers.set("content-type", "application/json");
    return new Response(JSON.stringify(body), { status: this.statusCode, headers: this.headers });
  }
}
