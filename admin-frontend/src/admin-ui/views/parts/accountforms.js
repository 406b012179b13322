// The forms that add an account, one for every way the admin API takes one: API keys (Claude Console,
// OpenAI, Gemini), pasted OAuth tokens or CLI files (Claude, Codex auth.json, Gemini CLI oauth_creds.json),
// and the OAuth login flows (Claude, ChatGPT for Codex, Google for Gemini Code Assist). A credential is read
// from its field only when the form is sent, and the form is emptied once the account exists.

import { act, api } from '../../client.js';
import { field, h } from '../../dom.js';
import { lang, when, words } from '../../i18n.js';
import { commonBody, commonFields } from './accountfields.js';
import { choice, hint, textarea } from './ui.js';
import { CLOUD_KINDS, cloudCredentialBody, cloudCredentialFields } from './cloudforms.js';

const t = words({
  en: {
    kind: 'What kind of account?', add: 'Add the account',
    k_claudeLogin: 'Claude subscription — log in (as Claude Code does)', k_claudeTokens: 'Claude subscription — paste OAuth tokens',
    k_console: 'Claude Console — API key', k_openai: 'OpenAI — API key',
    k_codexLogin: 'ChatGPT subscription for Codex — log in', k_codexFile: 'ChatGPT subscription for Codex — paste auth.json or tokens',
    k_geminiApi: 'Gemini — API key', k_geminiLogin: 'Google login for Gemini Code Assist — log in',
    k_geminiImport: 'Google login — paste Gemini CLI\'s oauth_creds.json', k_geminiTokens: 'Google login — paste OAuth tokens',
    apiKey: 'API key', accessToken: 'Access token', refreshToken: 'Refresh token', refreshOptional: 'Refresh token (optional: without it the account stops when the token expires)',
    expiresAt: 'Access token expires at (optional)', idToken: 'ID token (optional: names the ChatGPT account)',
    chatgptAccountId: 'ChatGPT account id (optional with an ID token)', authJson: 'auth.json (the whole ~/.codex/auth.json)',
    from: 'Credentials from', fromFile: 'auth.json', fromTokens: 'Tokens',
    credsJson: 'oauth_creds.json (the whole ~/.gemini/oauth_creds.json)',
    projectId: 'Google Cloud project id (optional: found through Code Assist)',
    setupToken: 'Long-lived setup token (inference only, no refresh)', getLink: 'Get a login link',
    step1a: '1. Open ', step1b: ' and log in. The link works until {until}.', step2: '2. Paste what the page shows at the end (the code, or the whole address) and add the account:',
    claudePage: 'the Claude login page', codexPage: 'the ChatGPT login page', googlePage: 'the Google login page',
    codexNote: 'After the login the browser lands on http://localhost:1455/auth/callback?code=… — a page that does not load. Copy that whole address.',
    geminiNote: 'Needs GEMINI_OAUTH_CLIENT_ID and GEMINI_OAUTH_CLIENT_SECRET on the node. Give a project only if the login has none of its own (Workspace, standard tier).',
    code: 'Code or address', added: 'Added "{name}".', authNotJson: 'auth.json: not JSON (paste the whole file)',
    authNoTokens: 'auth.json: it has no "tokens" (log in to Codex with ChatGPT first)',
  },
  zh: {
    kind: '账户类型', add: '添加账户',
    k_claudeLogin: 'Claude 订阅——登录（与 Claude Code 相同）', k_claudeTokens: 'Claude 订阅——粘贴 OAuth 令牌',
    k_console: 'Claude Console——API 密钥', k_openai: 'OpenAI——API 密钥',
    k_codexLogin: 'Codex 用 ChatGPT 订阅——登录', k_codexFile: 'Codex 用 ChatGPT 订阅——粘贴 auth.json 或令牌',
    k_geminiApi: 'Gemini——API 密钥', k_geminiLogin: 'Gemini Code Assist 用 Google 登录——登录',
    k_geminiImport: 'Google 登录——粘贴 Gemini CLI 的 oauth_creds.json', k_geminiTokens: 'Google 登录——粘贴 OAuth 令牌',
    apiKey: 'API 密钥', accessToken: '访问令牌', refreshToken: '刷新令牌', refreshOptional: '刷新令牌（可选：没有它，令牌过期后账户停止工作）',
    expiresAt: '访问令牌过期时间（可选）', idToken: 'ID 令牌（可选：包含 ChatGPT 账户）',
    chatgptAccountId: 'ChatGPT 账户 ID（有 ID 令牌时可不填）', authJson: 'auth.json（完整的 ~/.codex/auth.json）',
    from: '凭据来源', fromFile: 'auth.json', fromTokens: '令牌',
    credsJson: 'oauth_creds.json（完整的 ~/.gemini/oauth_creds.json）',
    projectId: 'Google Cloud 项目 ID（可选：通过 Code Assist 查找）',
    setupToken: '长期 setup token（仅推理，不刷新）', getLink: '获取登录链接',
    step1a: '1. 打开', step1b: '并登录。链接在 {until} 前有效。', step2: '2. 粘贴页面最后显示的内容（授权码或完整地址），然后添加账户：',
    claudePage: 'Claude 登录页', codexPage: 'ChatGPT 登录页', googlePage: 'Google 登录页',
    codexNote: '登录后浏览器会跳到 http://localhost:1455/auth/callback?code=…，该页面无法打开。请复制完整地址。',
    geminiNote: '节点需配置 GEMINI_OAUTH_CLIENT_ID 和 GEMINI_OAUTH_CLIENT_SECRET。仅当登录账号没有自己的项目（Workspace、标准版）时才需填写项目。',
    code: '授权码或地址', added: '已添加“{name}”。', authNotJson: 'auth.json：不是 JSON（请粘贴完整文件）',
    authNoTokens: 'auth.json：其中没有 "tokens"（请先用 ChatGPT 登录 Codex）',
  },
});

const BASE = {
  claude: 'https://api.anthropic.com', openai: 'https://api.openai.com', codex: 'https://chatgpt.com/backend-api/codex',
  gemini: 'https://generativelanguage.googleapis.com', codeAssist: 'https://cloudcode-pa.googleapis.com',
};

function secret(labelText, name, required = true) {
  return field(labelText, name, { type: 'password', required: required || undefined, autocomplete: 'new-password', spellcheck: 'false' });
}

function projectField() {
  return field(t('projectId'), 'projectId', { placeholder: 'my-project-123', autocomplete: 'off' });
}

/** A form that posts to {@code path} the body {@code read(form)} builds, then empties itself and calls {@code done}. */
function form(test, path, parts, read, done) {
  const f = h('form', { class: 'keyform', 'data-test': 'account-form-' + test, autocomplete: 'off' }, ...parts,
    h('button', { type: 'submit', 'data-test': 'save' }, t('add')));
  f.addEventListener('submit', ev => {
    ev.preventDefault();
    act(f.lastChild, async () => {
      const created = await api('POST', path, read(f));
      f.reset();
      done(created);
    });
  });
  return f;
}

/** An instant from a datetime-local field, or nothing. */
function instant(input) {
  return input && input.value ? new Date(input.value).toISOString() : undefined;
}

function apiKeyForm(type, platform, base, done) {
  return form(type, '/accounts', [secret(t('apiKey'), 'apiKey'), commonFields(null, { base })],
    f => ({ platform, type, apiKey: f.elements.apiKey.value.trim(), ...commonBody(f) }), done);
}

function claudeTokens(done) {
  return form('claude-oauth', '/accounts', [
    secret(t('accessToken'), 'accessToken'), secret(t('refreshOptional'), 'refreshToken', false),
    field(t('expiresAt'), 'expiresAt', { type: 'datetime-local' }), commonFields(null, { tier: true, base: BASE.claude }),
  ], f => ({
    platform: 'claude', type: 'claude-oauth', accessToken: f.elements.accessToken.value.trim(),
    refreshToken: f.elements.refreshToken.value.trim() || undefined, expiresAt: instant(f.elements.expiresAt), ...commonBody(f),
  }), done);
}

function codexFile(done) {
  const from = choice(t('from'), 'from', [['file', t('fromFile')], ['tokens', t('fromTokens')]], 'file');
  const file = textarea(t('authJson'), 'authJson', { rows: 5, placeholder: '{"tokens": {"access_token": "…", …}}' });
  const tokens = h('div', { class: 'inline' }, secret(t('accessToken'), 'accessToken', false),
    secret(t('refreshToken'), 'refreshToken', false), secret(t('idToken'), 'idToken', false),
    field(t('chatgptAccountId'), 'chatgptAccountId', { autocomplete: 'off' }),
    field(t('expiresAt'), 'expiresAt', { type: 'datetime-local' }));
  const toggle = () => { file.hidden = from.querySelector('select').value !== 'file'; tokens.hidden = !file.hidden; };
  from.querySelector('select').addEventListener('change', toggle);
  toggle();
  return form('codex-oauth', '/accounts', [from, file, tokens, commonFields(null, { tier: true, base: BASE.codex })], f => {
    const e = f.elements;
    const creds = e.from.value === 'file' ? { authJson: e.authJson.value } : {
      accessToken: e.accessToken.value.trim(), refreshToken: e.refreshToken.value.trim() || undefined,
      idToken: e.idToken.value.trim() || undefined, chatgptAccountId: e.chatgptAccountId.value.trim() || undefined,
      expiresAt: instant(e.expiresAt),
    };
    return { platform: 'openai', type: 'codex-oauth', ...creds, ...commonBody(f) };
  }, done);
}

function geminiTokens(done) {
  return form('gemini-oauth', '/accounts', [
    secret(t('accessToken'), 'accessToken'), secret(t('refreshToken'), 'refreshToken'),
    field(t('expiresAt'), 'expiresAt', { type: 'datetime-local' }), projectField(),
    commonFields(null, { tier: true, base: BASE.codeAssist }),
  ], f => ({
    platform: 'gemini', type: 'gemini-oauth', accessToken: f.elements.accessToken.value.trim(),
    refreshToken: f.elements.refreshToken.value.trim(), expiresAt: instant(f.elements.expiresAt),
    projectId: f.elements.projectId.value.trim() || undefined, ...commonBody(f),
  }), done);
}

function geminiImport(done) {
  return form('gemini-oauth-import', '/accounts/gemini-oauth/import-creds', [
    textarea(t('credsJson'), 'credsJson', { rows: 5, required: true, placeholder: '{"access_token": "…", "refresh_token": "…", "expiry_date": …}' }),
    projectField(), commonFields(null, { nameOptional: true, tier: true, base: BASE.codeAssist }),
  ], f => ({ credsJson: f.elements.credsJson.value, projectId: f.elements.projectId.value.trim() || undefined,
    ...commonBody(f) }), done);
}

/** An OAuth login: get a link, open it, paste back the code with the account's settings. */
function login(test, flowPath, page, { setupToken = false, project = false, note = null, base }, done) {
  const out = h('div');
  const start = h('form', { class: 'inline', 'data-test': 'account-form-' + test },
    setupToken ? h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'setupToken' }), t('setupToken')) : null,
    h('button', { type: 'submit', 'data-test': 'get-link' }, t('getLink')));
  start.addEventListener('submit', ev => {
    ev.preventDefault();
    act(start.lastChild, async () => {
      const s = await api('POST', flowPath + '/generate-auth-url', setupToken ? { setupToken: start.elements.setupToken.checked } : {});
      const exchange = form(test + '-code', flowPath + '/exchange-code', [
        field(t('code'), 'code', { required: true, autocomplete: 'off' }),
        project ? projectField() : null,
        commonFields(null, { nameOptional: true, tier: true, base }),
      ], f => ({ sessionId: s.sessionId, code: f.elements.code.value.trim(),
        ...(project ? { projectId: f.elements.projectId.value.trim() || undefined } : {}), ...commonBody(f) }), created => {
        out.replaceChildren();
        done(created);
      });
      out.replaceChildren(
        h('p', {}, t('step1a'),
          h('a', { href: s.authUrl, target: '_blank', rel: 'noopener noreferrer', 'data-test': 'auth-url' }, t(page)),
          t('step1b', { until: when(s.expiresAt) })),
        h('p', {}, t('step2')), exchange);
    });
  });
  return h('div', {}, note ? hint(t(note)) : null, start, out);
}

/** Every way to add an account: [id, label, build(done)]. */
const KINDS = [
  ['claude-oauth-login', 'k_claudeLogin', done => login('claude-oauth-login', '/accounts/oauth', 'claudePage',
    { setupToken: true, base: BASE.claude }, done)],
  ['claude-oauth', 'k_claudeTokens', claudeTokens],
  ['claude-console', 'k_console', done => apiKeyForm('claude-console', 'claude', BASE.claude, done)],
  ['openai-api', 'k_openai', done => apiKeyForm('openai-api', 'openai', BASE.openai, done)],
  ['codex-oauth-login', 'k_codexLogin', done => login('codex-oauth-login', '/accounts/openai-oauth', 'codexPage',
    { note: 'codexNote', base: BASE.codex }, done)],
  ['codex-oauth', 'k_codexFile', codexFile],
  ['gemini-api', 'k_geminiApi', done => apiKeyForm('gemini-api', 'gemini', BASE.gemini, done)],
  ['gemini-oauth-login', 'k_geminiLogin', done => login('gemini-oauth-login', '/accounts/gemini-oauth', 'googlePage',
    { project: true, note: 'geminiNote', base: BASE.codeAssist }, done)],
  ['gemini-oauth-import', 'k_geminiImport', geminiImport],
  ['gemini-oauth', 'k_geminiTokens', geminiTokens],
];

/** The chooser and the chosen kind's form; {@code done(account)} after an account was added. */
export function addAccount(done, initial = 'claude-console') {
  const kinds = [...KINDS.map(([id, key, build]) => [id, t(key), build]),
    ...CLOUD_KINDS.map(([id, label, build]) => [id, label[lang()] || label.en, build])];
  const kind = choice(t('kind'), 'kind', kinds.map(([id, label]) => [id, label]), initial, { 'data-test': 'account-kind' });
  const body = h('div');
  const render = () => {
    const k = kinds.find(([id]) => id === kind.querySelector('select').value);
    body.replaceChildren(k[2](done));
  };
  kind.querySelector('select').addEventListener('change', render);
  render();
  return h('div', {}, kind, body);
}

/** The credential fields for replacing an account's credentials whole (empty: keep them). */
export function credentialFields(type) {
  const cloud = cloudCredentialFields(type);
  if (cloud) return cloud;
  if (type === 'claude-console' || type === 'openai-api' || type === 'gemini-api') {
    return [secret(t('apiKey'), 'apiKey', false)];
  }
  if (type === 'codex-oauth') return [textarea(t('authJson'), 'authJson', { rows: 4 })];
  if (type === 'gemini-oauth') return [textarea(t('credsJson'), 'credsJson', { rows: 4 })];
  return [secret(t('accessToken'), 'accessToken', false), secret(t('refreshOptional'), 'refreshToken', false),
    field(t('expiresAt'), 'expiresAt', { type: 'datetime-local' })];
}

/**
 * The new credentials an edit form carries, or nothing. A Codex auth.json is read here into its tokens
 * (an edit takes tokens; the node reads the file only when an account is added).
 */
export function credentialBody(form, type) {
  const cloud = cloudCredentialBody(form, type);
  if (cloud) return cloud;
  const e = form.elements;
  if (e.apiKey && e.apiKey.value.trim()) return { apiKey: e.apiKey.value.trim() };
  if (e.credsJson && e.credsJson.value.trim()) return { credsJson: e.credsJson.value };
  if (e.authJson && e.authJson.value.trim()) {
    let tokens;
    try {
      tokens = JSON.parse(e.authJson.value).tokens;
    } catch {
      throw new Error(t('authNotJson'));
    }
    if (!tokens || !tokens.access_token) throw new Error(t('authNoTokens'));
    return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token || undefined,
      idToken: tokens.id_token || undefined, chatgptAccountId: tokens.account_id || undefined };
  }
  if ((type === 'claude-oauth' || type === 'droid-oauth') && e.accessToken && e.accessToken.value.trim()) {
    return { accessToken: e.accessToken.value.trim(), refreshToken: e.refreshToken.value.trim() || undefined,
      expiresAt: instant(e.expiresAt) };
  }
  return {};
}
