/** Query parameters that carry credentials in a URL. */
const SECRET_PARAMS = new Set([
  "token",
  "access_token",
  "api_key",
  "apikey",
  "api-key",
  "secret",
  "client_secret",
  "password",
  "x-amz-signature",
]);

/** Shapes of well-known credentials: Stripe keys, Slack tokens, a private key block. */
const SECRET_SHAPES: readonly [RegExp, string][] = [
  [/\b[sr]k_(?:live|test)_[A-Za-z0-9]{8,}/, "a Stripe API key"],
  [/\bxox[abpe]-[A-Za-z0-9-]{8,}/, "a Slack token"],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, "a private key"],
];

/** What kind of credential a catalog string holds, in words that never repeat it; null when none. */
function credentialIn(text: string): string | null {
  for (const [shape, name] of SECRET_SHAPES) if (shape.test(text)) return name;
  if (!/^https?:\/\//i.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.password !== "") return "a password in the URL";
  for (const name of url.searchParams.keys()) {
    if (SECRET_PARAMS.has(name.toLowerCase())) return `a credential in the URL's "${name}" parameter`;
  }
  return null;
}

/**
 * Credentials written into a source's config or a KPI's query: the catalog names the variable that holds
 * them (`secret_env`), never the credential, since the catalog is exported, diffed and shown in plans.
 */
export function inlineSecrets(
  value: unknown,
  at: (string | number)[] = [],
): { at: (string | number)[]; message: string }[] {
  if (typeof value === "string") {
    const found = credentialIn(value);
    return found
      ? [
          {
            at,
            message: `holds ${found}; put credentials in the environment variable named by secret_env (and config.auth_header for an HTTP source), never in the catalog`,
          },
        ]
      : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => inlineSecrets(v, [...at, i]));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => inlineSecrets(v, [...at, k]));
  }
  return [];
}
