import { createSign } from "node:crypto";
import { z } from "zod";
import { ClgError } from "../../errors.ts";
import { requestJson } from "../common/http-json.ts";
import type { RetryOptions } from "../common/retry.ts";

/** The JSON key file of a Google Cloud service account (the fields the token exchange needs). */
export const serviceAccountSchema = z.object({
  type: z.literal("service_account"),
  client_email: z.string().email(),
  private_key: z.string().includes("PRIVATE KEY"),
  token_uri: z.url().default("https://oauth2.googleapis.com/token"),
});
export type ServiceAccount = z.infer<typeof serviceAccountSchema>;

export function readServiceAccount(secret: string | null, source: string, variable: string): ServiceAccount {
  let raw: unknown;
  try {
    raw = JSON.parse(secret ?? "");
  } catch {
    raw = null;
  }
  const parsed = serviceAccountSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ClgError(
    "clg_source_failed",
    `Source "${source}": ${secret ? `${variable} is not a service-account key (JSON with type, client_email and private_key)` : `${variable} was not set when the catalog was applied`}.`,
    {
      hint: `Set ${variable} to the whole JSON key file of the service account (e.g. ${variable}="$(cat key.json)") and apply the catalog again.`,
    },
  );
}

const b64 = (v: string | Buffer) => Buffer.from(v).toString("base64url");

/** A signed JWT assertion (RS256) for Google's OAuth 2.0 service-account flow. */
export function signAssertion(account: ServiceAccount, scope: string, audience: string, now: Date): string {
  const iat = Math.floor(now.getTime() / 1000);
  const header = b64(JSON.stringify({ alg: "RS256", typ: "JWT" }));
  const claims = b64(
    JSON.stringify({ iss: account.client_email, scope, aud: audience, iat, exp: iat + 3600 }),
  );
  const signer = createSign("RSA-SHA256");
  signer.update(`${header}.${claims}`);
  return `${header}.${claims}.${signer.sign(account.private_key).toString("base64url")}`;
}

/** Exchanges the signed assertion for an access token (grant type jwt-bearer). */
export async function accessToken(
  account: ServiceAccount,
  scope: string,
  tokenUri: string,
  fetchFn: typeof fetch,
  retry: RetryOptions,
  now: Date,
): Promise<string> {
  const body = new URLSearchParams({
    grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
    assertion: signAssertion(account, scope, tokenUri, now),
  });
  const answer = await requestJson(
    () =>
      fetchFn(tokenUri, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
        ...(retry.signal ? { signal: retry.signal } : {}),
      }),
    retry,
    (status, json) => {
      const e = json as { error?: string; error_description?: string } | null;
      return {
        message: `${retry.what}: Google refused the service account ${account.client_email} (${status} ${e?.error ?? ""}${e?.error_description ? `: ${e.error_description}` : ""}).`,
        hint: "Check that the key is current (not deleted in Google Cloud) and the Google Analytics Data API is enabled for its project.",
      };
    },
  );
  const token = (answer as { access_token?: unknown }).access_token;
  if (typeof token !== "string")
    throw new ClgError("clg_source_failed", `${retry.what}: the token answer has no access_token.`);
  return token;
}
