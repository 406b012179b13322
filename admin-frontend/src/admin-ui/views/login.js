// The login page: name and password, then, for an admin with two-factor sign-in, a code.

import { TOKEN, act, api } from '../client.js';
import { field, formValues, h, show } from '../dom.js';

export async function login() {
  document.getElementById('top').hidden = true;
  const submit = h('button', { type: 'submit' }, 'Log in');
  const note = h('p', { class: 'muted' },
    'The first admin is in data/init.json on the node (or ADMIN_USERNAME / ADMIN_PASSWORD).');
  const form = h('form', {},
    field('User name', 'username', { autocomplete: 'username', required: true, autofocus: true }),
    field('Password', 'password', { type: 'password', autocomplete: 'current-password', required: true }),
    submit, note);
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
        const code = field('Code from your authenticator app, or a recovery code', 'code',
          { autocomplete: 'one-time-code', required: true, autofocus: true });
        form.replaceChildren(code, submit, h('p', { class: 'muted' }, 'The code changes every 30 seconds.'));
        code.querySelector('input').focus();
        return;
      }
      sessionStorage.setItem(TOKEN, out.token);
      if (out.enrolmentRequired) {
        form.replaceChildren(h('p', {}, 'Two-factor sign-in is required for every admin. Enrol first: '
          + 'POST /admin/api/me/totp, then POST /admin/api/me/totp/confirm with a code (see the README, "Admins").'));
        return;
      }
      location.hash = '#/dashboard';
    });
  });
  show(h('div', { class: 'login card' }, h('h1', {}, 'Relay Cluster'), form));
}
