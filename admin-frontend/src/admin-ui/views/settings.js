// Settings: the site name and icon (branding) shown in the header, the tab title and the login page; where to
// re-price usage.

import { act, api } from '../client.js';
import { h, show } from '../dom.js';
import { words } from '../i18n.js';
import { canWrite } from '../session.js';

const t = words({
  en: {
    title: 'Settings', branding: 'Site name and icon', brandingNote: 'Shown in the header, the browser tab and the login page. The default name comes from WEB_TITLE.',
    siteName: 'Site name', icon: 'Icon (PNG, SVG, ICO, JPEG, GIF or WebP, at most 70 KB)', save: 'Save',
    useDefaultName: 'Use the default name ({name})', removeIcon: 'Use the built-in icon', saved: 'Saved.',
    tooBig: 'This file is too large for an icon (at most 70 KB).', notImage: 'Choose an image file.',
    preview: 'Preview', readOnly: 'Changing these needs the admin or owner role.',
    pricing: 'Prices and re-pricing', pricingNote: 'The price table, re-pricing a period and rebuilding the usage views are on the Usage page.',
    openPricing: 'Open prices and re-pricing', overridden: 'Changed here; the buttons below go back to the defaults.', fromEnv: '',
  },
  zh: {
    title: '设置', branding: '站点名称与图标', brandingNote: '显示在页头、浏览器标签页和登录页。默认名称来自 WEB_TITLE。',
    siteName: '站点名称', icon: '图标（PNG、SVG、ICO、JPEG、GIF 或 WebP，最大 70 KB）', save: '保存',
    useDefaultName: '使用默认名称（{name}）', removeIcon: '使用内置图标', saved: '已保存。',
    tooBig: '文件过大，不能作为图标（最大 70 KB）。', notImage: '请选择图片文件。',
    preview: '预览', readOnly: '修改这些设置需要管理员或所有者角色。',
    pricing: '价格与重新计价', pricingNote: '价格表、按时间段重新计价以及重建用量视图都在“用量”页面。',
    openPricing: '打开价格与重新计价', overridden: '已在此处修改；可用下面的按钮恢复默认值。', fromEnv: '',
  },
});

const MAX_ICON_BYTES = 70 * 1024;

function readAsDataUrl(file) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

export async function settings() {
  const [b, writer] = await Promise.all([api('GET', '/settings/branding'), canWrite()]);
  let icon = b.iconUrl;
  const previewIcon = h('img', { alt: '', hidden: !icon, src: icon || null, 'data-test': 'branding-preview-icon' });
  const previewName = h('span', {}, b.siteName);
  const name = h('input', { name: 'siteName', value: b.siteName, maxlength: 80, required: true, id: 'branding-name',
    'data-test': 'branding-name', disabled: !writer });
  name.addEventListener('input', () => { previewName.textContent = name.value || b.defaultSiteName; });
  const file = h('input', { type: 'file', accept: 'image/png,image/svg+xml,image/x-icon,image/vnd.microsoft.icon,image/jpeg,image/gif,image/webp',
    'data-test': 'branding-icon', disabled: !writer });
  const status = h('p', { class: 'muted', role: 'status' });
  file.addEventListener('change', () => act(file, async () => {
    const f = file.files[0];
    if (!f) return;
    if (!f.type.startsWith('image/')) throw new Error(t('notImage'));
    if (f.size > MAX_ICON_BYTES) throw new Error(t('tooBig'));
    icon = await readAsDataUrl(f);
    previewIcon.src = icon;
    previewIcon.hidden = false;
  }));
  const save = async body => {
    await api('PATCH', '/settings/branding', body);
    window.dispatchEvent(new Event('brandingchange'));
    await settings();
    const shown = document.querySelector('[data-test="branding"] [role="status"]');
    if (shown) shown.textContent = t('saved');
  };
  const form = h('form', { class: 'inline wide', 'data-test': 'branding-form' },
    h('label', { for: 'branding-name' }, t('siteName'), name),
    h('label', {}, t('icon'), file),
    writer ? h('button', { type: 'submit', 'data-test': 'branding-save' }, t('save')) : null);
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    act(form, () => save({ siteName: name.value, iconUrl: icon || null }));
  });
  const resetName = h('button', { type: 'button', class: 'secondary write', 'data-test': 'branding-default-name' },
    t('useDefaultName', { name: b.defaultSiteName }));
  resetName.addEventListener('click', () => act(resetName, () => save({ siteName: null })));
  const resetIcon = h('button', { type: 'button', class: 'secondary write', 'data-test': 'branding-default-icon' }, t('removeIcon'));
  resetIcon.addEventListener('click', () => act(resetIcon, () => save({ iconUrl: null })));
  show(
    h('h1', {}, t('title')),
    h('section', { class: 'card', 'data-test': 'branding' },
      h('h2', {}, t('branding')),
      h('p', { class: 'muted' }, t('brandingNote'), b.overridden ? ' ' + t('overridden') : null),
      h('div', { class: 'brand-preview', 'aria-label': t('preview') }, previewIcon, previewName),
      form,
      writer ? h('div', { class: 'actions' }, b.siteName !== b.defaultSiteName ? resetName : null, b.iconUrl ? resetIcon : null)
        : h('p', { class: 'muted' }, t('readOnly')),
      status),
    h('section', { class: 'card' },
      h('h2', {}, t('pricing')),
      h('p', { class: 'muted' }, t('pricingNote')),
      h('a', { href: '#/usage?tab=prices', 'data-test': 'open-pricing' }, t('openPricing'))));
}
