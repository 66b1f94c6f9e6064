/**
 * Removes the password from every connection URL quoted in a text (postgres://, mysql://, ...). The
 * password runs to the last `@` of the URL, so one holding an unencoded `@` is hidden whole.
 */
export function redactUrlPasswords(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)\S*@/gi, "$1***@");
}

/** What a user name or password inside a URL must percent-encode, in words. */
export const URL_ENCODING_HINT =
  "In the user name and password write @ as %40, / as %2F, ? as %3F, # as %23 and : as %3A.";

/**
 * Whether a URL has an `@` after its host part ends (before any query): its password held an unencoded
 * `/` and `@`, so a parser takes part of the password for the host. Such a URL is refused without
 * naming its host, which would quote the password.
 */
export function hasMisplacedAt(url: string): boolean {
  const rest = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
  const authorityEnd = rest.search(/[/?#]/);
  if (authorityEnd === -1) return false;
  const beforeQuery = rest.slice(authorityEnd).split("?")[0] ?? "";
  return beforeQuery.includes("@");
}

/**
 * A secret shown back to people: its prefix (the part before the last `_`, e.g. `sk_live_`) and its last
 * four characters, never the rest: `sk_live_...4242`. Short secrets show nothing but their length.
 */
export function maskSecret(secret: string): string {
  const s = secret.trim();
  if (s.length < 12) return `(${s.length} characters)`;
  const prefix = /^([a-z]{2,8}_(?:live_|test_)?)/i.exec(s)?.[1] ?? "";
  return `${prefix}...${s.slice(-4)}`;
}
