// My profile: role, my password, and two-factor sign-in (enrol with an authenticator app, confirm with a
// code, keep the recovery codes, turn it off).

import { TOKEN, act, api, reload } from '../client.js';
import { h, show } from '../dom.js';
import { num, when, words } from '../i18n.js';
import { forgetAdmin } from '../session.js';
import { label } from './parts/labels.js';
import { qrSvg } from './parts/qr.js';
import { copyButton, facts, hint, section } from './parts/ui.js';

const t = words({
  en: {
    title: 'My profile', username: 'User name', role: 'Role', twoFactor: 'Two-factor sign-in', on: 'On', off: 'Off',
    codesLeft: 'Recovery codes left', required: 'Required by the owner', since: 'Added',
    mustEnrol: 'The owner requires two-factor sign-in: set it up below before you can use the rest of the admin UI.',
    password: 'Password', current: 'Current password', next: 'New password (at least 12 characters)', repeat: 'New password again',
    mismatch: 'The new passwords differ.', change: 'Change password', changed: 'Password changed. Your other sessions have ended.',
    setUp: 'Set up two-factor sign-in', setUpHint: 'You need an authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, Aegis, …).',
    start: 'Start', scan: '1. Scan this code with the app, or type the secret into it:', secret: 'Secret',
    uri: 'Or the whole otpauth link', noQr: 'The link is too long for a QR code here; type the secret instead.',
    confirm: '2. Type the six-digit code the app shows:', code: 'Code', turnOn: 'Turn on',
    codes: 'Your recovery codes', codesWarn: 'Shown once — copy them now and keep them somewhere safe. Each one signs you in once if you lose the phone.',
    copyAll: 'Copy all', download: 'Download as text', done: 'I have kept them',
    turnOff: 'Turn off two-factor sign-in', turnOffHint: 'Needs your password and a current code (or a recovery code).',
    offButton: 'Turn off', offDone: 'Two-factor sign-in is off.', codeOrRecovery: 'Code or recovery code',
  },
  zh: {
    title: '我的资料', username: '用户名', role: '角色', twoFactor: '两步验证', on: '已开启', off: '未开启',
    codesLeft: '剩余恢复码', required: '所有者要求开启', since: '添加时间',
    mustEnrol: '所有者要求两步验证：请先在下方完成设置，才能使用管理界面的其他功能。',
    password: '密码', current: '当前密码', next: '新密码（至少 12 个字符）', repeat: '再次输入新密码',
    mismatch: '两次输入的新密码不一致。', change: '修改密码', changed: '密码已修改，你的其他会话已结束。',
    setUp: '设置两步验证', setUpHint: '需要一个验证器应用（Google Authenticator、Microsoft Authenticator、1Password、Aegis 等）。',
    start: '开始', scan: '1. 用应用扫描此二维码，或手动输入密钥：', secret: '密钥',
    uri: '或完整的 otpauth 链接', noQr: '链接太长，无法在此生成二维码；请手动输入密钥。',
    confirm: '2. 输入应用显示的六位验证码：', code: '验证码', turnOn: '开启',
    codes: '你的恢复码', codesWarn: '只显示这一次——请立即复制并妥善保存。手机丢失时，每个恢复码可登录一次。',
    copyAll: '全部复制', download: '下载为文本', done: '我已保存',
    turnOff: '关闭两步验证', turnOffHint: '需要你的密码和当前验证码（或恢复码）。',
    offButton: '关闭', offDone: '两步验证已关闭。', codeOrRecovery: '验证码或恢复码',
  },
});

function passwordForm() {
  const out = h('div');
  const form = h('form', { class: 'keyform', 'data-test': 'password-form', autocomplete: 'off' },
    h('div', { class: 'inline' },
      h('label', {}, t('current'), h('input', { name: 'currentPassword', type: 'password', required: true, autocomplete: 'current-password' })),
      h('label', {}, t('next'), h('input', { name: 'newPassword', type: 'password', required: true, minlength: 12, autocomplete: 'new-password' })),
      h('label', {}, t('repeat'), h('input', { name: 'repeat', type: 'password', required: true, minlength: 12, autocomplete: 'new-password' }))),
    h('button', { type: 'submit' }, t('change')), out);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(form.querySelector('button'), async () => {
      const e = form.elements;
      if (e.newPassword.value !== e.repeat.value) throw new Error(t('mismatch'));
      const r = await api('PATCH', '/me', { currentPassword: e.currentPassword.value, newPassword: e.newPassword.value });
      form.reset();
      // The change ends every session of this admin; the answer carries the new one.
      if (r.token) sessionStorage.setItem(TOKEN, r.token);
      forgetAdmin();
      out.replaceChildren(h('p', { class: 'ok', role: 'status' }, t('changed')));
    });
  });
  return form;
}

/** The recovery codes, shown once, with copy and download. */
function recoveryCodes(codes) {
  const text = () => codes.join('\n');
  const download = h('button', { type: 'button', class: 'secondary' }, t('download'));
  download.addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([text() + '\n'], { type: 'text/plain' }));
    const a = h('a', { href: url, download: 'relay-recovery-codes.txt' });
    document.body.append(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(url);
  });
  return h('div', { class: 'secret-once', 'data-test': 'recovery-codes' },
    h('h3', {}, t('codes')), h('p', { class: 'warning', role: 'alert' }, '⚠ ', t('codesWarn')),
    h('ol', { class: 'codes' }, codes.map(c => h('li', {}, h('code', {}, c)))),
    h('div', { class: 'actions' }, copyButton(text, t('copyAll')), download,
      h('button', { type: 'button', onclick: () => { forgetAdmin(); reload(); } }, t('done'))));
}

function enrolment() {
  const area = h('div');
  const start = h('button', { type: 'button', 'data-test': 'totp-start' }, t('start'));
  start.addEventListener('click', () => act(start, async () => {
    const e = await api('POST', '/me/totp');
    const qr = qrSvg(e.otpauthUri, 200, t('scan'));
    const grouped = e.secret.replace(/(.{4})/g, '$1 ').trim();
    const confirmForm = h('form', { class: 'inline', 'data-test': 'totp-confirm', autocomplete: 'off' },
      h('label', {}, t('code'), h('input', { name: 'code', required: true, inputmode: 'numeric', pattern: '[0-9 ]{6,8}',
        autocomplete: 'one-time-code', maxlength: 8 })),
      h('button', { type: 'submit' }, t('turnOn')));
    confirmForm.addEventListener('submit', ev => {
      ev.preventDefault();
      act(confirmForm.lastChild, async () => {
        const r = await api('POST', '/me/totp/confirm', { code: confirmForm.elements.code.value.replace(/\s/g, '') });
        forgetAdmin();
        area.replaceChildren(recoveryCodes(r.recoveryCodes || []));
      });
    });
    area.replaceChildren(
      h('p', {}, t('scan')),
      h('div', { class: 'totp' },
        qr ? h('div', { class: 'qr', 'data-test': 'totp-qr' }, qr) : h('p', { class: 'muted' }, t('noQr')),
        h('div', {},
          h('p', {}, t('secret'), ': ', h('code', { class: 'secret', 'data-test': 'totp-secret' }, grouped), ' ', copyButton(e.secret)),
          h('details', {}, h('summary', {}, t('uri')), h('code', { class: 'secret', 'data-test': 'totp-uri' }, e.otpauthUri),
            copyButton(e.otpauthUri)))),
      h('p', {}, t('confirm')), confirmForm);
    start.remove();
  }));
  return h('div', {}, hint(t('setUpHint')), start, area);
}

function disableForm() {
  const form = h('form', { class: 'inline', 'data-test': 'totp-disable', autocomplete: 'off' },
    h('label', {}, t('current'), h('input', { name: 'password', type: 'password', required: true, autocomplete: 'current-password' })),
    h('label', {}, t('codeOrRecovery'), h('input', { name: 'code', required: true, autocomplete: 'one-time-code' })),
    h('button', { type: 'submit', class: 'danger' }, t('offButton')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(form.lastChild, async () => {
      await api('POST', '/me/totp/disable', { password: form.elements.password.value, code: form.elements.code.value.trim() });
      form.reset();
      forgetAdmin();
      reload();
    });
  });
  return h('div', {}, hint(t('turnOffHint')), form);
}

export async function me() {
  forgetAdmin();
  const m = await api('GET', '/me');
  show(h('h1', {}, t('title')),
    m.enrolmentRequired ? h('p', { class: 'warning', role: 'alert' }, t('mustEnrol')) : null,
    h('div', { class: 'card' }, facts([
      [t('username'), m.username], [t('role'), label('role', m.role)],
      [t('twoFactor'), m.totpEnabled ? t('on') : t('off')],
      m.totpEnabled ? [t('codesLeft'), num(m.recoveryCodesLeft)] : null,
      m.twoFactorRequired ? [t('required'), '✓'] : null,
      [t('since'), when(m.createdAt)],
    ])),
    m.totpEnabled ? section(t('turnOff'), disableForm()) : section(t('setUp'), enrolment()),
    m.enrolmentRequired ? null : section(t('password'), passwordForm()));
}
