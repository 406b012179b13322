// The forms that add the cloud and third-party accounts: AWS Bedrock (an access key pair or a Bedrock API key,
// with an optional model map), an Azure OpenAI deployment, a Factory (Droid) API key, and a Factory login
// through the device flow (the node shows a code, the operator confirms it on Factory's page, the node polls
// and adds the account). A credential is read from its field only when the form is sent.

import { act, api } from '../../client.js';
import { field, h } from '../../dom.js';
import { words } from '../../i18n.js';
import { commonBody, commonFields } from './accountfields.js';
import { choice, hint, textarea } from './ui.js';

const t = words({
  en: {
    add: 'Add the account', region: 'AWS region', auth: 'Sign in with', keys: 'Access key pair (SigV4)', bearer: 'Bedrock API key',
    accessKeyId: 'Access key id', secretAccessKey: 'Secret access key', sessionToken: 'Session token (optional: temporary credentials)',
    bearerToken: 'Bedrock API key', modelMap: 'Model map (optional JSON: Claude model name → Bedrock model id or inference profile)',
    modelMapHint: 'Current Claude models map to the cross-region inference profile of the account\'s region by default.',
    modelMapBad: 'Model map: not a JSON object', endpoint: 'Endpoint (the resource\'s URL)', deployment: 'Deployment name',
    apiVersion: 'api-version (optional: empty = the v1 API)', servedModel: 'Model the deployment serves (for prices, e.g. gpt-5)',
    apiKey: 'API key', factoryKey: 'Factory API key (fk-…)', getCode: 'Get a login code',
    deviceStep: '1. Open {link} and confirm the code', deviceWait: '2. Waiting for the login… the account is added when it completes.',
    factoryPage: 'Factory\'s login page', deviceDone: 'Added "{name}".', deviceEnded: 'The login ended: {status}.',
  },
  zh: {
    add: '添加账户', region: 'AWS 区域', auth: '认证方式', keys: '访问密钥对（SigV4）', bearer: 'Bedrock API 密钥',
    accessKeyId: '访问密钥 ID', secretAccessKey: '秘密访问密钥', sessionToken: '会话令牌（可选：临时凭据）',
    bearerToken: 'Bedrock API 密钥', modelMap: '模型映射（可选 JSON：Claude 模型名 → Bedrock 模型 ID 或推理配置文件）',
    modelMapHint: '默认将当前的 Claude 模型映射到账户所在区域的跨区域推理配置文件。',
    modelMapBad: '模型映射：不是 JSON 对象', endpoint: '终结点（资源的 URL）', deployment: '部署名称',
    apiVersion: 'api-version（可选：留空 = v1 API）', servedModel: '部署所服务的模型（用于计价，如 gpt-5）',
    apiKey: 'API 密钥', factoryKey: 'Factory API 密钥（fk-…）', getCode: '获取登录码',
    deviceStep: '1. 打开{link}并确认登录码', deviceWait: '2. 正在等待登录……完成后自动添加账户。',
    factoryPage: 'Factory 登录页', deviceDone: '已添加“{name}”。', deviceEnded: '登录已结束：{status}。',
  },
});

function secret(labelText, name, required = true) {
  return field(labelText, name, { type: 'password', required: required || undefined, autocomplete: 'new-password', spellcheck: 'false' });
}

function plain(labelText, name, attrs = {}) {
  return field(labelText, name, { autocomplete: 'off', spellcheck: 'false', ...attrs });
}

/** A form that posts to /accounts the body {@code read(form)} builds, then empties itself and calls {@code done}. */
function form(test, parts, read, done) {
  const f = h('form', { class: 'keyform', 'data-test': 'account-form-' + test, autocomplete: 'off' }, ...parts,
    h('button', { type: 'submit', 'data-test': 'save' }, t('add')));
  f.addEventListener('submit', ev => {
    ev.preventDefault();
    act(f.lastChild, async () => {
      const created = await api('POST', '/accounts', read(f));
      f.reset();
      done(created);
    });
  });
  return f;
}

function trimmed(input) {
  return input && input.value.trim() ? input.value.trim() : undefined;
}

function modelMap(input) {
  const text = input.value.trim();
  if (!text) return undefined;
  let map;
  try {
    map = JSON.parse(text);
  } catch {
    throw new Error(t('modelMapBad'));
  }
  if (!map || typeof map !== 'object' || Array.isArray(map)) throw new Error(t('modelMapBad'));
  return map;
}

/** The Bedrock credential fields: the region, then a key pair or an API key. */
function bedrockFields(required) {
  const auth = choice(t('auth'), 'auth', [['keys', t('keys')], ['bearer', t('bearer')]], 'keys');
  const keys = h('div', { class: 'inline' }, plain(t('accessKeyId'), 'accessKeyId'),
    secret(t('secretAccessKey'), 'secretAccessKey', false), secret(t('sessionToken'), 'sessionToken', false));
  const bearer = h('div', { class: 'inline' }, secret(t('bearerToken'), 'bearerToken', false));
  const toggle = () => { bearer.hidden = auth.querySelector('select').value !== 'bearer'; keys.hidden = !bearer.hidden; };
  auth.querySelector('select').addEventListener('change', toggle);
  toggle();
  return [plain(t('region'), 'region', { required: required || undefined, placeholder: 'us-east-1' }), auth, keys, bearer,
    textarea(t('modelMap'), 'modelMap', { rows: 3, placeholder: '{"claude-sonnet-4-5": "us.anthropic.claude-sonnet-4-5-20250929-v1:0"}' }),
    hint(t('modelMapHint'))];
}

function bedrockBody(f) {
  const e = f.elements;
  if (!trimmed(e.region)) return {};
  const creds = e.auth.value === 'bearer' ? { bearerToken: trimmed(e.bearerToken) } : {
    accessKeyId: trimmed(e.accessKeyId), secretAccessKey: trimmed(e.secretAccessKey), sessionToken: trimmed(e.sessionToken),
  };
  return { region: trimmed(e.region), ...creds, modelMap: modelMap(e.modelMap) };
}

function azureFields(required) {
  return [plain(t('endpoint'), 'endpoint', { type: 'url', required: required || undefined, placeholder: 'https://my-resource.openai.azure.com' }),
    plain(t('deployment'), 'deployment', { required: required || undefined }), plain(t('apiVersion'), 'apiVersion', { placeholder: '2025-04-01-preview' }),
    plain(t('servedModel'), 'model', { placeholder: 'gpt-5' }), secret(t('apiKey'), 'apiKey', required)];
}

function azureBody(f) {
  const e = f.elements;
  if (!trimmed(e.apiKey)) return {};
  return { endpoint: trimmed(e.endpoint), deployment: trimmed(e.deployment), apiVersion: trimmed(e.apiVersion),
    model: trimmed(e.model), apiKey: trimmed(e.apiKey) };
}

function bedrock(done) {
  return form('bedrock', [...bedrockFields(true), commonFields(null, { base: 'https://bedrock-runtime.{region}.amazonaws.com' })],
    f => ({ platform: 'claude', type: 'bedrock', ...bedrockBody(f), ...commonBody(f) }), done);
}

function azure(done) {
  return form('azure-openai', [...azureFields(true), commonFields(null, { noBase: true })],
    f => ({ platform: 'openai', type: 'azure-openai', ...azureBody(f), ...commonBody(f) }), done);
}

function droidKey(done) {
  return form('droid-api', [secret(t('factoryKey'), 'apiKey'), commonFields(null, { base: 'https://api.factory.ai/api/llm' })],
    f => ({ platform: 'droid', type: 'droid-api', apiKey: f.elements.apiKey.value.trim(), ...commonBody(f) }), done);
}

/** A Factory login: the node asks WorkOS for a device code, shows it with the link, and polls until the account exists. */
function droidLogin(done) {
  const out = h('div', { 'data-test': 'device-status' });
  const start = h('form', { class: 'keyform', 'data-test': 'account-form-droid-oauth-login', autocomplete: 'off' },
    commonFields(null, { nameOptional: true, base: 'https://api.factory.ai/api/llm' }),
    h('button', { type: 'submit', 'data-test': 'get-code' }, t('getCode')));
  start.addEventListener('submit', ev => {
    ev.preventDefault();
    act(start.lastChild, async () => {
      const flow = await api('POST', '/accounts/droid-oauth/device-authorization', commonBody(start));
      const link = h('a', { href: flow.verificationUriComplete || flow.verificationUri, target: '_blank',
        rel: 'noopener noreferrer', 'data-test': 'auth-url' }, t('factoryPage'));
      const [before, after] = t('deviceStep').split('{link}');
      out.replaceChildren(h('p', {}, before, link, after, ': ', h('code', { 'data-test': 'user-code' }, flow.userCode)),
        h('p', { class: 'muted' }, t('deviceWait')));
      poll(flow, out, done);
    });
  });
  return h('div', {}, start, out);
}

function poll(flow, out, done) {
  const every = Math.max(2, flow.interval || 5) * 1000;
  const tick = async () => {
    if (!out.isConnected) return;
    let s;
    try {
      s = await api('GET', '/accounts/droid-oauth/device-authorization/' + encodeURIComponent(flow.flowId));
    } catch {
      setTimeout(tick, every);
      return;
    }
    if (s.status === 'pending') {
      setTimeout(tick, every);
    } else if (s.status === 'created' && s.account) {
      out.replaceChildren(h('p', {}, t('deviceDone', { name: s.account.name })));
      done(s.account);
    } else {
      out.replaceChildren(h('p', { class: 'error', role: 'alert' }, t('deviceEnded', { status: s.error || s.status })));
    }
  };
  setTimeout(tick, every);
}

/** The kinds of account these forms add: [id, label (en, zh), build(done)]. */
export const CLOUD_KINDS = [
  ['bedrock', { en: 'AWS Bedrock (Claude models)', zh: 'AWS Bedrock（Claude 模型）' }, bedrock],
  ['azure-openai', { en: 'Azure OpenAI — a deployment', zh: 'Azure OpenAI——部署' }, azure],
  ['droid-api', { en: 'Factory (Droid) — API key', zh: 'Factory（Droid）——API 密钥' }, droidKey],
  ['droid-oauth-login', { en: 'Factory (Droid) — log in', zh: 'Factory（Droid）——登录' }, droidLogin],
];

/** The credential fields for replacing a cloud account's credentials whole (empty: keep them), or null. */
export function cloudCredentialFields(type) {
  if (type === 'bedrock') return bedrockFields(false);
  if (type === 'azure-openai') return azureFields(false);
  if (type === 'droid-api') return [secret(t('factoryKey'), 'apiKey', false)];
  return null;
}

/** The new credentials a cloud account's edit form carries, or null when the type is not a cloud one. */
export function cloudCredentialBody(form, type) {
  if (type === 'bedrock') return bedrockBody(form);
  if (type === 'azure-openai') return azureBody(form);
  if (type === 'droid-api') return trimmed(form.elements.apiKey) ? { apiKey: trimmed(form.elements.apiKey) } : {};
  return null;
}
