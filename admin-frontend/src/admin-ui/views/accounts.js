// Upstream accounts: the list, one account with its health, and the OAuth login flows.

import { act, api, button, reload } from '../client.js';
import { dialog, field, formValues, h, list, num, pill, show, stat, table, when } from '../dom.js';
import { accountActions, accountTable } from '../tables.js';

/** The account types the form offers, with the pool each serves and what its credential is. */
const TYPES = {
  'claude-console': { platform: 'claude', label: 'Anthropic API key (console)', secret: 'apiKey', secretLabel: 'API key', base: 'https://api.anthropic.com' },
  'claude-oauth': { platform: 'claude', label: 'Claude OAuth access token', secret: 'accessToken', secretLabel: 'Access token', base: 'https://api.anthropic.com' },
  'openai-api': { platform: 'openai', label: 'OpenAI API key (Responses)', secret: 'apiKey', secretLabel: 'API key', base: 'https://api.openai.com' },
  'codex-oauth': { platform: 'openai', label: 'ChatGPT subscription (Codex auth.json)', secret: 'authJson', secretLabel: 'auth.json (paste ~/.codex/auth.json)', base: 'https://chatgpt.com/backend-api/codex' },
  'gemini-api': { platform: 'gemini', label: 'Gemini API key', secret: 'apiKey', secretLabel: 'API key', base: 'https://generativelanguage.googleapis.com' },
  'gemini-oauth': { platform: 'gemini', label: 'Google login for Code Assist (Gemini CLI oauth_creds.json)', secret: 'credsJson', secretLabel: 'oauth_creds.json (paste ~/.gemini/oauth_creds.json)', base: 'https://cloudcode-pa.googleapis.com', project: true },
};

/**
 * The OAuth login flows: Claude (as Claude Code logs in), ChatGPT (as Codex logs in) and Google (as Gemini CLI
 * logs in without a browser; the Google Cloud project is found unless given).
 */
const FLOWS = {
  claude: { path: '/accounts/oauth', page: 'the Claude login page', setupToken: true },
  openai: { path: '/accounts/openai-oauth', page: 'the ChatGPT login page', setupToken: false },
  gemini: { path: '/accounts/gemini-oauth', page: 'the Google login page', setupToken: false, project: true,
    paste: '2. Paste the code Google shows (or the whole page URL), name the account if you like, and give a Google Cloud project only if the login has none of its own (Workspace, standard tier):' },
};

/** The Google Cloud project field of a gemini-oauth account (optional: Code Assist finds it). */
function projectField(value) {
  return field('Google Cloud project id (optional: found through Code Assist)', 'projectId',
    { value: value ?? '', placeholder: 'my-project-123', autocomplete: 'off' });
}

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
      }, true, flow.project);
      out.replaceChildren(
        h('p', {}, '1. Open ', h('a', { href: s.authUrl, target: '_blank', rel: 'noopener noreferrer' }, flow.page),
          ` and log in (this link works until ${when(s.expiresAt)}).`),
        h('p', {}, flow.paste || '2. Paste the code the callback page shows (or the whole callback URL) and name the account:'),
        paste);
    });
  });
  return h('div', {}, start, out);
}

/** Gemini CLI's oauth_creds.json pasted whole: a Google login without going through the login page here. */
function credsPaste() {
  const form = h('form', { class: 'keyform' },
    h('label', {}, 'oauth_creds.json (the whole file, ~/.gemini/oauth_creds.json)',
      h('textarea', { name: 'credsJson', rows: 6, required: true, autocomplete: 'off', spellcheck: 'false',
        placeholder: '{"access_token": "…", "refresh_token": "…", "expiry_date": …}' })),
    h('div', { class: 'inline' },
      field('Name (optional: the login\'s email)', 'name', {}),
      projectField(null)),
    h('button', { type: 'submit' }, 'Add the account'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const body = formValues(form);
    act(form.lastChild, async () => {
      await api('POST', FLOWS.gemini.path + '/import-creds', body);
      reload();
    });
  });
  return h('div', {}, h('p', {}, 'Or paste what Gemini CLI saved after "Login with Google":'), form);
}

/**
 * The form for an account: {@code account} null for a new one. With {@code oauthCode} it asks for the
 * pasted code instead of credentials (the OAuth exchange); {@code project} adds the Google Cloud project
 * field (a new account's form shows it when its type has one).
 */
function accountForm(account, submit, oauthCode = false, project = false) {
  const a = account || {};
  const type = h('select', { name: 'type' },
    ...Object.entries(TYPES).map(([value, t]) => h('option', { value }, t.label)));
  const secret = h('input', { name: 'apiKey', type: 'password', autocomplete: 'off', required: !account });
  const secretLabel = h('label', {}, account ? 'New API key (empty = keep)' : 'API key', secret);
  const baseUrl = field('Base URL (optional)', 'baseUrl', { value: a.baseUrl ?? '', placeholder: (TYPES[a.type] || TYPES['claude-console']).base });
  const projectId = projectField(a.projectId);
  projectId.hidden = !(project || (account && TYPES[a.type]?.project));
  type.addEventListener('change', () => {
    const t = TYPES[type.value];
    secret.name = t.secret;
    secretLabel.firstChild.textContent = t.secretLabel;
    baseUrl.querySelector('input').placeholder = t.base;
    projectId.hidden = !t.project;
    if (!t.project) projectId.querySelector('input').value = '';
  });
  const apiKeyType = a.type === 'claude-console' || a.type === 'openai-api' || a.type === 'gemini-api';
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
      baseUrl, projectId),
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
    h('details', { class: 'card' }, h('summary', {}, 'Add a Google login for Gemini Code Assist (as Gemini CLI)'),
      oauthFlow(FLOWS.gemini), credsPaste()),
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
      stat('In flight', num(a.leasesInFlight)), stat('Price multiplier', a.priceMultiplier ?? 1),
      a.type === 'gemini-oauth' ? stat('Google Cloud project', a.projectId ?? '-') : null),
    a.type === 'gemini-oauth' ? [
      h('h2', {}, 'Code Assist quota'),
      a.quota ? h('p', { class: 'muted' }, `read ${when(a.quota.fetchedAt)}, in the background while the account is used`) : null,
      table(a.quota?.buckets || [], [
        { label: 'Model', value: b => b.modelId ?? 'all' },
        { label: 'Counts', value: b => b.tokenType ?? '-' },
        { label: 'Left', value: b => percent(b.remainingFraction), num: true },
        { label: 'Amount left', value: b => num(b.remainingAmount), num: true },
        { label: 'Resets', value: b => when(b.resetTime) },
      ], 'Not read yet: the quota is read in the background once the account is used.'),
    ] : null,
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
