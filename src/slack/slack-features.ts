/**
 * What the Slack app asks of Slack, in one place: the slash command, the bot events it handles and the
 * bot scopes those features need. `manifest.json` lists exactly these (a test checks), and an OAuth
 * install asks for these scopes unless SLACK_SCOPES says otherwise. docs/slack.md explains each.
 */
export const SLACK_COMMAND = "/clg";

/** Bot events the app subscribes to (`message.im` arrives as a `message` event with channel_type "im"). */
export const SLACK_BOT_EVENTS = [
  "app_home_opened",
  "app_mention",
  "app_uninstalled",
  "message.im",
  "tokens_revoked",
] as const;

/** Least privilege: each scope with the feature that needs it. */
export const SLACK_BOT_SCOPE_REASONS = {
  commands: "the /clg slash command",
  "chat:write": "post answers, alerts and digests in channels the bot is in, reply in threads, edit them",
  "files:write": "upload chart images (files.uploadV2) shown inside the message",
  "app_mentions:read": "answer @clg mentions",
  "im:history": "answer direct messages (message.im)",
  "users:read": "tell workspace admins and owners (users.info) for admin-only commands",
  "channels:read":
    "see whether the bot is in a channel being subscribed (conversations.info), and list a person's channels for the App Home",
  "groups:read": "the same for private channels",
  "channels:history":
    "find a message the outbox posted before a restart (by its metadata) instead of posting it twice",
  "groups:history": "the same in private channels",
} as const;

export const SLACK_BOT_SCOPES = Object.keys(
  SLACK_BOT_SCOPE_REASONS,
) as (keyof typeof SLACK_BOT_SCOPE_REASONS)[];
