// DOM helpers: every value goes into the page as text, never as HTML.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function show(...nodes) {
  const view = document.getElementById('view');
  view.replaceChildren(...nodes.flat().filter(n => n !== null && n !== undefined && n !== false));
}

export function dialog(...nodes) {
  document.getElementById('dialog-body').replaceChildren(...nodes);
  document.getElementById('dialog').showModal();
}

export function pill(text) {
  const t = String(text ?? '-');
  return h('span', { class: 'pill ' + t.toLowerCase() }, t);
}

import { common } from './i18n.js';

export { usd, num, when } from './i18n.js';

/**
 * A table from rows and column specs [{label, value(row), num?}], inside a box that scrolls sideways on its
 * own (class "table-wrap"), so a wide table never widens the page.
 */
export function table(rows, columns, empty = common('empty')) {
  if (!rows || rows.length === 0) return h('p', { class: 'muted' }, empty);
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { class: c.num ? 'num' : '' }, c.label)))),
    h('tbody', {}, rows.map(r => h('tr', {}, columns.map(c => {
      const v = c.value(r);
      return h('td', { class: c.num ? 'num' : '' }, v instanceof Node ? v : (v ?? '-'));
    }))))));
}

export function formValues(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.value === '') continue;
    if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.dataset.type === 'int') out[el.name] = parseInt(el.value, 10);
    else if (el.dataset.type === 'number') out[el.name] = Number(el.value);
    else out[el.name] = el.value;
  }
  return out;
}

export function field(label, name, attrs = {}) {
  return h('label', {}, label, h('input', { name, ...attrs }));
}

export function stat(label, value, test) {
  return h('div', { class: 'card stat', 'data-test': test }, h('div', { class: 'muted' }, label), h('div', { class: 'big' }, value));
}

export function list(text) {
  return text.split(',').map(x => x.trim()).filter(Boolean);
}

export function checks(name, values, chosen) {
  return h('fieldset', {}, h('legend', {}, name),
    values.map(v => h('label', { class: 'check' }, h('input', { type: 'checkbox', name, value: v, checked: chosen.includes(v) }), v)));
}
