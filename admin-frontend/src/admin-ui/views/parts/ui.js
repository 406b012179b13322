// Small building blocks the management pages share: tables whose rows the browser tests can find, selects,
// copy buttons, secrets shown once, confirmed actions. Every value goes into the page as text (dom.js h()).

import { act, api, reload } from '../../client.js';
import { h } from '../../dom.js';
import { words } from '../../i18n.js';

const t = words({
  en: {
    copyFailed: 'Select the text and copy it by hand.', shownOnce: 'Shown once — copy it now.',
    yes: 'Yes', no: 'No', prev: '← Newer', nextPage: 'Older →', rows: 'Rows {from}–{to}',
  },
  zh: {
    copyFailed: '请手动选中文本复制。', shownOnce: '只显示这一次——请立即复制。',
    yes: '是', no: '否', prev: '← 较新', nextPage: '较早 →', rows: '第 {from}–{to} 行',
  },
});

/**
 * A table from rows and column specs [{label, value(row), num?}], inside a box that scrolls sideways on a
 * narrow screen. Each body row has data-test="row" (and data-id when the row has an id).
 */
export function grid(rows, columns, empty, rowAttrs = () => ({})) {
  if (!rows || rows.length === 0) return h('p', { class: 'muted', 'data-test': 'empty' }, empty);
  return h('div', { class: 'table-scroll' }, h('table', {},
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { class: c.num ? 'num' : '' }, c.label)))),
    h('tbody', {}, rows.map(r => h('tr', { 'data-test': 'row', 'data-id': r.id ?? undefined, ...rowAttrs(r) },
      columns.map(c => {
        const v = c.value(r);
        return h('td', { class: c.num ? 'num' : '', 'data-label': c.label }, v instanceof Node ? v : (v ?? '-'));
      }))))));
}

/** A select of [value, label] pairs; {@code chosen} is selected. */
export function select(name, options, chosen, attrs = {}) {
  return h('select', { name, ...attrs }, options.map(([value, label]) =>
    h('option', { value, selected: String(value) === String(chosen ?? '') }, label)));
}

/** A labelled select. */
export function choice(label, name, options, chosen, attrs = {}) {
  return h('label', {}, label, select(name, options, chosen, attrs));
}

/** A labelled textarea. */
export function textarea(label, name, attrs = {}, value = '') {
  const area = h('textarea', { name, rows: 4, autocomplete: 'off', spellcheck: 'false', ...attrs });
  area.value = value;
  return h('label', {}, label, area);
}

/** A short explanation under a field or a section. */
export function hint(text) {
  return h('p', { class: 'muted hint' }, text);
}

/** A button that copies {@code text()} (a function, so a secret is read only when asked) to the clipboard. */
export function copyButton(text, label = t('copy')) {
  const b = h('button', { type: 'button', class: 'secondary', 'data-test': 'copy' }, label);
  b.addEventListener('click', async () => {
    const value = typeof text === 'function' ? text() : text;
    try {
      await navigator.clipboard.writeText(value);
      b.textContent = t('copied');
    } catch {
      b.textContent = t('copyFailed');
    }
    setTimeout(() => { b.textContent = label; }, 2000);
  });
  return b;
}

/**
 * A secret the relay shows only in this answer: a warning, the value (data-test given) and a copy button.
 * The dialog that holds it is emptied when it closes, so the secret does not stay in the page.
 */
export function secretOnce(value, test, warning = t('shownOnce')) {
  forgetOnClose();
  const code = h('code', { class: 'secret', 'data-test': test }, value);
  return h('div', { class: 'secret-once' },
    h('p', { class: 'warning', role: 'alert' }, '⚠ ', warning),
    code, h('div', { class: 'actions' }, copyButton(() => code.textContent)));
}

/** Empties the dialog when it is closed (it showed a secret). */
export function forgetOnClose() {
  const dialog = document.getElementById('dialog');
  if (!dialog) return;
  dialog.addEventListener('close', () => document.getElementById('dialog-body')?.replaceChildren(), { once: true });
}

/**
 * A button that asks first (when {@code question} is given), runs {@code call}, shows an error beside
 * itself, and then runs {@code after} (default: show the page again).
 */
export function action(label, kind, question, call, after = reload, attrs = {}) {
  const b = h('button', { type: 'button', class: kind, ...attrs }, label);
  b.addEventListener('click', () => {
    if (question && !confirm(question)) return;
    act(b, async () => { const r = await call(); await after(r); });
  });
  return b;
}

/** Yes or No in the page's language. */
export function yesNo(v) {
  return v ? t('yes') : t('no');
}

/** A fraction as a percentage, or "-". */
export function percent(fraction) {
  return fraction === undefined || fraction === null ? '-' : Math.round(100 * fraction) + ' %';
}

/** A list of words from text separated by commas or new lines. */
export function splitList(text) {
  return String(text || '').split(/[,\n]/).map(x => x.trim()).filter(Boolean);
}

/** Reads the hash's query (#/page?a=1&b=2). */
export function hashQuery() {
  return new URLSearchParams(location.hash.split('?')[1] || '');
}

/** Previous / next links for a page read with limit and offset; {@code go(offset)} gives the link. */
export function pager(count, offset, limit, nextOffset, go) {
  const from = count ? offset + 1 : 0;
  return h('p', { class: 'pager' },
    offset > 0 ? h('a', { href: go(Math.max(0, offset - limit)), 'data-test': 'prev' }, t('prev')) : null, ' ',
    h('span', { class: 'muted' }, t('rows', { from, to: offset + count })), ' ',
    nextOffset !== null && nextOffset !== undefined ? h('a', { href: go(nextOffset), 'data-test': 'next' }, t('nextPage')) : null);
}

/** The accounts by id (for names instead of ids), read once per page. */
export async function accountNames() {
  const accounts = await api('GET', '/accounts');
  return { list: accounts.data, name: id => accounts.data.find(a => a.id === id)?.name ?? null };
}

/** A link to an account's page by its name (its id only when the account is gone). */
export function accountLink(id, name) {
  if (!id) return '-';
  return h('a', { href: '#/accounts/' + encodeURIComponent(id) }, name || id);
}

/** A link to a key's page by its name. */
export function keyLink(id, name) {
  if (!id) return '-';
  return h('a', { href: '#/keys/' + encodeURIComponent(id) }, name || id);
}

/** A section heading and what is in it. */
export function section(title, ...content) {
  return h('section', { class: 'card' }, h('h2', {}, title), ...content);
}

/** Label: value lines (a definition list). */
export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.filter(Boolean).flatMap(([k, v]) =>
    [h('dt', {}, k), h('dd', {}, v instanceof Node ? v : (v === undefined || v === null || v === '' ? '-' : String(v)))]));
}
