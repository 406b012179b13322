// Drives a running claude-relay-service (CRS) through its own admin API:
// groups, accounts of every type it accepts offline, API keys with varied
// limits, a few relayed requests (to the mock upstream) and a webhook config.
// Writes the scenario (what was created, plain keys, fake credentials) as JSON
// to the path given as the first argument.
// Environment: CRS_URL, CRS_ADMIN_USER, CRS_ADMIN_PASSWORD, MOCK_URL.
'use strict'
const fs = require('fs')

const CRS = process.env.CRS_URL || 'http://127.0.0.1:3390'
const MOCK = process.env.MOCK_URL || 'http://127.0.0.1:3391'
const out = process.argv[2] || 'crs-scenario.json'

const scenario = { keys: [], accounts: [], groups: [], requests: [], webhook: null, refused: [], notes: [] }
let token = null

// What this run showed about CRS at the pinned commit (checked by check-secrets.js
// and by reading the export); copied into the scenario for the importer's tests.
const OBSERVED = [
  'apikey:hash_map field = hex(sha256(plainKey + ENCRYPTION_KEY)) -> key id; the same hex is the apiKey field of apikey:{id}.',
  'Soft delete (DELETE /admin/api-keys/:id) removes the key from apikey:hash_map and apikey:set:active, sets isDeleted=true, isActive=false, deletedAt/deletedBy/deletedByType, adds it to apikey:set:deleted; the record keeps its hash.',
  'apikey:{id} hashes carry a 365-day TTL; account records have none.',
  'Secrets: AES-256-CBC, key = scrypt(ENCRYPTION_KEY, salt, 32), stored "hex(iv):hex(ciphertext)". Salts: claude:account "salt", claude_console_account "claude-console-salt", ccr_account "ccr-account-salt", gemini_account "gemini-account-salt", gemini_api_account "gemini-api-salt", openai:account "openai-account-salt", openai_responses_account "openai-responses-salt", azure_openai:account "azure-openai-account-default-salt", droid:account "droid-account-salt".',
  'Bedrock differs: bedrock_account:{id} is a STRING holding JSON; awsCredentials / bearerToken are objects {encrypted, iv} (hex) with key = sha256(ENCRYPTION_KEY) (no scrypt, no salt); the plaintext is JSON ({accessKeyId, secretAccessKey, sessionToken} or {token}).',
  'Droid API keys: droid:account.apiKeys is a JSON array of {id, hash: sha256(plain), encryptedKey: "iv:ct", status, ...}.',
  'Claude OAuth: accessToken, refreshToken, email, password and the whole claudeAiOauth JSON are encrypted; expiresAt is ms since epoch in clear; scopes space-separated; subscriptionInfo and proxy are clear JSON strings.',
  'Gemini OAuth expiresAt is an ISO string; OpenAI OAuth expiresAt is an ISO string (now + expires_in); Claude OAuth expiresAt is epoch ms.',
  'Console account supportedModels [] is stored as "{}" (empty mapping); a mapping object is stored as JSON.',
  'Claude Console apiKey starting with sk-ant- is sent upstream as x-api-key, any other as Authorization: Bearer (see upstreamSeen).',
  'Keys not in activation mode are stored isActivated=true, activationDays=0; an activation key gets expiresAt = first use + period.',
  'The model blacklist answers 403 {"error":{"type":"forbidden",...}} before any upstream call; no usage recorded.',
  'Weekly "opus" cost counters (usage:opus:weekly:{keyId}:{weekStart}) count every Claude-family model, haiku included.',
  'Dates in usage keys are in UTC+TIMEZONE_OFFSET (8): hourly keys end in :HH of that zone.',
  'The admin API cannot set azureOpenaiAccountId on a key (POST/PUT ignore it).',
  'Webhook config is one JSON string at webhook_config:default; platforms saved through /admin/webhook/config carry no id.'
]

async function call(method, path, body, headers = {}) {
  const res = await fetch(CRS + path, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  let json = null
  try { json = JSON.parse(text) } catch (e) { json = null }
  return { status: res.status, json, text }
}

async function admin(method, path, body) {
  const r = await call(method, path, body)
  if (r.status >= 300 || (r.json && r.json.success === false)) {
    throw new Error(`${method} ${path} -> ${r.status} ${r.text.slice(0, 400)}`)
  }
  return r.json
}

// ---------- groups ----------
async function group(name, platform, description) {
  const r = await admin('POST', '/admin/account-groups', { name, platform, description })
  const g = r.data
  scenario.groups.push({ name, platform, id: g.id, description })
  return g.id
}

// ---------- accounts ----------
async function account(crsType, path, body, credentials, idOf = (r) => r.data.id) {
  try {
    const r = await admin('POST', path, body)
    const id = idOf(r)
    const settings = { ...body }
    for (const k of Object.keys(credentials)) delete settings[k]
    for (const k of ['claudeAiOauth', 'geminiOauth', 'openaiOauth', 'awsCredentials', 'apiKeys']) delete settings[k]
    scenario.accounts.push({ name: body.name, crsType, id, adminPath: path, credentials, settings })
    return id
  } catch (e) {
    scenario.refused.push({ what: `account ${crsType} ${body.name}`, error: e.message })
    return null
  }
}

async function main() {
  const login = await call('POST', '/web/auth/login', {
    username: process.env.CRS_ADMIN_USER,
    password: process.env.CRS_ADMIN_PASSWORD
  })
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`)
  token = login.json.token

  const claudeGroup = await group('claude-team', 'claude', 'Claude accounts shared by team A')
  const openaiGroup = await group('openai-team', 'openai', 'OpenAI accounts for team A')
  const geminiGroup = await group('gemini-team', 'gemini', 'Gemini accounts')

  // Claude OAuth (claude-official). Scopes without user:profile so CRS does not
  // try to fetch the profile from Anthropic at creation.
  const oauthDedicatedCreds = {
    accessToken: 'sk-ant-oat01-FAKE-dedicated-access-0001',
    refreshToken: 'sk-ant-ort01-FAKE-dedicated-refresh-0001',
    expiresAt: 1893456000000,
    scopes: ['user:inference', 'user:sessions:claude_code'],
    email: 'dedicated-owner@example.test',
    password: 'fake-password-1'
  }
  const claudeDedicated = await account('claude-oauth', '/admin/claude-accounts', {
    name: 'claude-max-dedicated',
    description: 'Max plan account dedicated to bob',
    email: oauthDedicatedCreds.email,
    password: oauthDedicatedCreds.password,
    claudeAiOauth: {
      accessToken: oauthDedicatedCreds.accessToken,
      refreshToken: oauthDedicatedCreds.refreshToken,
      expiresAt: oauthDedicatedCreds.expiresAt,
      scopes: oauthDedicatedCreds.scopes,
      subscriptionInfo: {
        accountType: 'claude_max', hasClaudeMax: true, hasClaudePro: false,
        rateLimitTier: 'default_claude_max_20x', organizationType: 'claude_max'
      }
    },
    proxy: { type: 'socks5', host: '10.0.0.9', port: 1080, username: 'proxyuser', password: 'proxypass' },
    accountType: 'dedicated',
    priority: 10,
    autoStopOnWarning: true,
    maxConcurrency: 1,
    expiresAt: '2027-12-31T00:00:00.000Z'
  }, oauthDedicatedCreds)

  const oauthGroupCreds = {
    accessToken: 'sk-ant-oat01-FAKE-group-access-0002',
    refreshToken: 'sk-ant-ort01-FAKE-group-refresh-0002',
    expiresAt: 1893456000000,
    scopes: ['user:inference', 'user:sessions:claude_code']
  }
  const claudeGrouped = await account('claude-oauth', '/admin/claude-accounts', {
    name: 'claude-pro-grouped',
    description: 'Pro account in the claude-team group',
    claudeAiOauth: {
      accessToken: oauthGroupCreds.accessToken,
      refreshToken: oauthGroupCreds.refreshToken,
      expiresAt: oauthGroupCreds.expiresAt,
      scopes: oauthGroupCreds.scopes,
      subscriptionInfo: { accountType: 'claude_pro', hasClaudeMax: false, hasClaudePro: true }
    },
    accountType: 'group',
    groupId: claudeGroup,
    priority: 20
  }, oauthGroupCreds)

  // A setup-token style account (no refresh token), shared but then made
  // unschedulable so the relayed requests below never pick it.
  const setupCreds = {
    accessToken: 'sk-ant-oat01-FAKE-setup-token-0003',
    refreshToken: '',
    expiresAt: 1924992000000,
    scopes: ['user:inference']
  }
  const claudeSetup = await account('claude-oauth', '/admin/claude-accounts', {
    name: 'claude-setup-token-shared',
    claudeAiOauth: {
      accessToken: setupCreds.accessToken,
      refreshToken: setupCreds.refreshToken,
      expiresAt: setupCreds.expiresAt,
      scopes: setupCreds.scopes
    },
    accountType: 'shared',
    priority: 60
  }, setupCreds)
  if (claudeSetup) {
    await admin('PUT', `/admin/claude-accounts/${claudeSetup}/toggle-schedulable`, {})
    scenario.accounts.find((a) => a.id === claudeSetup).settings.schedulable = false
  }

  const consoleCreds = { apiKey: 'sk-ant-api03-FAKE-console-key-0004' }
  const claudeConsole = await account('claude-console', '/admin/claude-console-accounts', {
    name: 'console-mock-shared',
    description: 'Claude Console account pointing at the mock upstream',
    apiUrl: MOCK,
    apiKey: consoleCreds.apiKey,
    priority: 1,
    supportedModels: [],
    userAgent: 'claude-cli/2.0.0 (external, cli)',
    rateLimitDuration: 30,
    accountType: 'shared',
    dailyQuota: 50,
    quotaResetTime: '03:00',
    maxConcurrentTasks: 4
  }, consoleCreds)

  const console2Creds = { apiKey: 'cons-FAKE-bearer-key-0005' }
  await account('claude-console', '/admin/claude-console-accounts', {
    name: 'console-mapped-grouped',
    apiUrl: `${MOCK}/v1/messages`,
    apiKey: console2Creds.apiKey,
    priority: 30,
    supportedModels: { 'claude-sonnet-4-5': 'claude-sonnet-4-5-20250929' },
    accountType: 'group',
    groupId: claudeGroup
  }, console2Creds)

  const ccrCreds = { apiKey: 'ccr-FAKE-key-0006' }
  await account('ccr', '/admin/ccr-accounts', {
    name: 'ccr-mock',
    apiUrl: MOCK,
    apiKey: ccrCreds.apiKey,
    priority: 40,
    supportedModels: [],
    accountType: 'shared'
  }, ccrCreds)

  const bedrockCreds = {
    accessKeyId: 'AKIAFAKEEXPORT000007',
    secretAccessKey: 'fakeSecretAccessKey/Export+0007xxxxxxxxxxx',
    sessionToken: 'FAKE-session-token-0007'
  }
  const bedrock = await account('bedrock', '/admin/bedrock-accounts', {
    name: 'bedrock-us-west-2',
    description: 'Bedrock with access keys',
    region: 'us-west-2',
    awsCredentials: bedrockCreds,
    defaultModel: 'us.anthropic.claude-sonnet-4-20250514-v1:0',
    priority: 45,
    accountType: 'dedicated',
    credentialType: 'access_key'
  }, bedrockCreds)

  const bedrockBearerCreds = { bearerToken: 'ABSK-FAKE-bedrock-api-key-0008' }
  await account('bedrock', '/admin/bedrock-accounts', {
    name: 'bedrock-bearer',
    region: 'eu-central-1',
    bearerToken: bedrockBearerCreds.bearerToken,
    priority: 70,
    accountType: 'shared',
    credentialType: 'bearer_token'
  }, bedrockBearerCreds)

  const geminiOauthCreds = {
    access_token: 'ya29.FAKE-gemini-access-0009',
    refresh_token: '1//FAKE-gemini-refresh-0009',
    expiry_date: 1893456000000,
    scope: 'https://www.googleapis.com/auth/cloud-platform',
    token_type: 'Bearer'
  }
  const geminiOauth = await account('gemini-oauth', '/admin/gemini-accounts', {
    name: 'gemini-cli-oauth',
    description: 'Gemini CLI OAuth account',
    geminiOauth: geminiOauthCreds,
    projectId: 'fake-gcp-project-0009',
    oauthProvider: 'gemini-cli',
    accountType: 'group',
    groupId: geminiGroup,
    priority: 25
  }, geminiOauthCreds)

  const geminiApiCreds = { apiKey: 'AIzaFAKE-gemini-api-key-0010' }
  const geminiApi = await account('gemini-api', '/admin/gemini-api-accounts', {
    name: 'gemini-api-studio',
    apiKey: geminiApiCreds.apiKey,
    baseUrl: MOCK,
    priority: 35,
    accountType: 'shared',
    supportedModels: ['gemini-2.5-pro', 'gemini-2.5-flash']
  }, geminiApiCreds, (r) => r.data.id)

  const openaiOauthCreds = {
    idToken: 'eyJhbGciOiJub25lIn0.eyJlbWFpbCI6ImNvZGV4QGV4YW1wbGUudGVzdCJ9.FAKE',
    accessToken: 'eyFAKE-openai-access-0011',
    refreshToken: 'rt_FAKE-openai-refresh-0011',
    expires_in: 864000
  }
  await account('openai-oauth', '/admin/openai-accounts', {
    name: 'codex-plus',
    description: 'ChatGPT Plus (Codex) OAuth account',
    openaiOauth: openaiOauthCreds,
    accountInfo: {
      accountId: 'fake-chatgpt-account-0011', chatgptUserId: 'user-FAKE0011',
      planType: 'plus', email: 'codex@example.test', emailVerified: true
    },
    accountType: 'group',
    groupId: openaiGroup,
    priority: 15,
    rateLimitDuration: 90
  }, openaiOauthCreds)

  const responsesCreds = { apiKey: 'sk-proj-FAKE-responses-key-0012' }
  const responsesAcc = await account('openai-responses', '/admin/openai-responses-accounts', {
    name: 'responses-mock',
    description: 'OpenAI Responses API-key account on the mock upstream',
    baseApi: MOCK,
    apiKey: responsesCreds.apiKey,
    priority: 5,
    accountType: 'shared',
    dailyQuota: 20,
    quotaResetTime: '00:00',
    rateLimitDuration: 45
  }, responsesCreds, (r) => r.data.id)

  const azureCreds = { apiKey: '0123456789abcdef0123456789abcdef' }
  await account('azure-openai', '/admin/azure-openai-accounts', {
    name: 'azure-gpt4o',
    description: 'Azure OpenAI deployment',
    azureEndpoint: 'https://crs-export-fake.openai.azure.com',
    deploymentName: 'gpt-4o-deploy',
    apiVersion: '2024-10-21',
    apiKey: azureCreds.apiKey,
    supportedModels: ['gpt-4o', 'gpt-4o-mini'],
    accountType: 'shared',
    priority: 55
  }, azureCreds, (r) => r.data.id)

  const droidCreds = { apiKeys: ['fk-FAKE-droid-key-0014a', 'fk-FAKE-droid-key-0014b'] }
  const droid = await account('droid', '/admin/droid-accounts', {
    name: 'droid-factory',
    description: 'Factory.ai Droid with two API keys',
    apiKeys: droidCreds.apiKeys,
    endpointType: 'anthropic',
    accountType: 'shared',
    priority: 65
  }, droidCreds)

  // ---------- API keys ----------
  async function key(settings, extra = {}) {
    const r = await call('POST', '/admin/api-keys', settings)
    if (r.status !== 200 || !r.json || !r.json.success) {
      scenario.refused.push({ what: `key ${settings.name}`, error: `${r.status} ${r.text.slice(0, 300)}` })
      return null
    }
    const entry = { name: settings.name, plainKey: r.json.data.apiKey, id: r.json.data.id, settings, deleted: false, ...extra }
    scenario.keys.push(entry)
    return entry
  }

  const alice = await key({
    name: 'alice-claude',
    description: 'Claude Code for alice, pinned to the console account',
    tags: ['team-a', 'cli'],
    permissions: ['claude'],
    claudeConsoleAccountId: claudeConsole,
    concurrencyLimit: 3,
    rateLimitWindow: 60,
    rateLimitRequests: 100,
    rateLimitCost: 5,
    dailyCostLimit: 10,
    totalCostLimit: 100,
    weeklyOpusCostLimit: 20,
    weeklyResetDay: 1,
    weeklyResetHour: 0
  })

  const bob = await key({
    name: 'bob-everything',
    description: 'All services, activation on first use, opus blacklisted',
    tags: ['team-b'],
    permissions: [],
    claudeAccountId: claudeDedicated,
    openaiAccountId: responsesAcc ? `responses:${responsesAcc}` : undefined,
    geminiAccountId: geminiApi ? `api:${geminiApi}` : undefined,
    bedrockAccountId: bedrock,
    expirationMode: 'activation',
    activationDays: 30,
    activationUnit: 'days',
    enableModelRestriction: true,
    restrictedModels: ['claude-opus-4-1-20250805', 'gpt-5-pro'],
    serviceRates: { codex: 0.5 }
  })

  const carol = await key({
    name: 'carol-groups',
    description: 'Bound to groups, only Claude Code and Codex CLI',
    tags: ['team-a'],
    permissions: ['claude', 'openai'],
    claudeAccountId: `group:${claudeGroup}`,
    openaiAccountId: `group:${openaiGroup}`,
    enableClientRestriction: true,
    allowedClients: ['claude_code', 'codex_cli'],
    expiresAt: '2027-06-30T00:00:00.000Z',
    serviceRates: { claude: 1.5 },
    weeklyOpusCostLimit: 50,
    weeklyResetDay: 3,
    weeklyResetHour: 9,
    concurrencyLimit: 1
  })

  const dave = await key({
    name: 'dave-gemini',
    description: 'Gemini only through the gemini group; Droid dedicated',
    permissions: ['gemini', 'droid'],
    geminiAccountId: `group:${geminiGroup}`,
    droidAccountId: droid,
    rateLimitWindow: 10,
    rateLimitRequests: 20,
    tokenLimit: 500000,
    dailyCostLimit: 2.5
  })

  const erin = await key({
    name: 'erin-openai-disabled',
    description: 'OpenAI only, later disabled by the admin',
    permissions: ['openai'],
    totalCostLimit: 1
  })

  const frank = await key({
    name: 'frank-deleted',
    description: 'Used once, then soft-deleted',
    tags: ['former'],
    permissions: 'all',
    claudeConsoleAccountId: claudeConsole,
    dailyCostLimit: 1
  })

  // ---------- relayed requests ----------
  async function messages(k, model, stream, usage) {
    const text = `usage in=${usage.input} out=${usage.output} cc=${usage.cacheCreate} cr=${usage.cacheRead}`
    const r = await fetch(`${CRS}/api/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json', 'x-api-key': k.plainKey,
        'anthropic-version': '2023-06-01', 'user-agent': 'crs-export-driver/1.0'
      },
      body: JSON.stringify({ model, max_tokens: 64, stream, messages: [{ role: 'user', content: text }] })
    })
    const body = await r.text()
    scenario.requests.push({ key: k.name, path: '/api/v1/messages', model, stream, usage: r.status === 200 ? usage : null, status: r.status })
    if (r.status !== 200) scenario.notes.push(`request ${k.name} ${model} -> ${r.status} ${body.slice(0, 300)}`)
  }

  async function responses(k, model, stream, usage) {
    const text = `usage in=${usage.input} out=${usage.output} cc=0 cr=${usage.cacheRead}`
    const r = await fetch(`${CRS}/openai/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${k.plainKey}`, 'user-agent': 'crs-export-driver/1.0' },
      body: JSON.stringify({ model, stream, input: [{ role: 'user', content: [{ type: 'input_text', text }] }] })
    })
    const body = await r.text()
    scenario.requests.push({ key: k.name, path: '/openai/v1/responses', model, stream, usage: r.status === 200 ? usage : null, status: r.status })
    if (r.status !== 200) scenario.notes.push(`request ${k.name} ${model} -> ${r.status} ${body.slice(0, 300)}`)
  }

  if (alice) {
    await messages(alice, 'claude-sonnet-4-5-20250929', true, { input: 1200, output: 350, cacheCreate: 2048, cacheRead: 8192 })
    await messages(alice, 'claude-sonnet-4-5-20250929', false, { input: 800, output: 120, cacheCreate: 0, cacheRead: 4096 })
    await messages(alice, 'claude-opus-4-1-20250805', true, { input: 500, output: 900, cacheCreate: 1024, cacheRead: 0 })
  }
  if (frank) {
    await messages(frank, 'claude-haiku-4-5-20251001', false, { input: 300, output: 40, cacheCreate: 0, cacheRead: 0 })
  }
  if (bob) {
    await responses(bob, 'gpt-5', true, { input: 2000, output: 600, cacheCreate: 0, cacheRead: 1000 })
    // the blacklist answers 403 before any upstream call
    await messages(bob, 'claude-opus-4-1-20250805', false, { input: 1, output: 1, cacheCreate: 0, cacheRead: 0 })
  }
  // let CRS finish its asynchronous usage writes
  await new Promise((r) => setTimeout(r, 1500))

  // ---------- admin changes after use ----------
  if (erin) {
    await admin('PUT', `/admin/api-keys/${erin.id}`, { isActive: false })
    erin.settings.isActive = false
  }
  if (frank) {
    await admin('DELETE', `/admin/api-keys/${frank.id}`)
    frank.deleted = true
  }

  // ---------- webhook ----------
  const webhook = {
    enabled: true,
    platforms: [
      { type: 'custom', name: 'ops-hook', url: `${MOCK}/webhook/ops`, enabled: true },
      { type: 'dingtalk', name: 'dingtalk-team', url: 'https://oapi.dingtalk.com/robot/send?access_token=FAKE0015', enableSign: true, secret: 'SECFAKE0015', enabled: false },
      { type: 'telegram', name: 'tg-alerts', botToken: '123456:FAKE-telegram-0016', chatId: '-1001234567890', enabled: false }
    ],
    notificationTypes: { accountAnomaly: true, quotaWarning: true, systemError: true, securityAlert: true, rateLimitRecovery: false, test: true },
    retrySettings: { maxRetries: 2, retryDelay: 500, timeout: 5000 }
  }
  try {
    await admin('POST', '/admin/webhook/config', webhook)
    scenario.webhook = webhook
  } catch (e) {
    scenario.refused.push({ what: 'webhook config', error: e.message })
  }

  // global service rates
  try {
    const rates = { claude: 1.0, codex: 1.0, gemini: 1.0, droid: 1.2, bedrock: 1.0, azure: 1.0, ccr: 1.0 }
    await admin('PUT', '/admin/service-rates', { rates, baseService: 'claude' })
    scenario.serviceRates = rates
  } catch (e) {
    scenario.refused.push({ what: 'service rates', error: e.message })
  }

  scenario.notes.push(...OBSERVED)
  fs.writeFileSync(out, JSON.stringify(scenario, null, 2) + '\n')
  console.log(`scenario: ${scenario.keys.length} keys, ${scenario.accounts.length} accounts, ${scenario.requests.length} requests, refused ${scenario.refused.length}`)
}

main().catch((e) => {
  console.error(e)
  fs.writeFileSync(out, JSON.stringify(scenario, null, 2) + '\n')
  process.exit(1)
})
