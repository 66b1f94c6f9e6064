/** Removes the password from every connection URL quoted in a text (postgres://, mysql://, ...). */
export function redactUrlPasswords(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]*@/gi, "$1***@");
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
