// The login page.

import { TOKEN, act, api } from '../client.js';
import { field, formValues, h, show } from '../dom.js';

export async function login() {
  document.getElementById('top').hidden = true;
  const form = h('form', {},
    field('User name', 'username', { autocomplete: 'username', required: true, autofocus: true }),
    field('Password', 'password', { type: 'password', autocomplete: 'current-password', required: true }),
    h('button', { type: 'submit' }, 'Log in'),
    h('p', { class: 'muted' }, 'The first admin is in data/init.json on the node (or ADMIN_USERNAME / ADMIN_PASSWORD).'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(form.lastChild, async () => {
      const out = await api('POST', '/login', formValues(form));
      sessionStorage.setItem(TOKEN, out.token);
      location.hash = '#/dashboard';
    });
  });
  show(h('div', { class: 'login card' }, h('h1', {}, 'Relay Cluster'), form));
}
