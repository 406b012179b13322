// Admins (the owner's page): who may use this admin UI, with which role; passwords, two-factor, and the
// security settings (require two-factor of everyone).

import { act, api, reload } from '../client.js';
import { dialog, field, h, show } from '../dom.js';
import { when, words } from '../i18n.js';
import { currentAdmin, isOwner } from '../session.js';
import { label, options, statePill } from './parts/labels.js';
import { action, choice, grid, hint, secretOnce, section, select } from './parts/ui.js';

const t = words({
  en: {
    title: 'Admins', ownerOnly: 'Only an owner manages admins. You can change your own password and two-factor sign-in on your profile.',
    profile: 'My profile →', add: 'Add an admin', username: 'User name', role: 'Role',
    password: 'Password (empty = make one up; at least 12 characters)', create: 'Add admin',
    roles: 'Owner: everything, and manages admins. Admin: keys, accounts, alerts, settings. Viewer: reads everything, changes nothing, sees no secret.',
    state: 'State', twoFactor: 'Two-factor', created: 'Added', you: 'you', on: 'On', off: 'Off',
    enable: 'Enable', disable: 'Disable', resetPassword: 'Reset password', removeTotp: 'Remove two-factor', delete: 'Delete',
    confirmRole: 'Make {name} {role}?', confirmDisable: 'Disable {name}? Their sessions end and they cannot log in.',
    confirmTotp: 'Turn off two-factor sign-in for {name} (a lost phone)? They log in with the password alone until they enrol again.',
    confirmDelete: 'Remove admin {name}? This cannot be undone.',
    newPassword: 'New password for {name}', newPasswordHint: 'Empty = make one up. Their sessions end.', set: 'Set the password',
    madeUp: 'The password for {name}', madeUpWarn: 'Shown once — copy it now and give it to {name} by a safe way.',
    passwordSet: 'The password of {name} is set; their sessions ended.',
    security: 'Security', require: 'Require two-factor sign-in of every admin',
    requireHint: 'Admins without it can only log in to set it up. Turn it on for yourself first (My profile).', save: 'Save',
    none: 'No admins.', created_: 'Admin {name} added.',
  },
  zh: {
    title: '管理员', ownerOnly: '只有所有者可以管理管理员。你可以在个人资料中修改自己的密码和两步验证。',
    profile: '我的资料 →', add: '添加管理员', username: '用户名', role: '角色',
    password: '密码（留空 = 自动生成；至少 12 个字符）', create: '添加管理员',
    roles: '所有者：全部权限，并管理管理员。管理员：密钥、账户、告警、设置。只读：可查看全部，不能修改，看不到任何密钥。',
    state: '状态', twoFactor: '两步验证', created: '添加时间', you: '你', on: '已开启', off: '未开启',
    enable: '启用', disable: '停用', resetPassword: '重置密码', removeTotp: '移除两步验证', delete: '删除',
    confirmRole: '将 {name} 设为{role}？', confirmDisable: '停用 {name}？其会话将结束且无法登录。',
    confirmTotp: '为 {name} 关闭两步验证（手机丢失）？在重新设置前只需密码即可登录。',
    confirmDelete: '删除管理员 {name}？此操作无法撤销。',
    newPassword: '{name} 的新密码', newPasswordHint: '留空 = 自动生成。其会话将结束。', set: '设置密码',
    madeUp: '{name} 的密码', madeUpWarn: '只显示这一次——请立即复制，并通过安全方式交给 {name}。',
    passwordSet: '{name} 的密码已设置，其会话已结束。',
    security: '安全', require: '要求所有管理员使用两步验证登录',
    requireHint: '未开启的管理员登录后只能进行设置。请先为自己开启（我的资料）。', save: '保存',
    none: '暂无管理员。', created_: '管理员 {name} 已添加。',
  },
});

function path(name) {
  return '/admins/' + encodeURIComponent(name);
}

/** A made-up password, shown once. */
function showPassword(name, password) {
  dialog(h('h2', {}, t('madeUp', { name })), secretOnce(password, 'new-password', t('madeUpWarn', { name })));
}

function resetPassword(u) {
  const form = h('form', { class: 'keyform', 'data-test': 'password-form', autocomplete: 'off' },
    field(t('newPassword', { name: u.username }), 'password', { type: 'password', minlength: 12, autocomplete: 'new-password' }),
    hint(t('newPasswordHint')), h('button', { type: 'submit' }, t('set')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(form.lastChild, async () => {
      const given = form.elements.password.value;
      const r = await api('POST', path(u.username) + '/password', given ? { password: given } : {});
      form.reset();
      if (r.password) showPassword(u.username, r.password);
      else dialog(h('p', {}, t('passwordSet', { name: u.username })));
    });
  });
  dialog(h('h2', {}, t('resetPassword')), form);
}

function roleSelect(u) {
  const s = select('role', options('role'), u.role, { 'data-test': 'role', 'aria-label': t('role') });
  s.addEventListener('change', () => {
    if (!confirm(t('confirmRole', { name: u.username, role: label('role', s.value) }))) {
      s.value = u.role;
      return;
    }
    act(s, async () => { await api('PATCH', path(u.username), { role: s.value }); reload(); });
  });
  return s;
}

function rowActions(u, me) {
  const self = u.username === me.username;
  return h('div', { class: 'actions' },
    self ? null : action(u.disabled ? t('enable') : t('disable'), 'secondary', u.disabled ? null : t('confirmDisable', { name: u.username }),
      () => api('PATCH', path(u.username), { disabled: !u.disabled }), reload, { 'data-test': u.disabled ? 'enable' : 'disable' }),
    h('button', { type: 'button', class: 'secondary', 'data-test': 'reset-password', onclick: () => resetPassword(u) }, t('resetPassword')),
    u.totpEnabled ? action(t('removeTotp'), 'secondary', t('confirmTotp', { name: u.username }),
      () => api('DELETE', path(u.username) + '/totp'), reload, { 'data-test': 'remove-totp' }) : null,
    self ? null : action(t('delete'), 'danger', t('confirmDelete', { name: u.username }), () => api('DELETE', path(u.username)),
      reload, { 'data-test': 'delete' }));
}

function createForm() {
  const form = h('form', { class: 'keyform', 'data-test': 'admin-form', autocomplete: 'off' },
    h('div', { class: 'inline' },
      field(t('username'), 'username', { required: true, pattern: '[A-Za-z0-9._@\\-]{1,100}', autocomplete: 'off' }),
      choice(t('role'), 'role', options('role'), 'viewer'),
      field(t('password'), 'password', { type: 'password', minlength: 12, autocomplete: 'new-password' })),
    hint(t('roles')), h('button', { type: 'submit', 'data-test': 'save' }, t('create')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(form.lastChild, async () => {
      const e = form.elements;
      const body = { username: e.username.value.trim(), role: e.role.value };
      if (e.password.value) body.password = e.password.value;
      const created = await api('POST', '/admins', body);
      form.reset();
      if (created.password) showPassword(created.username, created.password);
      else dialog(h('p', {}, t('created_', { name: created.username })));
      reload();
    });
  });
  return form;
}

function securityForm(settings) {
  const box = h('input', { type: 'checkbox', name: 'requireTwoFactor', checked: settings.requireTwoFactor, 'data-test': 'require-2fa' });
  const form = h('form', { class: 'keyform', 'data-test': 'security-form' },
    h('label', { class: 'check' }, box, t('require')), hint(t('requireHint')),
    h('button', { type: 'submit' }, t('save')));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(form.lastChild, async () => { await api('PATCH', '/settings/security', { requireTwoFactor: box.checked }); reload(); });
  });
  return form;
}

export async function admins() {
  if (!(await isOwner())) {
    show(h('h1', {}, t('title')), h('p', { class: 'muted' }, t('ownerOnly')), h('p', {}, h('a', { href: '#/me' }, t('profile'))));
    return;
  }
  const [list, settings, me] = await Promise.all([api('GET', '/admins'), api('GET', '/settings/security'), currentAdmin()]);
  show(h('h1', {}, t('title')),
    h('details', { class: 'card' }, h('summary', { 'data-test': 'add-admin' }, t('add')), createForm()),
    grid(list.data.map(u => ({ ...u, id: u.username })), [
      { label: t('username'), value: u => u.username === me.username ? [u.username, ' ', h('span', { class: 'muted' }, '(', t('you'), ')')] : u.username },
      { label: t('role'), value: u => u.username === me.username ? label('role', u.role) : roleSelect(u) },
      { label: t('state'), value: u => statePill(u.disabled ? 'disabled' : 'active') },
      { label: t('twoFactor'), value: u => u.totpEnabled ? t('on') : t('off') },
      { label: t('created'), value: u => when(u.createdAt) },
      { label: '', value: u => rowActions(u, me) },
    ], t('none')),
    section(t('security'), securityForm(settings)));
}

