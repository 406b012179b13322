// Languages and locale formats for the admin UI and the key holders' portal.
//
// Every page module keeps its own strings beside its code:
//   const t = words({ en: { title: 'Keys', shown: 'Shown {n} of {total}' }, zh: { title: '密钥', shown: '显示 {n} / {total}' } });
//   t('title'); t('shown', { n: 5, total: 9 });
// A key missing in the chosen language falls back to English, then to the shared words below, then to the key
// itself (so a missing string is visible, never blank). Numbers, money and times are formatted for the chosen
// language; money always has the same precision (MONEY_DIGITS) wherever it is shown.

export const LANGS = { en: 'English', zh: '简体中文' };
const STORE = 'relay.lang';
const LOCALES = { en: 'en-US', zh: 'zh-CN' };
export const MONEY_DIGITS = 4;

function initial() {
  const saved = localStorage.getItem(STORE);
  if (saved && LANGS[saved]) return saved;
  const preferred = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
  return preferred.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

let current = initial();
document.documentElement.lang = LOCALES[current];

/** The chosen language: "en" or "zh". */
export function lang() {
  return current;
}

/** The BCP 47 locale of the chosen language, for Intl formats. */
export function locale() {
  return LOCALES[current];
}

/** Chooses a language, remembers it in this browser, and tells the page (event "langchange" on window). */
export function setLang(l) {
  if (!LANGS[l] || l === current) return;
  current = l;
  localStorage.setItem(STORE, l);
  document.documentElement.lang = LOCALES[l];
  window.dispatchEvent(new Event('langchange'));
}

/** Words every page uses. */
const COMMON = {
  en: {
    save: 'Save', cancel: 'Cancel', close: 'Close', delete: 'Delete', edit: 'Edit', create: 'Create', add: 'Add',
    remove: 'Remove', refresh: 'Refresh', search: 'Search', filter: 'Filter', apply: 'Apply', back: 'Back',
    yes: 'Yes', no: 'No', none: 'None', all: 'All', name: 'Name', status: 'Status', actions: 'Actions',
    created: 'Created', updated: 'Updated', loading: 'Loading…', empty: 'Nothing here yet.', copy: 'Copy',
    copied: 'Copied', download: 'Download', csv: 'CSV', next: 'Next', previous: 'Previous', confirm: 'Are you sure?',
    noSuchPage: 'No such page.', sessionEnded: 'Your session has ended; log in again.', error: 'Error',
    language: 'Language', logout: 'Log out', never: 'Never', unlimited: 'Unlimited', enabled: 'Enabled',
    disabled: 'Disabled', optional: 'optional', details: 'Details', test: 'Test', reset: 'Reset',
  },
  zh: {
    save: '保存', cancel: '取消', close: '关闭', delete: '删除', edit: '编辑', create: '创建', add: '添加',
    remove: '移除', refresh: '刷新', search: '搜索', filter: '筛选', apply: '应用', back: '返回',
    yes: '是', no: '否', none: '无', all: '全部', name: '名称', status: '状态', actions: '操作',
    created: '创建时间', updated: '更新时间', loading: '加载中…', empty: '暂无数据。', copy: '复制',
    copied: '已复制', download: '下载', csv: 'CSV', next: '下一页', previous: '上一页', confirm: '确定吗？',
    noSuchPage: '页面不存在。', sessionEnded: '会话已结束，请重新登录。', error: '错误',
    language: '语言', logout: '退出登录', never: '从不', unlimited: '不限', enabled: '已启用',
    disabled: '已停用', optional: '可选', details: '详情', test: '测试', reset: '重置',
  },
};

function fill(text, vars) {
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined || vars[k] === null ? m : String(vars[k])));
}

/** A translator over a page's own dictionary ({en: {...}, zh: {...}}), falling back as the header says. */
export function words(dict = {}) {
  return (key, vars) => {
    const text = dict[current]?.[key] ?? dict.en?.[key] ?? COMMON[current][key] ?? COMMON.en[key] ?? key;
    return fill(text, vars);
  };
}

/** The shared words alone. */
export const common = words();

/** A count or amount, grouped for the locale; "-" when there is none. */
export function num(n, digits) {
  if (n === undefined || n === null || n === '') return '-';
  const opts = digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits };
  return new Intl.NumberFormat(locale(), opts).format(Number(n));
}

/** Micro-dollars as US dollars, always MONEY_DIGITS decimals. */
export function usd(micros) {
  if (micros === undefined || micros === null || micros === '') return '-';
  return new Intl.NumberFormat(locale(), {
    style: 'currency', currency: 'USD', minimumFractionDigits: MONEY_DIGITS, maximumFractionDigits: MONEY_DIGITS,
  }).format(Number(micros) / 1e6);
}

/** Dollars (not micro-dollars) with the same precision, for limits entered in dollars. */
export function dollars(amount) {
  return amount === undefined || amount === null || amount === '' ? '-' : usd(Number(amount) * 1e6);
}

/** A compact count for chart axes (1.2K, 3.4M; 1.2万 in Chinese). */
export function compact(n) {
  return new Intl.NumberFormat(locale(), { notation: 'compact', maximumFractionDigits: 1 }).format(Number(n) || 0);
}

/** An instant (ISO text or epoch millis) as date and time in the locale; "-" when there is none. */
export function when(value) {
  if (value === undefined || value === null || value === '') return '-';
  const d = new Date(value);
  if (isNaN(d)) return String(value);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** A date alone (for day buckets). */
export function day(value) {
  const d = new Date(value);
  return isNaN(d) ? String(value) : new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(d);
}

/** How long from now until (or since) an instant, e.g. "in 3 hours" / "3小时后". */
export function relative(value) {
  const d = new Date(value);
  if (value === undefined || value === null || isNaN(d)) return '-';
  const seconds = Math.round((d.getTime() - Date.now()) / 1000);
  const units = [['day', 86400], ['hour', 3600], ['minute', 60], ['second', 1]];
  const fmt = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size || unit === 'second') return fmt.format(Math.round(seconds / size), unit);
  }
  return '-';
}

/** A duration in milliseconds, e.g. "850 ms", "2.4 s", "3 min". */
export function duration(ms) {
  if (ms === undefined || ms === null || ms === '') return '-';
  const n = Number(ms);
  if (n < 1000) return num(Math.round(n)) + ' ms';
  if (n < 60_000) return num(n / 1000, 1) + ' s';
  return num(Math.round(n / 60_000)) + ' min';
}
