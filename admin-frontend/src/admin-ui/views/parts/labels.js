// Human labels for the values the admin API speaks in (pools, account types and states, key statuses, audit
// actions, alert kinds, trace terms), in both languages. A value with no label is shown as it is.

import { h } from '../../dom.js';
import { lang } from '../../i18n.js';

const L = {
  pool: {
    en: { claude: 'Claude', openai: 'OpenAI / Codex', gemini: 'Gemini', droid: 'Droid' },
    zh: { claude: 'Claude', openai: 'OpenAI / Codex', gemini: 'Gemini', droid: 'Droid' },
  },
  accountType: {
    en: {
      'claude-oauth': 'Claude subscription (OAuth)', 'claude-console': 'Claude Console API key',
      'openai-api': 'OpenAI API key', 'codex-oauth': 'ChatGPT subscription (Codex)',
      'gemini-api': 'Gemini API key', 'gemini-oauth': 'Google login (Gemini Code Assist)',
      bedrock: 'AWS Bedrock', 'azure-openai': 'Azure OpenAI deployment', 'droid-api': 'Factory (Droid) API key',
      'droid-oauth': 'Factory (Droid) login',
    },
    zh: {
      'claude-oauth': 'Claude 订阅（OAuth）', 'claude-console': 'Claude Console API 密钥',
      'openai-api': 'OpenAI API 密钥', 'codex-oauth': 'ChatGPT 订阅（Codex）',
      'gemini-api': 'Gemini API 密钥', 'gemini-oauth': 'Google 登录（Gemini Code Assist）',
      bedrock: 'AWS Bedrock', 'azure-openai': 'Azure OpenAI 部署', 'droid-api': 'Factory（Droid）API 密钥',
      'droid-oauth': 'Factory（Droid）登录',
    },
  },
  state: {
    en: {
      active: 'Active', cooling: 'Cooling down', partly_cooling: 'Partly cooling', paused: 'Paused', blocked: 'Blocked',
      unauthorized: 'Unauthorized', deleted: 'Deleted', revoked: 'Revoked', expired: 'Expired', disabled: 'Disabled',
      enabled: 'Enabled',
    },
    zh: {
      active: '正常', cooling: '冷却中', partly_cooling: '部分冷却', paused: '已暂停', blocked: '已封禁',
      unauthorized: '未授权', deleted: '已删除', revoked: '已吊销', expired: '已过期', disabled: '已停用',
      enabled: '已启用',
    },
  },
  tier: {
    en: { free: 'Free', pro: 'Pro', max: 'Max', unknown: 'Unknown', plus: 'Plus', team: 'Team', business: 'Business',
      enterprise: 'Enterprise', edu: 'Edu' },
    zh: { free: '免费', pro: 'Pro', max: 'Max', unknown: '未知', plus: 'Plus', team: 'Team', business: 'Business',
      enterprise: 'Enterprise', edu: 'Edu' },
  },
  role: {
    en: { owner: 'Owner', admin: 'Admin', viewer: 'Viewer' },
    zh: { owner: '所有者', admin: '管理员', viewer: '只读' },
  },
  family: {
    en: { account: 'All models', opus: 'Opus', sonnet: 'Sonnet', haiku: 'Haiku', pro: 'Pro', flash: 'Flash', 'flash-lite': 'Flash-Lite' },
    zh: { account: '全部模型', opus: 'Opus', sonnet: 'Sonnet', haiku: 'Haiku', pro: 'Pro', flash: 'Flash', 'flash-lite': 'Flash-Lite' },
  },
  client: {
    en: { 'claude-code': 'Claude Code', codex: 'Codex CLI', 'gemini-cli': 'Gemini CLI', droid: 'Droid' },
    zh: { 'claude-code': 'Claude Code', codex: 'Codex CLI', 'gemini-cli': 'Gemini CLI', droid: 'Droid' },
  },
  alertKind: {
    en: {
      unauthorized: 'Unauthorized', blocked: 'Blocked', rate_limited: 'Rate limited', recovered: 'Recovered',
      disabled_by_admin: 'Paused by an admin', refresh_failed: 'Token refresh failed', test: 'Test',
    },
    zh: {
      unauthorized: '未授权', blocked: '被封禁', rate_limited: '被限流', recovered: '已恢复',
      disabled_by_admin: '被管理员暂停', refresh_failed: '令牌刷新失败', test: '测试',
    },
  },
  channel: {
    en: {
      webhook: 'Webhook (JSON)', slack: 'Slack', discord: 'Discord', feishu: 'Feishu / Lark', dingtalk: 'DingTalk',
      wecom: 'WeCom', telegram: 'Telegram', bark: 'Bark (iOS)', smtp: 'Email (SMTP)',
    },
    zh: {
      webhook: 'Webhook（JSON）', slack: 'Slack', discord: 'Discord', feishu: '飞书', dingtalk: '钉钉',
      wecom: '企业微信', telegram: 'Telegram', bark: 'Bark（iOS）', smtp: '邮件（SMTP）',
    },
  },
  channelField: {
    en: {
      url: 'Webhook URL', secret: 'Signing secret', botToken: 'Bot token', chatId: 'Chat id', apiBase: 'API address',
      deviceKey: 'Device key', serverUrl: 'Server address', group: 'Group', host: 'SMTP server', port: 'Port',
      security: 'Encryption', username: 'User name', password: 'Password', from: 'From address', to: 'To (comma-separated)',
    },
    zh: {
      url: 'Webhook 地址', secret: '签名密钥', botToken: '机器人令牌', chatId: '会话 ID', apiBase: 'API 地址',
      deviceKey: '设备密钥', serverUrl: '服务器地址', group: '分组', host: 'SMTP 服务器', port: '端口',
      security: '加密方式', username: '用户名', password: '密码', from: '发件地址', to: '收件人（逗号分隔）',
    },
  },
  action: {
    en: {
      created: 'Created', changed: 'Changed', deleted: 'Deleted', revoked: 'Revoked', restored: 'Restored',
      reset: 'Reset health', tested: 'Tested', enabled: 'Enabled', disabled: 'Disabled', 'oauth-started': 'Started a login',
      'role-changed': 'Changed role', 'password-reset': 'Reset password', 'password-changed': 'Changed own password',
      'totp-enrolment-started': 'Started two-factor set-up', 'totp-enabled': 'Turned two-factor on',
      'totp-disabled': 'Turned two-factor off', 'totp-reset': 'Removed two-factor', repriced: 'Re-priced usage',
      rebuilt: 'Rebuilt usage views', 'logged-in': 'Logged in', 'password-accepted': 'Password accepted (code next)',
      'login-failed': 'Failed login', 'logged-out': 'Logged out', denied: 'Refused (role)',
    },
    zh: {
      created: '创建', changed: '修改', deleted: '删除', revoked: '吊销', restored: '恢复',
      reset: '重置健康状态', tested: '测试', enabled: '启用', disabled: '停用', 'oauth-started': '发起登录',
      'role-changed': '修改角色', 'password-reset': '重置密码', 'password-changed': '修改自己的密码',
      'totp-enrolment-started': '开始设置两步验证', 'totp-enabled': '开启两步验证',
      'totp-disabled': '关闭两步验证', 'totp-reset': '移除两步验证', repriced: '重新计价',
      rebuilt: '重建用量视图', 'logged-in': '登录', 'password-accepted': '密码正确（待验证码）',
      'login-failed': '登录失败', 'logged-out': '退出登录', denied: '被拒绝（权限）',
    },
  },
  objectType: {
    en: {
      key: 'API key', account: 'Account', 'webhook-target': 'Alert target', admin: 'Admin', session: 'Sign-in',
      settings: 'Settings', usage: 'Usage', keys: 'API keys', accounts: 'Accounts', webhooks: 'Alert targets',
      admins: 'Admins', api: 'Admin API',
    },
    zh: {
      key: 'API 密钥', account: '账户', 'webhook-target': '告警目标', admin: '管理员', session: '登录',
      settings: '设置', usage: '用量', keys: 'API 密钥', accounts: '账户', webhooks: '告警目标',
      admins: '管理员', api: '管理 API',
    },
  },
  field: {
    en: {
      name: 'name', description: 'description', tags: 'tags', permissions: 'pools', concurrencyLimit: 'requests at once',
      rateLimit: 'rate window', dailyCostLimit: 'daily cost', totalCostLimit: 'total cost', weeklyOpusCostLimit: 'weekly Opus cost',
      weeklyResetDay: 'week start day', weeklyResetHour: 'week start hour', expiry: 'expiry', allowedModels: 'allowed models',
      blockedModels: 'blocked models', allowedClients: 'clients', serviceRates: 'service rates', bindings: 'dedicated accounts',
      apiKey: 'API key', accessToken: 'access token', refreshToken: 'refresh token', idToken: 'ID token', expiresAt: 'token expiry',
      authJson: 'auth.json', credsJson: 'oauth_creds.json', chatgptAccountId: 'ChatGPT account', projectId: 'project',
      priority: 'priority', maxConcurrency: 'requests at once', groups: 'groups', priceMultiplier: 'price multiplier',
      proxy: 'proxy', tier: 'tier', baseUrl: 'base URL', paused: 'paused', status: 'status', platform: 'pool', type: 'type',
      code: 'code', sessionId: 'login', setupToken: 'setup token', username: 'user name', role: 'role', password: 'password',
      disabled: 'disabled', requireTwoFactor: 'two-factor required', channel: 'channel', enabled: 'enabled', kinds: 'alerts',
      config: 'settings', from: 'from', to: 'to', currentPassword: 'current password', newPassword: 'new password', challenge: 'challenge',
    },
    zh: {
      name: '名称', description: '描述', tags: '标签', permissions: '账户池', concurrencyLimit: '并发',
      rateLimit: '速率窗口', dailyCostLimit: '每日费用', totalCostLimit: '总费用', weeklyOpusCostLimit: '每周 Opus 费用',
      weeklyResetDay: '每周开始日', weeklyResetHour: '每周开始时间', expiry: '有效期', allowedModels: '允许的模型',
      blockedModels: '屏蔽的模型', allowedClients: '客户端', serviceRates: '服务倍率', bindings: '专属账户',
      apiKey: 'API 密钥', accessToken: '访问令牌', refreshToken: '刷新令牌', idToken: 'ID 令牌', expiresAt: '令牌过期时间',
      authJson: 'auth.json', credsJson: 'oauth_creds.json', chatgptAccountId: 'ChatGPT 账户', projectId: '项目',
      priority: '优先级', maxConcurrency: '并发', groups: '分组', priceMultiplier: '价格倍率',
      proxy: '代理', tier: '等级', baseUrl: 'Base URL', paused: '暂停', status: '状态', platform: '账户池', type: '类型',
      code: '验证码', sessionId: '登录会话', setupToken: 'setup token', username: '用户名', role: '角色', password: '密码',
      disabled: '停用', requireTwoFactor: '要求两步验证', channel: '渠道', enabled: '启用', kinds: '告警类型',
      config: '设置', from: '开始', to: '结束', currentPassword: '当前密码', newPassword: '新密码', challenge: '登录挑战',
    },
  },
  sessionSource: {
    en: {
      claude_code_header: 'Claude Code session header', claude_metadata_json: 'Claude Code metadata (session)',
      claude_metadata_legacy: 'Claude Code metadata (older form)', codex_header: 'Codex session header',
      codex_prompt_cache_key: 'Codex prompt cache key', gemini_code_assist: 'Gemini Code Assist session',
      prefix_hash: 'Hash of the conversation start', none: 'None (no session)',
    },
    zh: {
      claude_code_header: 'Claude Code 会话头', claude_metadata_json: 'Claude Code 元数据（会话）',
      claude_metadata_legacy: 'Claude Code 元数据（旧格式）', codex_header: 'Codex 会话头',
      codex_prompt_cache_key: 'Codex 提示缓存键', gemini_code_assist: 'Gemini Code Assist 会话',
      prefix_hash: '对话开头的哈希', none: '无（没有会话）',
    },
  },
  dialect: {
    en: { anthropic: 'Anthropic Messages', openai_responses: 'OpenAI Responses', openai_chat: 'OpenAI Chat', gemini: 'Gemini' },
    zh: { anthropic: 'Anthropic Messages', openai_responses: 'OpenAI Responses', openai_chat: 'OpenAI Chat', gemini: 'Gemini' },
  },
  outcome: {
    en: {
      COMPLETED: 'Completed', UPSTREAM_ERROR: 'Upstream error', UPSTREAM_FAILED: 'Upstream failed',
      CLIENT_DISCONNECTED: 'Client left', NO_ACCOUNT: 'No account could take it', REFUSED: 'Refused by the key\'s limits',
    },
    zh: {
      COMPLETED: '完成', UPSTREAM_ERROR: '上游返回错误', UPSTREAM_FAILED: '上游失败',
      CLIENT_DISCONNECTED: '客户端断开', NO_ACCOUNT: '没有可用账户', REFUSED: '被密钥限制拒绝',
    },
  },
  verdict: {
    en: {
      success: 'Success', rate_limited: 'Rate limited', overloaded: 'Overloaded', server_error: 'Server error',
      unreachable: 'Unreachable', timeout: 'Timed out', unauthorized: 'Unauthorized', blocked: 'Blocked',
      client_error: 'Client error', 'no first byte in time': 'No first byte in time', 'answered by the relay': 'Answered by the relay',
      'credentials unreadable': 'Credentials unreadable',
    },
    zh: {
      success: '成功', rate_limited: '被限流', overloaded: '过载', server_error: '服务器错误',
      unreachable: '无法连接', timeout: '超时', unauthorized: '未授权', blocked: '被封禁',
      client_error: '请求错误', 'no first byte in time': '首字节超时', 'answered by the relay': '由中转直接应答',
      'credentials unreadable': '凭据无法读取',
    },
  },
};

/** The label of {@code value} in the named vocabulary, in the page's language (the value itself if none). */
export function label(kind, value) {
  if (value === undefined || value === null || value === '') return '-';
  const v = String(value);
  return L[kind]?.[lang()]?.[v] ?? L[kind]?.en?.[v] ?? L[kind]?.[lang()]?.[v.toLowerCase()] ?? v;
}

/** The [value, label] pairs of a vocabulary, for a select. */
export function options(kind, values) {
  return (values || Object.keys(L[kind].en)).map(v => [v, label(kind, v)]);
}

/** A coloured pill with the human label of a state (the colour class is the state itself). */
export function statePill(state) {
  const s = String(state ?? '-');
  return h('span', { class: 'pill ' + s.toLowerCase(), 'data-state': s }, label('state', s));
}
