import { SLACK_DEFAULT_API_URL } from "../config/config.ts";

/**
 * Whether a `response_url` from a payload may be posted to: Slack's own hooks host over HTTPS, or the
 * configured Web API's origin (a stand-in in tests). Anything else is refused, so a forged payload cannot
 * make the bot send requests to an address of its choosing.
 */
export function isAllowedResponseUrl(raw: unknown, apiUrl: string): raw is string {
  if (typeof raw !== "string") return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  if (url.protocol === "https:" && url.hostname === "hooks.slack.com" && url.port === "") return true;
  if (apiUrl === SLACK_DEFAULT_API_URL) return false;
  return url.origin === new URL(apiUrl).origin;
}

export interface ResponseBody {
  text: string;
  blocks?: unknown[];
  response_type?: "ephemeral" | "in_channel";
  replace_original?: boolean;
  delete_original?: boolean;
}

/** Posts to a response_url (at most 5 uses within 30 minutes); a refusal from Slack is thrown. */
export async function postToResponseUrl(
  fetchImpl: typeof fetch,
  url: string,
  body: ResponseBody,
): Promise<void> {
  const res = await fetchImpl(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    redirect: "error",
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) {
    const text = await res.text().catch(() => "");
    throw new Error(`response_url answered ${res.status}: ${text.slice(0, 200)}`);
  }
}
