// The login page: name and password (then, for an admin with two-factor sign-in, a code), and single sign-on
// when the relay has an OpenID Connect issuer. The issuer sends the browser back to #/login?sso=<one-time code>,
// which is traded here for the session token (the token itself never sits in a URL); a refused sign-on comes
// back as #/login?sso_error=<reason>. The header (with "Log out") is hidden on this page.

import { API, TOKEN, act, api } from '../client.js';
import { field, formValues, h, show } from '../dom.js';
import { LANGS, lang, setLang, words } from '../i18n.js';
import { forgetAdmin } from '../session.js';

const t = words({
  en: {
    title: 'Relay Cluster',
    username: 'User name',
    password: 'Password',
    logIn: 'Log in',
    firstAdmin: 'The first admin is in data/init.json on the node (or ADMIN_USERNAME / ADMIN_PASSWORD).',
    code: 'Code from your authenticator app, or a recovery code',
    codeHint: 'The code changes every 30 seconds.',
    enrol: 'Two-factor sign-in is required for every admin. Enrol first: POST /admin/api/me/totp, then '
      + 'POST /admin/api/me/totp/confirm with a code (see the README, "Admins").',
    sso: 'Sign in with {label}',
    or: 'or',
    passwordOff: 'Password login is turned off on this relay.',
    signingIn: 'Signing in…',
    codeSpent: 'This sign-in link has expired or was already used. Sign in again.',
    err_denied: 'The sign-in was cancelled or refused at {label}.',
    err_expired: 'The sign-in took too long or was already finished. Try again.',
    err_invalid: 'The answer from {label} could not be verified. Try again; if it keeps failing, tell the '
      + 'relay\'s operator.',
    err_no_role: 'Your account at {label} has no group or role that this relay lets in. Ask an owner to map it.',
    err_no_name: 'Your account at {label} gives no user name this relay can use.',
    err_name_taken: 'An admin of this name already exists here and does not sign in with {label}. Ask an owner.',
    err_disabled: 'Your admin account on this relay is disabled.',
    err_last_owner: 'You are the last owner of this relay, but {label} gives you another role. Ask for the '
      + 'owner group, or make another owner first.',
    err_unavailable: '{label} could not be reached. Try again later.',
    err_other: 'The sign-in failed. Try again.',
  },
  zh: {
    title: 'Relay Cluster',
    username: '用户名',
    password: '密码',
    logIn: '登录',
    firstAdmin: '首个管理员的凭据位于节点的 data/init.json（或环境变量 ADMIN_USERNAME / ADMIN_PASSWORD）。',
    code: '身份验证器应用中的验证码，或一个恢复码',
    codeHint: '验证码每 30 秒更换一次。',
    enrol: '所有管理员都必须启用两步验证。请先登记：POST /admin/api/me/totp，然后带验证码调用 '
      + 'POST /admin/api/me/totp/confirm（见 README 的“Admins”一节）。',
    sso: '使用 {label} 登录',
    or: '或',
    passwordOff: '本中转已关闭密码登录。',
    signingIn: '正在登录…',
    codeSpent: '此登录链接已过期或已被使用，请重新登录。',
    err_denied: '登录已在 {label} 被取消或拒绝。',
    err_expired: '登录耗时过长或已完成，请重试。',
    err_invalid: '无法验证 {label} 返回的结果。请重试；如仍失败，请联系本中转的运维人员。',
    err_no_role: '您在 {label} 的账号没有本中转允许登录的组或角色，请联系所有者为其配置映射。',
    err_no_name: '您在 {label} 的账号没有提供本中转可用的用户名。',
    err_name_taken: '本中转已有同名管理员，且该管理员不通过 {label} 登录，请联系所有者。',
    err_disabled: '您在本中转的管理员账号已被停用。',
    err_last_owner: '您是本中转最后一位所有者，但 {label} 给出的是其他角色。请申请所有者组，或先指定另一位所有者。',
    err_unavailable: '无法连接 {label}，请稍后再试。',
    err_other: '登录失败，请重试。',
  },
});

const REASONS = ['denied', 'expired', 'invalid', 'no_role', 'no_name', 'name_taken', 'disabled', 'last_owner',
  'unavailable'];

/** The page's query (#/login?sso=…), and the hash without it, so a reload or a language change does not repeat it. */
function takeQuery() {
  const hash = location.hash;
  const at = hash.indexOf('?');
  if (at < 0) return new URLSearchParams();
  history.replaceState(null, '', location.pathname + location.search + '#/login');
  return new URLSearchParams(hash.slice(at + 1));
}

let pending = null; // the last sign-in outcome, kept across a re-render (language change)

export async function login() {
  document.getElementById('top').hidden = true;
  const query = takeQuery();
  if (query.has('sso')) pending = { code: query.get('sso') };
  else if (query.has('sso_error')) pending = { error: query.get('sso_error') };

  let options = { password: true, oidc: { enabled: false, label: '' } };
  try {
    options = await api('GET', '/login/options');
  } catch { /* an older node: password login only */ }
  const label = options.oidc?.label || 'SSO';

  const card = h('div', { class: 'login card' }, h('h1', {}, t('title')));
  const status = h('div', { role: 'status' });
  card.append(status);
  show(card);

  if (pending?.code) {
    const code = pending.code;
    pending = null;
    status.append(h('p', { class: 'muted' }, t('signingIn')));
    if (await exchange(code, status)) return;
  } else if (pending?.error) {
    status.append(h('p', { class: 'error', role: 'alert' },
      t(REASONS.includes(pending.error) ? 'err_' + pending.error : 'err_other', { label })));
  }

  if (options.oidc?.enabled) {
    const sso = h('button', { type: 'button', class: options.password ? 'secondary' : undefined }, t('sso', { label }));
    sso.addEventListener('click', () => { location.href = API + '/oidc/start'; });
    card.append(sso);
    if (options.password) card.append(h('p', { class: 'muted' }, t('or')));
  }
  if (options.password) card.append(passwordForm());
  else card.append(h('p', { class: 'muted' }, t('passwordOff')));
  card.append(languages());
}

/** Trades the one-time code for the session; false (with the reason shown) when that failed. */
async function exchange(code, status) {
  // Not api(): a 401 here is a spent code, not an ended session.
  try {
    const res = await fetch(API + '/oidc/exchange', {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ code }),
    });
    const out = await res.json().catch(() => null);
    if (!res.ok || !out?.token) {
      status.replaceChildren(h('p', { class: 'error', role: 'alert' },
        res.status === 401 ? t('codeSpent') : (out?.error?.message || t('err_other'))));
      return false;
    }
    signedIn(out, status);
    return true;
  } catch {
    status.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('err_other')));
    return false;
  }
}

function signedIn(out, where) {
  forgetAdmin();
  sessionStorage.setItem(TOKEN, out.token);
  if (out.enrolmentRequired) {
    where.replaceChildren(h('p', {}, t('enrol')));
    return;
  }
  location.hash = '#/dashboard';
}

function passwordForm() {
  const submit = h('button', { type: 'submit' }, t('logIn'));
  const form = h('form', {},
    field(t('username'), 'username', { autocomplete: 'username', required: true, autofocus: true }),
    field(t('password'), 'password', { type: 'password', autocomplete: 'current-password', required: true }),
    submit, h('p', { class: 'muted' }, t('firstAdmin')));
  let challenge = null;
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(form.lastChild, async () => {
      const values = formValues(form);
      const out = challenge
        ? await api('POST', '/login', { challenge, code: values.code })
        : await api('POST', '/login', { username: values.username, password: values.password });
      if (out.totpRequired) {
        challenge = out.challenge;
        const code = field(t('code'), 'code', { autocomplete: 'one-time-code', required: true, autofocus: true });
        form.replaceChildren(code, submit, h('p', { class: 'muted' }, t('codeHint')));
        code.querySelector('input').focus();
        return;
      }
      signedIn(out, form);
    });
  });
  return form;
}

/** The language choice: the header that has it is hidden on this page. */
function languages() {
  const select = h('select', { 'aria-label': t('language') },
    Object.entries(LANGS).map(([code, name]) => h('option', { value: code, selected: code === lang() }, name)));
  select.addEventListener('change', () => setLang(select.value));
  return h('p', { class: 'muted' }, select);
}
