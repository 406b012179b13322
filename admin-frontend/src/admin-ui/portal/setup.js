// Ready-to-paste set-up for each tool the key may use. The key appears as the server's placeholder unless the
// holder ticks "fill in my key"; then the key from this page's input is put in here, in the browser only.
import { h } from '../dom.js';
import { clientWord, t } from './words.js';

async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = t('copied');
  } catch {
    button.textContent = t('copyFailed');
  }
  setTimeout(() => { button.textContent = t('copy'); }, 1800);
}

function partBlock(part, fill) {
  const text = fill(part.text);
  const button = h('button', { type: 'button', class: 'secondary copy', onclick: () => copyText(fill(part.text), button) },
    t('copy'));
  return h('div', { class: 'part' },
    h('div', { class: 'part-head' }, h('span', { class: 'muted' }, part.file ? t('file', { file: part.file }) : t('run')), button),
    h('pre', { class: 'snippet' }, h('code', { class: 'lang-' + part.format }, text)));
}

/** setup = the answer of /api/v1/key-usage/setup; state = {fill: boolean}; key = the key typed in this tab. */
export function setupSection(setup, state, key, rerender) {
  if (!setup) return null;
  const placeholder = setup.keyPlaceholder;
  const fill = text => (state.fill && key && placeholder ? text.split(placeholder).join(key) : text);
  const toggle = h('label', { class: 'check' },
    h('input', { type: 'checkbox', id: 'fill-key', checked: state.fill, onchange: e => { state.fill = e.target.checked; rerender(); } }),
    t('fillKey'));
  const snippets = (setup.snippets || []).map(s => h('section', { class: 'card snippet-card', 'data-test': 'snippet-' + s.client },
    h('h3', {}, t(clientWord('c', s.client))),
    h('p', { class: 'muted' }, t(clientWord('d', s.client))),
    s.parts.map(p => partBlock(p, fill))));
  return h('div', { class: 'setup' },
    h('p', {}, t('setupIntro', { url: setup.baseUrl })),
    setup.baseUrl === 'http://relay-host:3000' ? h('p', { class: 'warn' }, t('setupUnknownHost', { url: setup.baseUrl })) : null,
    h('div', { class: 'fill-row' }, toggle, h('span', { class: 'muted' }, t('fillKeyNote'))),
    snippets.length ? snippets : h('p', { class: 'muted' }, t('noSetup')));
}
