// The key holders' page: their own usage and remaining limits, looked up with the key itself.

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    el.setAttribute(k === 'class' ? 'class' : k, v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function card(label, value) {
  return h('div', { class: 'card' }, h('div', { class: 'muted' }, label), h('div', { class: 'big' }, value));
}

function when(iso) {
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : d.toLocaleString();
}

function rows(obj) {
  const entries = Object.entries(obj || {});
  if (entries.length === 0) return h('p', { class: 'muted' }, 'No limits on this key.');
  return h('table', {}, h('tbody', {}, entries.map(([k, v]) =>
    h('tr', {}, h('th', {}, k), h('td', { class: 'num' }, typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? when(v) : String(v))))));
}

const form = document.getElementById('lookup');
const out = document.getElementById('out');
form.addEventListener('submit', async ev => {
  ev.preventDefault();
  out.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    const res = await fetch('/api/v1/key-usage', { headers: { 'x-api-key': form.elements.key.value.trim() } });
    const body = await res.json().catch(() => null);
    if (!res.ok) {
      out.replaceChildren(h('p', { class: 'error', role: 'alert' }, body?.error?.message || `${res.status} ${res.statusText}`));
      return;
    }
    const u = body.usage || {};
    out.replaceChildren(
      h('h2', {}, body.name, ' ', h('span', { class: 'pill ' + body.status }, body.status)),
      body.expiresAt ? h('p', {}, 'Expires ', when(body.expiresAt)) : null,
      h('div', { class: 'cards' },
        card('Requests', Number(u.requests ?? 0).toLocaleString()),
        card('Tokens', Number(u.tokens ?? 0).toLocaleString()),
        card('Cost today', '$' + (u.costToday ?? 0)),
        card('Opus this week', '$' + (u.costThisWeekOpus ?? 0)),
        card('Cost in all', '$' + (u.costTotal ?? 0)),
        card('In flight', u.inFlight ?? 0)),
      h('h2', {}, 'Remaining'), rows(body.remaining),
      h('h2', {}, 'Resets'), rows(body.resets));
  } catch (e) {
    out.replaceChildren(h('p', { class: 'error', role: 'alert' }, 'The relay could not be reached: ' + e.message));
  }
});
