import { LOCAL_TOKEN_HEADER } from "../server/local-token.ts";

const attr = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The local preview: what each channel would get, rendered from the message model, and a box to type
 * commands. Plain HTML and a little script, so it needs no build step. It carries this start's token for
 * the local endpoints; only a page served from here can read it.
 */
export function previewPage(opts: { token: string; nonce: string }): string {
  const nonce = attr(opts.nonce);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="clg-token" content="${attr(opts.token)}">
<title>clg-bot · local preview</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<header>
  <h1>clg-bot <span>local preview</span></h1>
  <label>Channel <select id="channel"></select></label>
  <p id="purpose"></p>
</header>
<main id="feed" aria-live="polite"></main>
<form id="ask" autocomplete="off">
  <span class="prompt">/clg</span>
  <input id="text" name="text" placeholder="board · activation 28d · help" aria-label="Command" autofocus>
  <button type="submit">Send</button>
</form>
<script type="module" nonce="${nonce}">${SCRIPT}</script>
</body>
</html>`;
}

const STYLE = `
:root { color-scheme: light dark; --bg: #f7f7f8; --card: #fff; --fg: #1d1d1f; --muted: #6b6b76; --line: #e3e3e8;
  --green: #1a7f37; --amber: #b35900; --red: #c62828; --nodata: #6b6b76; --accent: #4a3aff; }
@media (prefers-color-scheme: dark) { :root { --bg: #17171a; --card: #222226; --fg: #ececf1; --muted: #a0a0ab; --line: #34343a;
  --green: #4cc26b; --amber: #f0a040; --red: #ff6b6b; --accent: #8f84ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 "Noto Sans", "DejaVu Sans", system-ui, sans-serif; background: var(--bg); color: var(--fg);
  display: flex; flex-direction: column; height: 100vh; }
header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 4px 12px; padding: 10px 18px; border-bottom: 1px solid var(--line); }
h1 { font-size: 17px; margin: 0; } h1 span { color: var(--muted); font-weight: 400; }
header label { min-width: 0; max-width: 100%; }
select { font: inherit; max-width: min(100%, 24em); }
#purpose { flex-basis: 100%; margin: 0; color: var(--muted); font-size: 13px; }
#purpose:empty { display: none; }
main { flex: 1; overflow-y: auto; overflow-x: hidden; padding: 12px 18px; }
.entry { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; margin: 0 0 10px; max-width: 880px; overflow-wrap: anywhere; }
.entry.user { background: transparent; border-style: dashed; }
.entry.reply { margin-left: 24px; }
.entry.error { border-left: 4px solid var(--red); } .entry.warning { border-left: 4px solid var(--amber); }
.meta { color: var(--muted); font-size: 12px; margin-bottom: 4px; }
.header { font-weight: 700; font-size: 16px; margin: 2px 0 6px; }
.context { color: var(--muted); font-size: 12.5px; margin-top: 6px; }
table.kpis { border-collapse: collapse; width: 100%; margin: 4px 0; }
table.kpis td { padding: 4px 8px 4px 0; border-top: 1px solid var(--line); vertical-align: top; }
.status { white-space: nowrap; font-weight: 600; }
.status.green { color: var(--green); } .status.amber { color: var(--amber); } .status.red { color: var(--red); }
.status.no_data, .status.error { color: var(--nodata); }
.value { font-weight: 700; white-space: nowrap; } .delta.good { color: var(--green); } .delta.bad { color: var(--red); }
.note { color: var(--muted); font-size: 13px; }
.fields { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 4px 16px; margin: 4px 0; }
.fields b { display: block; font-size: 12px; color: var(--muted); font-weight: 600; }
img.chart { max-width: 100%; border-radius: 6px; border: 1px solid var(--line); margin: 6px 0; display: block; }
.chart-missing { color: var(--muted); font-style: italic; }
.actions button { margin: 4px 6px 0 0; }
hr { border: 0; border-top: 1px solid var(--line); }
form { display: flex; gap: 8px; padding: 10px 18px; border-top: 1px solid var(--line); background: var(--card); }
.prompt { align-self: center; color: var(--muted); font-family: monospace; }
input { flex: 1; min-width: 0; font: inherit; padding: 8px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
button { font: inherit; padding: 6px 12px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
.actions button { background: transparent; color: var(--accent); }
.actions button.danger { border-color: var(--red); color: var(--red); }
code { font-size: 0.92em; background: var(--bg); border-radius: 4px; padding: 0 3px; }
/* A phone: rows stack instead of five columns side by side. */
@media (max-width: 600px) {
  header, main, form { padding-left: 10px; padding-right: 10px; }
  .entry { padding: 8px 10px; }
  table.kpis, table.kpis tbody, table.kpis tr { display: block; }
  table.kpis tr { border-top: 1px solid var(--line); padding: 4px 0; }
  table.kpis td { display: inline-block; border: 0; padding: 0 8px 0 0; }
  .prompt { display: none; }
}
`;

const SCRIPT = `
const feed = document.getElementById("feed");
const select = document.getElementById("channel");
const form = document.getElementById("ask");
const input = document.getElementById("text");
const purpose = document.getElementById("purpose");
const TOKEN = document.querySelector('meta[name="clg-token"]').content;
const HEADERS = { "${LOCAL_TOKEN_HEADER}": TOKEN };
let channel = new URLSearchParams(location.search).get("channel");
let lastId = 0;
let known = [];
let editedSince = "0";

const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const md = (s) => esc(s).replace(/\\*\\*(.+?)\\*\\*/g, "<strong>$1</strong>").replace(/\`([^\`]+)\`/g, "<code>$1</code>").replace(/\\n/g, "<br>");
const SYMBOL = { green: "●", amber: "▲", red: "■", no_data: "○", error: "✖" };
const LABEL = { green: "green", amber: "amber", red: "red", no_data: "no data", error: "source error" };

function renderBlock(block, charts, chartIndex) {
  switch (block.type) {
    case "header": return '<div class="header">' + md(block.text) + "</div>";
    case "text": return "<div>" + md(block.text) + "</div>";
    case "context": return '<div class="context">' + md(block.text) + "</div>";
    case "divider": return "<hr>";
    case "fields": return '<div class="fields">' + block.fields.map((f) => "<div><b>" + esc(f.label) + "</b>" + md(f.value) + "</div>").join("") + "</div>";
    case "kpis": return '<table class="kpis">' + block.rows.map((r) =>
      "<tr><td class=\\"status " + esc(r.status) + "\\">" + SYMBOL[r.status] + " " + esc(LABEL[r.status]) + "</td>" +
      "<td>" + esc(r.name) + ' <span class="note">' + esc(r.window) + "</span></td>" +
      '<td class="value">' + esc(r.formatted) + "</td>" +
      '<td class="delta ' + (r.deltaGood === true ? "good" : r.deltaGood === false ? "bad" : "") + '">' + esc(r.delta ?? "") + "</td>" +
      "<td>" + esc(r.target ?? "") + (r.note ? '<div class="note">' + md(r.note) + "</div>" : "") + "</td></tr>").join("") + "</table>";
    case "chart": {
      const id = charts[chartIndex.i++];
      if (!id) return '<div class="chart-missing">[chart: ' + esc(block.chart.altText) + "]</div>";
      return '<img class="chart" src="/charts/' + esc(id) + '.png" alt="' + esc(block.chart.altText) + '">';
    }
    case "actions": return '<div class="actions">' + block.buttons.map((b) =>
      '<button type="button" class="' + esc(b.style ?? "") + '" data-command="' + esc(b.command) + '">' + esc(b.label) + "</button>").join("") + "</div>";
    default: return "";
  }
}

function renderEntry(entry) {
  const div = document.createElement("div");
  const tone = entry.message?.tone ?? "info";
  div.className = "entry " + entry.author + " " + tone + (entry.threadOf ? " reply" : "");
  div.dataset.id = entry.id;
  const when = new Date(entry.at).toLocaleString() + (entry.threadOf ? " · reply in thread" : "") + (entry.editedAt ? " · edited" : "");
  if (entry.author === "user") {
    div.innerHTML = '<div class="meta">you · ' + esc(when) + "</div><code>/clg " + esc(entry.text) + "</code>";
  } else {
    const idx = { i: 0 };
    div.innerHTML = '<div class="meta">clg-bot · ' + esc(when) + "</div>" + entry.message.blocks.map((b) => renderBlock(b, entry.charts, idx)).join("");
  }
  return div;
}

function showChannels(channels) {
  known = channels.some((c) => c.name === channel) ? channels : [...channels, { name: channel, purpose: null, latestId: 0 }];
  const label = (c) => "#" + c.name + (c.purpose ? " — " + c.purpose : "");
  const key = JSON.stringify(known.map(label));
  if (select.dataset.key !== key) {
    select.dataset.key = key;
    select.innerHTML = known.map((c) => '<option value="' + esc(c.name) + '">' + esc(label(c)) + "</option>").join("");
    select.value = channel;
  }
  const current = known.find((c) => c.name === channel);
  purpose.textContent = current?.purpose ? label(current) : "";
}

function showError(text) {
  const div = document.createElement("div");
  div.className = "entry bot error";
  div.innerHTML = '<div class="meta">clg-bot · ' + esc(new Date().toLocaleString()) + "</div><div>" + esc(text) + "</div>";
  feed.appendChild(div);
  feed.scrollTop = feed.scrollHeight;
}

async function getMessages(query) {
  const res = await fetch("/api/local/messages?" + query, { headers: HEADERS });
  return res.json();
}

async function refresh() {
  try {
    const data = await getMessages("channel=" + encodeURIComponent(channel) + "&after=" + lastId + "&edited_since=" + encodeURIComponent(editedSince));
    showChannels(data.channels);
    for (const entry of data.entries) {
      lastId = Math.max(lastId, entry.id);
      if (entry.editedAt && entry.editedAt > editedSince) editedSince = entry.editedAt;
      const shown = feed.querySelector('[data-id="' + entry.id + '"]');
      if (shown) { if (entry.editedAt) shown.replaceWith(renderEntry(entry)); continue; }
      const parent = entry.threadOf && feed.querySelector('[data-id="' + entry.threadOf + '"]');
      // A reply sits under its thread's last message, as chat apps show it.
      let after = parent;
      while (after && after.nextElementSibling?.classList.contains("reply")) after = after.nextElementSibling;
      if (after) after.after(renderEntry(entry));
      else feed.appendChild(renderEntry(entry));
      feed.scrollTop = feed.scrollHeight;
    }
  } catch (e) { /* the service may be restarting; try again on the next tick */ }
}

// An empty box asks for help: the grammar answers an empty command with it.
async function send(text) {
  input.value = "";
  const res = await fetch("/api/local/ask", {
    method: "POST",
    headers: { ...HEADERS, "content-type": "application/json" },
    body: JSON.stringify({ text, channel }),
  }).catch(() => null);
  if (!res) showError("The service does not answer; is it still running?");
  else if (!res.ok) showError((await res.json().catch(() => null))?.error?.message ?? "The service answered " + res.status + ".");
  await refresh();
}

// Without ?channel=, open where something was posted last (the digest at start, an alert, an answer).
async function start() {
  if (!channel) {
    try {
      const data = await getMessages("after=" + Number.MAX_SAFE_INTEGER);
      const latest = data.channels.reduce((a, b) => (b.latestId > a.latestId ? b : a), { name: "general", latestId: 0 });
      channel = latest.name;
    } catch (e) { channel = "general"; }
  }
  await refresh();
  setInterval(refresh, 1500);
}

form.addEventListener("submit", (e) => { e.preventDefault(); send(input.value); });
feed.addEventListener("click", (e) => { const cmd = e.target?.dataset?.command; if (cmd) send(cmd); });
select.addEventListener("change", () => { channel = select.value; lastId = 0; editedSince = "0"; feed.innerHTML = ""; history.replaceState(null, "", "?channel=" + encodeURIComponent(channel)); refresh(); });
start();
`;
