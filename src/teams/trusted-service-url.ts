/**
 * Where the Bot Connector service lives (Microsoft's documented hosts for the public cloud, GCC and the
 * US Government clouds). A reply goes to the activity's `serviceUrl`, so a forged activity naming any
 * other host must not make the bot send a request (with its token) there.
 */
export const BOT_FRAMEWORK_SERVICE_HOSTS: readonly string[] = [
  "smba.trafficmanager.net",
  "smba.infra.gcc.teams.microsoft.com",
  "smba.infra.gov.teams.microsoft.us",
  "smba.infra.dod.teams.microsoft.us",
  "botframework.com",
  "botframework.azure.us",
];

export interface ServiceUrlPolicy {
  /** Extra hosts or host suffixes (TEAMS_TRUSTED_SERVICE_URLS); each entry may be a URL or a bare host. */
  extraHosts: readonly string[];
  /** Local mode: http or https on a loopback address is trusted too (the Agents Playground, tests). */
  allowLoopback: boolean;
}

const LOOPBACK_HOSTS = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

function hostOf(entry: string): string | null {
  const trimmed = entry.trim().toLowerCase().replace(/^\*\./, "");
  if (!trimmed) return null;
  try {
    return new URL(trimmed.includes("://") ? trimmed : `https://${trimmed}`).hostname.replace(/\.$/, "");
  } catch {
    return null;
  }
}

/** Whether the bot may send to this service URL: HTTPS on a trusted host (or its subdomain), or loopback locally. */
export function isTrustedServiceUrl(serviceUrl: unknown, policy: ServiceUrlPolicy): boolean {
  if (typeof serviceUrl !== "string" || serviceUrl.length > 2_048) return false;
  let url: URL;
  try {
    url = new URL(serviceUrl);
  } catch {
    return false;
  }
  if (url.username || url.password) return false;
  const host = url.hostname.toLowerCase().replace(/\.$/, "");
  if (LOOPBACK_HOSTS.test(host))
    return policy.allowLoopback && (url.protocol === "http:" || url.protocol === "https:");
  if (url.protocol !== "https:") return false;
  const trusted = [...BOT_FRAMEWORK_SERVICE_HOSTS, ...policy.extraHosts.map(hostOf)].filter(
    (h): h is string => h !== null,
  );
  return trusted.some((t) => host === t || host.endsWith(`.${t}`));
}
