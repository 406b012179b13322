// Upstream accounts: the list, one account with its health, and the OAuth login flow.

import { act, api, button, reload } from '../client.js';
import { dialog, field, formValues, h, list, num, pill, show, stat, table, when } from '../dom.js';
import { accountActions, accountTable } from '../tables.js';

/** The account types the form offers, with the pool each serves and what its credential is. */
const TYPES = {
  'claude-console': { platform: 'claude', label: 'Anthropic API key (console)', secret: 'apiKey', secretLabel: 'API key', base: 'https://api.anthropic.com' },
  'claude-oauth': { platform: 'claude', label: 'Claude OAuth access token', secret: 'accessToken', secretLabel: 'Access token', base: 'https://api.anthropic.com' },
  'openai-api': { platform: 'openai', label: 'OpenAI API key (Responses)', secret: 'apiKey', secretLabel: 'API key', base: 'https://api.openai.com' },
  'codex-oauth': { platform: 'openai', label: 'ChatGPT subscription (Codex auth.json)', secret: 'authJson', secretLabel: 'auth.json (paste ~/.codex/auth.json)', base: 'https://chatgpt.com/backend-api/codex' },
};

/** The OAuth login flows: Claude (as Claude Code logs in) and ChatGPT (as Codex logs in). */
const FLOWS = {
  claude: { path: '/accounts/oauth', page: 'the Claude login page', setupToken: true },
  openai: { path: '/accounts/openai-oauth', page: 'the ChatGPT login page', setupToken: false },
};

/** An OAuth add-account flow: get a login URL, open it, paste back what the callback page shows. */
function oauthFlow(flow) {
  const out = h('div');
  const setup = h('input', { type: 'checkbox', name: 'setupToken' });
  const start = h('form', { class: 'inline' },
    flow.setupToken ? h('label', { class: 'check' }, setup, 'long-lived setup token (inference only, no refresh)') : null,
    h('button', { type: 'submit' }, 'Get a login link'));
  start.addEventListener('submit', ev => {
    ev.preventDefault();
    act(start, async () => {
      const s = await api('POST', flow.path + '/generate-auth-url', flow.setupToken ? { setupToken: setup.checked } : {});
      const paste = accountForm(null, async body => {
        await api('POST', flow.path + '/exchange-code', { ...body, sessionId: s.sessionId });
        reload();
      }, true);
      out.replaceChildren(
        h('p', {}, '1. Open ', h('a', { href: s.authUrl, target: '_blank', rel: 'noopener noreferrer' }, flow.page),
          ` and log in (this link works until ${when(s.expiresAt)}).`),
        h('p', {}, '2. Paste the code the callback page shows (or the whole callback URL) and name the account:'),
        paste);
    });
  });
  return h('div', {}, start, out);
}

/**
 * The form for an account: {@code account} null for a new one. With {@code oauthCode} it asks for the
 * pasted code instead of credentials (the OAuth exchange).
 */
function accountForm(account, submit, oauthCode = false) {
  const a = account || {};
  const type = h('select', { name: 'type' },
    ...Object.entries(TYPES).map(([value, t]) => h('option', { value }, t.label)));
  const secret = h('input', { name: 'apiKey', type: 'password', autocomplete: 'off', required: !account });
  const secretLabel = h('label', {}, account ? 'New API key (empty = keep)' : 'API key', secret);
  const baseUrl = field('Base URL (optional)', 'baseUrl', { value: a.baseUrl ?? '', placeholder: (TYPES[a.type] || TYPES['claude-console']).base });
  type.addEventListener('change', () => {
    const t = TYPES[type.value];
    secret.name = t.secret;
    secretLabel.firstChild.textContent = t.secretLabel;
    baseUrl.querySelector('input').placeholder = t.base;
  });
  const apiKeyType = a.type === 'claude-console' || a.type === 'openai-api';
  const credentials = oauthCode
    ? [field('Code (or callback URL)', 'code', { required: true, autocomplete: 'off' })]
    : account ? (apiKeyType ? [secretLabel] : [])
    : [h('label', {}, 'Type', type), secretLabel];
  const form = h('form', { class: 'keyform' },
    h('div', { class: 'inline' },
      field('Name', 'name', { required: !account || undefined, value: a.name ?? '' }),
      ...credentials),
    h('div', { class: 'inline' },
      field('Priority (lower first)', 'priority', { type: 'number', min: 0, value: a.priority ?? 50, 'data-type': 'int' }),
      field('Max concurrency (0 = none)', 'maxConcurrency', { type: 'number', min: 0, value: a.maxConcurrency ?? 0, 'data-type': 'int' }),
      field('Groups (comma-separated)', 'groups', { value: (a.groups || []).join(', ') }),
      field('Price multiplier', 'priceMultiplier', { type: 'number', min: 0.001, step: 'any', value: a.priceMultiplier ?? 1, 'data-type': 'number' })),
    h('div', { class: 'inline' },
      field('Proxy (http:// or socks5://, empty = none)', 'proxy', { value: '', placeholder: a.proxy ?? 'socks5://user:pass@host:1080', autocomplete: 'off' }),
      baseUrl),
    h('button', { type: 'submit' }, oauthCode ? 'Add the account' : account ? 'Save' : 'Add account'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const body = formValues(form);
    body.groups = list(form.elements.groups.value);
    if (account && !form.elements.proxy.value) delete body.proxy;
    if (!account && !oauthCode) body.platform = TYPES[body.type].platform;
    act(form.lastChild, () => submit(body));
  });
  return form;
}

export async function accounts() {
  const accounts = await api('GET', '/accounts');
  show(h('h1', {}, 'Upstream accounts'),
    h('details', { class: 'card' }, h('summary', {}, 'Add a Claude subscription (OAuth login)'), oauthFlow(FLOWS.claude)),
    h('details', { class: 'card' }, h('summary', {}, 'Add a ChatGPT subscription for Codex (OAuth login)'), oauthFlow(FLOWS.openai)),
    h('details', { class: 'card' }, h('summary', {}, 'Add an API key or a token'), accountForm(null,
      async body => { await api('POST', '/accounts', body); reload(); })),
    accountTable(accounts.data, true));
}

function percent(fraction) {
  return fraction == null ? '-' : Math.round(100 * fraction) + ' %';
}

export async function account(id) {
  const a = await api('GET', '/accounts/' + encodeURIComponent(id));
  const path = '/accounts/' + encodeURIComponent(id);
  const test = h('button', { class: 'secondary' }, 'Send a test request');
  test.addEventListener('click', () => act(test, async () => {
    const r = await api('POST', path + '/test');
    dialog(h('h2', {}, r.ok ? 'The account answered' : 'The account did not answer well'),
      h('p', {}, `status ${r.status} in ${r.latencyMs} ms`), r.message ? h('p', {}, r.message) : null);
  }));
  show(h('h1', {}, 'Account ', a.name, ' ', pill(a.state || a.status)),
    a.stateReason ? h('p', { class: 'muted' }, a.stateReason) : null,
    h('div', { class: 'actions' }, test,
      button('Reset health', 'secondary', null, () => api('POST', path + '/reset')),
      accountActions(a)),
    h('div', { class: 'cards' },
      stat('Type', a.type), stat('Tier', a.tier ?? '-'), stat('Priority', a.priority),
      stat('Utilisation', percent(a.utilisation)),
      stat('5-hour window', percent(a.windows?.fiveHour)),
      stat('Weekly window', percent(a.windows?.weekly)),
      stat('In flight', num(a.leasesInFlight)), stat('Price multiplier', a.priceMultiplier ?? 1)),
    h('h2', {}, 'Cooldowns'),
    table(a.cooldowns || [], [
      { label: 'Model family', value: c => c.family },
      { label: 'Until', value: c => when(c.until) },
      { label: 'Status', value: c => c.status, num: true },
      { label: 'Reason', value: c => c.reason },
      { label: 'Transient', value: c => c.transient ? 'yes' : 'no' },
    ], 'None: the account is not cooling down.'),
    h('h2', {}, 'Recent errors'),
    table(a.recentErrors || [], Object.keys((a.recentErrors || [])[0] || {}).map(k =>
      ({ label: k, value: e => typeof e[k] === 'string' && /^\d{4}-\d\d-\d\dT/.test(e[k]) ? when(e[k]) : String(e[k] ?? '-') })),
      'No errors recently.'),
    h('details', { class: 'card' }, h('summary', {}, 'Edit'),
      accountForm(a, async body => { await api('PATCH', path, body); reload(); })));
}
