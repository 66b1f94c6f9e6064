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
