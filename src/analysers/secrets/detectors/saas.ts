import { anyCase, type DetectorSpec } from '../detector.ts';
import { ASSIGN, UUID } from './grammar.ts';

// Provider credentials of SaaS services: chat and webhooks, payments and commerce, messaging, monitoring, AI
// platforms and other business APIs. Patterns follow each provider's documented token format; where a token has
// no fixed prefix, the provider's name and the key's name must come before the value.
// Every secret in the examples was generated at random for these tests in the provider's format; none is real.

/** Start and end of a token whose alphabet includes `_` and `-`. */
const B = '(?<![A-Za-z0-9_-])';
const E = '(?![A-Za-z0-9_-])';

/**
 * Between a provider's name and the key's name: a few name characters (`DATADOG_API_KEY`, `x-honeycomb-team`),
 * or one level of nesting (`datadog:\n  apiKey:`, `pagerduty_configs:\n  - routing_key:`, `"twilio": {"authToken"`).
 */
const GAP = String.raw`(?:[\w.-]{0,24}?|[\w.-]{0,24}?["']?[\t ]{0,2}:[\t ]{0,4}(?:\{[\t ]{0,4}["']?|\r?\n[\t -]{1,16}))`;
/**
 * A value without a distinctive prefix, recognised by the provider's name and the key's name before it.
 * `provider` and `key` are matched case-insensitively; `secret` is the value's exact alphabet and length.
 */
function keyed(provider: string, key: string, secret: string, end: string = E): string {
  return String.raw`(?<![A-Za-z0-9])${anyCase(provider)}${GAP}${anyCase(key)}[\w.-]{0,12}?${ASSIGN}(?<secret>${secret})${end}`;
}

export const SAAS_DETECTORS: readonly DetectorSpec[] = [
  // Slack: bot, user, app-level and configuration tokens share the `xox?-` family; webhooks carry their secret in the URL.
  {
    id: 'slack-bot-token',
    title: 'Slack bot token',
    description: 'A Slack bot user OAuth token (xoxb-): it acts as the app\'s bot in its workspace with every scope the app was granted.',
    keywords: ['xoxb-'],
    pattern: String.raw`${B}xoxb-[0-9]{8,14}(?:-[0-9]{8,14})?-[A-Za-z0-9]{24,34}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['SLACK_BOT_TOKEN=xoxb-514993073097-9381858983694-GZyDck9dkooOihmJDYEUs23B', '  slack-token: "xoxb-00345798713-NQfcjFrTBMgfVOyNyWbpciSO"'],
      negative: ['SLACK_BOT_TOKEN=xoxb-your-bot-token', 'token: "${SLACK_BOT_TOKEN}"', 'xoxb-123-456-abc'],
    },
  },
  {
    id: 'slack-user-token',
    title: 'Slack user token',
    description: 'A Slack user OAuth token (xoxp-): it acts as the user who installed the app, reading and posting wherever that user can.',
    keywords: ['xoxp-'],
    pattern: String.raw`${B}xoxp-[0-9]{8,14}-[0-9]{8,14}-[0-9]{8,14}-[A-Za-z0-9]{28,34}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['SLACK_USER_TOKEN=xoxp-739982857849-720621106709-3813071335075-a798ccf2e64e29305863a9cf0314193d'],
      negative: ['SLACK_USER_TOKEN=xoxp-xxxxxxxxxxxx-xxxxxxxxxxxx', 'xoxp-12345-67890-1928471-abcdefg'],
    },
  },
  {
    id: 'slack-app-token',
    title: 'Slack app-level token',
    description: 'A Slack app-level token (xapp-), used for Socket Mode and app-wide APIs across every workspace the app is installed in.',
    keywords: ['xapp-'],
    pattern: String.raw`${B}xapp-[0-9]-A[A-Z0-9]{8,12}-[0-9]{10,16}-[a-f0-9]{64}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['SLACK_APP_TOKEN=xapp-1-AUVTHVWN6Q0-9498406601537-83d1eaab5826e4e5555f21f5823088517786c03cfa91c27a023b9e5892903cf1'],
      negative: ['SLACK_APP_TOKEN=xapp-1-A0123-456-abcdef', 'appToken: "${SLACK_APP_TOKEN}"'],
    },
  },
  {
    id: 'slack-config-token',
    title: 'Slack app configuration token',
    description: 'A Slack app configuration access token (xoxe.xoxp- or xoxe.xoxb-): it creates and reconfigures apps through the App Manifest API.',
    keywords: ['xoxe.xox'],
    pattern: String.raw`${B}xoxe\.xox[bp]-[0-9]-[A-Za-z0-9]{100,300}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['SLACK_CONFIG_TOKEN=xoxe.xoxp-1-byUP3ztAMxr78mFO1GQTJJ8dcdfldhbOrgJBV0ARVcanyQpF7N39untm6SanMhButkUxL2HzkMovxMjwDUmdra0HQjmjEvvOZQV5lvgZfvnJ9xldcsBXUKtS3k5xFha1hWPiSoPh0jof2BQ8OgqlLFpkwq2oCt2KLmTZUA'],
      negative: ['"token": "xoxe.xoxp-..."', 'SLACK_CONFIG_TOKEN=xoxe.xoxp-1-abc'],
    },
  },
  {
    id: 'slack-config-refresh-token',
    title: 'Slack configuration refresh token',
    description: 'A Slack configuration refresh token (xoxe-): it mints new app configuration tokens through tooling.tokens.rotate.',
    keywords: ['xoxe-'],
    pattern: String.raw`${B}xoxe-[0-9]-[A-Za-z0-9]{100,300}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['SLACK_CONFIG_REFRESH_TOKEN=xoxe-1-dp2HxDhkbAIlATxrcsyVY3oPTo9ucav2BkuVGCuhOa4vWbI1FlKNu2VREJCjrVG3fyt2Pqv7j8DEDbYTiavcJYNmAIEhO3IoxFRYE0yZADaNClvbX3OLWDNqjyUZzpZfCk3vzLSXJYe8E8svtm'],
      negative: ['"refresh_token": "xoxe-1-abcdefg"', 'refresh_token: xoxe-...'],
    },
  },
  {
    id: 'slack-legacy-workspace-token',
    title: 'Slack legacy workspace app token',
    description: 'An access (xoxa-) or refresh (xoxr-) token of a retired Slack workspace app; such tokens may still work in old installations.',
    keywords: ['xoxa-', 'xoxr-'],
    pattern: String.raw`${B}xox[ar]-(?:[0-9]-)?[A-Za-z0-9-]{40,250}[A-Za-z0-9]${E}`,
    entropy: 3.5,
    checks: ['not-example'],
    examples: {
      positive: ['SLACK_WORKSPACE_TOKEN=xoxa-2-177687230602-715290443594-3032304519756-2d1aab9ad65521019083862da494dc1118f88ea9e6f64c53a9a8497feda5f954', 'refresh: xoxr-YRbbDnTqmrPeQCd2BLY2yKXlYZ2ZNFqxhFfY1ekuEIvP44aEopIcmp9Xvd2XSlfJ'],
      negative: ['SLACK_WORKSPACE_TOKEN=xoxa-2-short', 'xoxr-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
    },
  },
  {
    id: 'slack-webhook-url',
    title: 'Slack incoming webhook URL',
    description: 'A Slack incoming webhook: anyone with the URL can post messages, links and files into its channel.',
    severity: 'medium',
    keywords: ['hooks.slack.com/services', 'hooks.slack-gov.com/services'],
    pattern: String.raw`https://hooks\.slack(?:-gov)?\.com/services/T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/[A-Za-z0-9]{24}(?![A-Za-z0-9])`,
    checks: ['not-example'],
    examples: {
      positive: [
        "    slack_api_url: 'https://hooks.slack.com/services/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'",
        'SLACK_WEBHOOK_URL=https://hooks.slack.com/services/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',
      ],
      negative: [
        'SLACK_WEBHOOK_URL=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
        'slack_api_url: https://hooks.slack.com/services/<your-webhook-path>',
      ],
    },
  },
  {
    id: 'slack-workflow-webhook-url',
    title: 'Slack workflow webhook URL',
    description: 'A webhook that starts a Slack workflow (Workflow Builder or a webhook trigger): anyone with the URL can run the workflow with chosen inputs.',
    severity: 'medium',
    keywords: ['hooks.slack.com/workflows', 'hooks.slack.com/triggers'],
    pattern: String.raw`https://hooks\.slack\.com/(?:workflows/T[A-Z0-9]{8,12}/A[A-Z0-9]{8,12}/[0-9]{10,20}|triggers/T[A-Z0-9]{8,12}/[0-9]{10,20})/[A-Za-z0-9]{32}(?![A-Za-z0-9])`,
    checks: ['not-example'],
    examples: {
      positive: [
        'WORKFLOW_URL=https://hooks.slack.com/workflows/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',
        'url: https://hooks.slack.com/triggers/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',
      ],
      negative: ['url: https://hooks.slack.com/triggers/T0123ABCD/<trigger-id>/<secret>', 'https://hooks.slack.com/workflows/T0123/A0123/1/abc'],
    },
  },

  // Discord: bot tokens are three base64url parts (user id, timestamp, HMAC); webhook URLs embed their token.
  {
    id: 'discord-bot-token',
    title: 'Discord bot token',
    description: 'A Discord bot token: full control of the bot account in every server it has joined.',
    keywords: ['discord'],
    pattern: keyed('discord', 'token|secret', String.raw`[MNO][A-Za-z0-9_-]{23,27}\.[A-Za-z0-9_-]{6}\.[A-Za-z0-9_-]{25,45}`),
    entropy: 4,
    checks: ['not-example'],
    examples: {
      positive: ['DISCORD_BOT_TOKEN=M4yYzpLkhOdbeSNCQLpZHQoCEg.9lV-jt.EIpEQ6YuIHBO6tPa8r-JD7F07vpcuSiu97eXFh', 'discord:\n  token: "O64IjIjLZj5GxuZNYGATtMbTuR.9gsUzT.X9PEentr_vePCq96RL86grymvmP"'],
      negative: ['DISCORD_BOT_TOKEN=${DISCORD_TOKEN}', 'DISCORD_TOKEN=MTIz.abc.def', 'discord client id: 1234567890'],
    },
  },
  {
    id: 'discord-webhook-url',
    title: 'Discord webhook URL',
    description: 'A Discord channel webhook: anyone with the URL can post (and edit or delete the webhook\'s own) messages in the channel.',
    severity: 'medium',
    keywords: ['discord.com/api', 'discordapp.com/api'],
    pattern: String.raw`https://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/api(?:/v[0-9]{1,2})?/webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,72}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['DISCORD_WEBHOOK=https://discord.com/api/webhooks/8496351747555120436/HGOSUHYXi2wkCkAqJGZQLHZqhDJvTuxgeNVRDGayUJjIASLAd6D_2bYIHTcvMhWSKeDp', "webhook_url: 'https://discordapp.com/api/webhooks/024814667131215209/wijETwKj8omF3JWJ9IXzeaK0J_XAQu_JPFrdQ4k0q_ZN-09kevoBNZSZa44ptgnrt9Sj'"],
      negative: ['https://discord.com/api/webhooks/{webhook.id}/{webhook.token}', 'https://discord.com/api/webhooks/123456789012345678/short'],
    },
  },

  // Telegram: bot id, a colon and a 35-character key starting with AA.
  {
    id: 'telegram-bot-token',
    title: 'Telegram bot token',
    description: 'A Telegram Bot API token from BotFather: full control of the bot, including every message users send it.',
    keywords: [':aa'],
    pattern: String.raw`(?<![A-Za-z0-9_:-])[0-9]{8,10}:AA[A-Za-z0-9_-]{33}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['TELEGRAM_BOT_TOKEN=5402794841:AAcSPIgEDYLSMnKszVTUaFEAKe_7ki48Rc9', '  bot_token: "386128177:AAs-708cbnSwy4cCeJortvtne5LmUvQXwKa"'],
      negative: ['TELEGRAM_BOT_TOKEN=123456789:AAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'time: 12345678:AAbc', 'TELEGRAM_BOT_TOKEN=<bot-token>'],
    },
  },

  // Microsoft Teams: Office 365 connector webhooks and the Power Automate workflows that replace them.
  {
    id: 'microsoft-teams-webhook-url',
    title: 'Microsoft Teams incoming webhook URL',
    description: 'A Microsoft Teams (Office 365 connector) incoming webhook: anyone with the URL can post cards into the channel.',
    severity: 'medium',
    keywords: ['webhook.office.com', 'outlook.office.com/webhook', 'outlook.office365.com/webhook'],
    pattern: String.raw`https://(?:[a-z0-9-]{1,63}\.webhook\.office\.com/webhookb2|outlook\.office(?:365)?\.com/webhook)/[0-9a-f-]{36}@[0-9a-f-]{36}/IncomingWebhook/[0-9a-f]{32}/[0-9a-f-]{36}(?:/[A-Za-z0-9_-]{20,80})?${E}`,
    checks: ['not-example'],
    examples: {
      positive: [
        'TEAMS_WEBHOOK_URL=https://contoso.webhook.office.com/webhookb2/82ca2fd3-1b04-431d-8692-dda8f63bf8ca@d3eb3e04-c50d-43ed-b7a5-be5154bc73ae/IncomingWebhook/1816aa02ac70773b6b973c2b2c4db921/9e6767ce-b38d-4314-8500-536cd4841e29/V2g5fOvG6I5h6Jb8fYGa8RfzDnJZvN5QfWYugBGTIhLqKb',
        "  url: 'https://outlook.office.com/webhook/6b3ddca0-d5e6-4e8f-8677-e000d742e30b@135ae4e2-8bc7-4424-a357-ed66e7e2ef6b/IncomingWebhook/005fda1e08aecc334b833715412352e1/ef98eb77-96bb-475a-aee5-23fd78a0af0f'",
      ],
      negative: ['https://contoso.webhook.office.com/webhookb2/<group>@<tenant>/IncomingWebhook/<id>/<owner>', 'https://outlook.office.com/mail/inbox'],
    },
  },
  {
    id: 'microsoft-teams-workflow-webhook-url',
    title: 'Microsoft Teams workflow webhook URL',
    description: 'A Power Automate "when a Teams webhook request is received" URL with its `sig` signature: anyone with it can trigger the flow and post to Teams.',
    severity: 'medium',
    keywords: ['powerplatform.com', 'logic.azure.com'],
    pattern: String.raw`https://[A-Za-z0-9.-]{1,120}\.(?:powerplatform\.com|logic\.azure\.com)(?::443)?/[A-Za-z0-9/._-]{0,120}?workflows/[0-9a-f]{32}/triggers/[A-Za-z0-9_.-]{1,80}/paths/invoke\?[A-Za-z0-9%=&._-]{0,300}?sig=[A-Za-z0-9_%-]{40,90}${E}`,
    checks: ['not-example'],
    examples: {
      positive: [
        'TEAMS_WORKFLOW_URL=https://default2e32322fc76ac2d545bff49751d2f6.00.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/1600757fcdedbfed9f1934a4a0e1b060/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=SAtxKseU2gqh2gpP1Gbt8uDwuFfxt2_HrQzoD6XZrqX',
      ],
      negative: ['https://make.powerplatform.com/environments/Default/flows', 'https://prod-00.westus.logic.azure.com/workflows/<id>/triggers/manual/paths/invoke?sig=<sig>'],
    },
  },

  // Stripe: secret and restricted keys by mode, webhook signing secrets.
  {
    id: 'stripe-secret-key',
    title: 'Stripe live secret key',
    description: 'A Stripe live-mode secret key (sk_live_): full API access to the account, including charges, refunds, payouts and customer data.',
    severity: 'critical',
    keywords: ['sk_live_'],
    pattern: String.raw`${B}sk_live_[A-Za-z0-9]{24,247}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['STRIPE_SECRET_KEY=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', '  stripe-api-key: "sk_live_BuXtvxMcGuleU5p0disMIKIh"'],
      negative: ['STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx', 'STRIPE_PUBLISHABLE_KEY=pk_live_merIQcSrNREk0vfswdFTPV3y', 'keys starting with sk_live_ are secret'],
    },
  },
  {
    id: 'stripe-restricted-key',
    title: 'Stripe live restricted key',
    description: 'A Stripe live-mode restricted key (rk_live_): API access limited to the permissions chosen when it was created.',
    keywords: ['rk_live_'],
    pattern: String.raw`${B}rk_live_[A-Za-z0-9]{24,247}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['STRIPE_RESTRICTED_KEY=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'],
      negative: ['STRIPE_RESTRICTED_KEY=rk_live_...', 'STRIPE_RESTRICTED_KEY="${STRIPE_RK}"'],
    },
  },
  {
    id: 'stripe-webhook-secret',
    title: 'Stripe webhook signing secret',
    description: 'A webhook endpoint signing secret (whsec_, used by Stripe and Svix-style webhooks): it lets an attacker forge events the endpoint will trust.',
    severity: 'medium',
    keywords: ['whsec_'],
    pattern: String.raw`(?<![A-Za-z0-9_+/-])whsec_[A-Za-z0-9+/]{32,88}={0,2}(?![A-Za-z0-9_+/=-])`,
    checks: ['not-example'],
    examples: {
      positive: ['STRIPE_WEBHOOK_SECRET=whsec_ln21k3iDj28lHaOEQHXVlejqBE95GqDs', 'webhookSecret: "whsec_EUGrV6/IOyBdCeaCqvre9Fuj1lH/AB9h"'],
      negative: ['STRIPE_WEBHOOK_SECRET=whsec_...', 'STRIPE_WEBHOOK_SECRET=whsec_abc123'],
    },
  },
  {
    id: 'stripe-test-secret-key',
    title: 'Stripe test-mode secret key',
    description: 'A Stripe test-mode secret or restricted key (sk_test_, rk_test_): no real money moves, but it exposes the test account\'s data and settings.',
    severity: 'low',
    keywords: ['sk_test_', 'rk_test_'],
    pattern: String.raw`${B}[rs]k_test_[A-Za-z0-9]{24,247}${E}`,
    examples: {
      positive: ['STRIPE_SECRET_KEY=sk_test_eAiZE4d5aQrpMgyH4DCPNrg7jPaZzKw96LKUM5mdBayIRrcWAbmq6mnt4i8t6PxkBEvQsAvd8V4u6JSpwtFEuTKbVhTdctZPff8'],
      negative: ['STRIPE_SECRET_KEY=sk_test_...', 'STRIPE_PUBLISHABLE_KEY=pk_test_CtrutFJoUS5CsouIUPQDEuzw'],
    },
  },

  // Square: personal and OAuth access tokens, OAuth application secrets.
  {
    id: 'square-access-token',
    title: 'Square access token',
    description: 'A Square personal or OAuth access token (EAAA…): API access to the seller account\'s payments, orders, customers and catalog.',
    keywords: ['square'],
    pattern: keyed('square', 'access[_-]?token|token', String.raw`EAAA[A-Za-z0-9_-]{60}`),
    entropy: 4,
    checks: ['not-example'],
    examples: {
      positive: ['SQUARE_ACCESS_TOKEN=EAAAlNbCiTiuS6pPXBB40ZhdNZsjIZmH58Pwt-PNf-rPnXLAYphoZ5LGTrKl_7Nx', 'square:\n  accessToken: "EAAANrYmsTGC-OB8siKTtH2pJemqmka_c_fcjoLCs6jvCEhGFu3M9eGVTTFmvauE"'],
      negative: ['SQUARE_ACCESS_TOKEN=EAAAxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'SQUARE_ACCESS_TOKEN=EAAAl0ng'],
    },
  },
  {
    id: 'square-legacy-access-token',
    title: 'Square access token (legacy sq0atp-)',
    description: 'A Square access token in the older sq0atp- format: API access to the seller account it belongs to.',
    keywords: ['sq0atp-'],
    pattern: String.raw`${B}sq0atp-[A-Za-z0-9_-]{22}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['SQUARE_TOKEN=sq0atp-OApJMGRJS3rGV8rAQ-HpqR'],
      negative: ['SQUARE_TOKEN=sq0atp-xxxxxxxxxxxxxxxxxxxxxx', 'SQUARE_TOKEN=sq0atp-short'],
    },
  },
  {
    id: 'square-oauth-secret',
    title: 'Square OAuth application secret',
    description: 'A Square application\'s OAuth secret (sq0csp-): with the application id it obtains and renews sellers\' access tokens.',
    keywords: ['sq0csp-'],
    pattern: String.raw`${B}sq0csp-[A-Za-z0-9_-]{43}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['SQUARE_APPLICATION_SECRET=sq0csp-c0geY2yeORmAKhzVzK01mvfIdn2SimCQuYQuGpK-8sW'],
      negative: ['SQUARE_APPLICATION_SECRET=sq0csp-<secret>', 'SQUARE_APPLICATION_ID=sq0idp-CJfLkCp3wNU7UqDmH2yf9V'],
    },
  },

  // PayPal and Braintree.
  {
    id: 'braintree-access-token',
    title: 'Braintree production access token',
    description: 'A Braintree (PayPal) production access token: it creates transactions and reads payment data for the merchant account.',
    keywords: ['access_token$production$'],
    pattern: String.raw`access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32}(?![A-Za-z0-9])`,
    checks: ['not-example'],
    examples: {
      positive: ['BRAINTREE_ACCESS_TOKEN=access_token$production$2cpuy7vyshuimfxh$a52e740a831323cf267448f7c5f3d51e'],
      negative: ['BRAINTREE_ACCESS_TOKEN=access_token$production$merchantid$secret', 'BRAINTREE_ACCESS_TOKEN=access_token$sandbox$1f2vshnlvoem3kmn$ff8aa7c3dd629e16a4777e7639984529'],
    },
  },
  {
    id: 'braintree-sandbox-access-token',
    title: 'Braintree sandbox access token',
    description: 'A Braintree sandbox access token: no real payments, but access to the sandbox merchant\'s data and settings.',
    severity: 'low',
    keywords: ['access_token$sandbox$'],
    pattern: String.raw`access_token\$sandbox\$[0-9a-z]{16}\$[0-9a-f]{32}(?![A-Za-z0-9])`,
    checks: ['not-example'],
    examples: {
      positive: ['BRAINTREE_ACCESS_TOKEN=access_token$sandbox$9jp7phyr2bcafvws$35234adcb8131229a243ac0fb41a9a63'],
      negative: ['BRAINTREE_ACCESS_TOKEN=access_token$sandbox$id$secret'],
    },
  },
  {
    id: 'paypal-client-secret',
    title: 'PayPal REST client secret',
    description: 'The secret of a PayPal REST API application: with its client id it obtains access tokens to take payments and issue refunds.',
    keywords: ['paypal'],
    pattern: keyed('paypal', 'client[_-]?secret|secret', String.raw`[A-Za-z0-9_-]{70,90}`),
    entropy: 4,
    checks: ['not-example'],
    examples: {
      positive: ['PAYPAL_CLIENT_SECRET=Ey-Qe4kQIqyRKk0_s3nYZTxjJET4TaJqzeDMtyCwIcvnArxev22YHioWChuFgzONp_5AZMKx3oKkdp-R', 'paypal:\n  clientSecret: "EDwKYcOOOeKpoXwdtd46ydwAa_pWpQRhlLzJAUaOzJKEorC1_J6Tk2Z_KeHtk8IXye-RkKAi7EmP7D5A"'],
      negative: ['PAYPAL_CLIENT_SECRET=${PAYPAL_SECRET}', 'PAYPAL_CLIENT_SECRET=short-secret'],
    },
  },

  // Adyen: API keys start with AQE and may hold punctuation after their base64 parts.
  {
    id: 'adyen-api-key',
    title: 'Adyen API key',
    description: 'An Adyen API credential\'s key: it authorises payments, refunds and management calls for the merchant or company account.',
    keywords: ['adyen'],
    pattern: keyed('adyen', 'api[_-]?key|x-api-key', String.raw`AQE[^\s"'<>]{60,250}`, String.raw`(?![^\s"'<>])`),
    entropy: 4,
    checks: ['not-example'],
    examples: {
      positive: ['ADYEN_API_KEY=AQEzaE3/LBkCqE9glvFyOZrO0pLXxXtzDpJkJ+mw6R2JBX7gGWlWQ8XAvBX/yBtfLnHo8DOd2kT5UxzQPkW17WMhAhpPH9EWaU9==-TwgjPnpDHoIv2HamaguJBA8FaDfx5q8c3K0Jn4oCpiJ=-h5r6nAWqXHe6Em0E', '  adyen-api-key: "AQEWPCBYCLTXzSJTY0IwBCStoN387vgIlORtA2aDL4aRhSDIUsXTpANOAlKMVtCa1j8n4ABS7bap+zCLGZ3ApcE/EGrDe"'],
      negative: ['ADYEN_API_KEY=AQE...', 'ADYEN_API_KEY="${ADYEN_KEY}"', 'ADYEN_MERCHANT_ACCOUNT=ShopCom'],
    },
  },

  // Razorpay: the key id (rzp_live_...) is public in checkout pages; the key secret is not.
  {
    id: 'razorpay-key-secret',
    title: 'Razorpay key secret',
    description: 'The secret half of a Razorpay API key pair: with the key id it captures payments, issues refunds and reads orders.',
    keywords: ['razorpay', 'rzp'],
    pattern: keyed('razorpay|rzp', 'key[_-]?secret|secret', '[A-Za-z0-9]{24}'),
    entropy: 3.5,
    checks: ['not-example'],
    examples: {
      positive: ['RAZORPAY_KEY_SECRET=3N7962KGkF3M5qmrWoWw9tHL', 'razorpay:\n  keySecret: "y2HvNS5jGuVwrOB23PUbTaGl"'],
      negative: ['RAZORPAY_KEY_SECRET=${RZP_SECRET}', 'RAZORPAY_KEY_ID=rzp_live_d92TpBnNGNevrW'],
    },
  },

  // Shopify: app access tokens and shared secrets, 32 hex characters after their prefix.
  {
    id: 'shopify-access-token',
    title: 'Shopify access token',
    description: 'A Shopify Admin API access token (shpat_): reads and changes the store\'s products, orders and customers within its scopes.',
    keywords: ['shpat_'],
    pattern: String.raw`${B}shpat_[a-fA-F0-9]{32}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['SHOPIFY_ACCESS_TOKEN=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'],
      negative: ['SHOPIFY_ACCESS_TOKEN=shpat_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'SHOPIFY_ACCESS_TOKEN=shpat_a5b0639b9d64a112e972e9e65af6340'],
    },
  },
  {
    id: 'shopify-custom-app-token',
    title: 'Shopify custom app access token',
    description: 'An access token of a Shopify custom app (shpca_): Admin API access to the store within the app\'s scopes.',
    keywords: ['shpca_'],
    pattern: String.raw`${B}shpca_[a-fA-F0-9]{32}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['SHOPIFY_TOKEN=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'],
      negative: ['SHOPIFY_TOKEN=shpca_<token>'],
    },
  },
  {
    id: 'shopify-private-app-token',
    title: 'Shopify private app password',
    description: 'A Shopify private app password (shppa_): Admin API access to the store within the private app\'s permissions.',
    keywords: ['shppa_'],
    pattern: String.raw`${B}shppa_[a-fA-F0-9]{32}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['SHOPIFY_PASSWORD=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'],
      negative: ['SHOPIFY_PASSWORD=shppa_bbec9de5675869be'],
    },
  },
  {
    id: 'shopify-shared-secret',
    title: 'Shopify app shared secret',
    description: 'A Shopify app\'s shared secret (shpss_): it signs OAuth exchanges and webhooks, so whoever holds it can impersonate Shopify to the app.',
    keywords: ['shpss_'],
    pattern: String.raw`${B}shpss_[a-fA-F0-9]{32}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['SHOPIFY_API_SECRET=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'],
      negative: ['SHOPIFY_API_SECRET=shpss_...'],
    },
  },

  // Twilio: the account SID (AC…) and API key SID (SK…) are identifiers; the auth token and API key secret are the secrets.
  {
    id: 'twilio-auth-token',
    title: 'Twilio auth token',
    description: 'A Twilio account auth token: with the account SID it has full API access to the account (messages, calls, numbers, billing).',
    keywords: ['twilio'],
    pattern: keyed('twilio', 'auth[_-]?token', '[a-f0-9]{32}'),
    entropy: 3,
    examples: {
      positive: ['TWILIO_AUTH_TOKEN=250ccaf5c2b119261a4c1dc5123d3790', 'env:\n- name: TWILIO_AUTH_TOKEN\n  value: "be6a6cb6011759e7bf79f85d0a24f150"'],
      negative: ['TWILIO_AUTH_TOKEN=${TWILIO_AUTH_TOKEN}', 'TWILIO_ACCOUNT_SID=ACb02c58dfa2bc7fd69509ca297747b078', 'TWILIO_AUTH_TOKEN=00000000000000000000000000000000'],
    },
  },
  {
    id: 'twilio-api-key-secret',
    title: 'Twilio API key secret',
    description: 'The secret of a Twilio API key (whose SID starts with SK): API access to the account, as broad as the key type allows.',
    keywords: ['twilio'],
    pattern: keyed('twilio', 'api[_-]?(?:key[_-]?)?secret', '[A-Za-z0-9]{32}'),
    entropy: 3.5,
    examples: {
      positive: ['TWILIO_API_SECRET=AsoRId6wactFJtr638MjBGa46TlIP4Ja', 'twilio:\n  apiKeySecret: YkOHMCSLsYN3dx5NAi5JtfxAygUDY8XG'],
      negative: ['TWILIO_API_SECRET=<api-secret>', 'TWILIO_API_KEY=SKcf6969102e6329b025ad1d303e0ec72c'],
    },
  },

  // Email delivery: SendGrid, Mailgun, Mailchimp, Postmark, Mandrill, Brevo.
  {
    id: 'sendgrid-api-key',
    title: 'SendGrid API key',
    description: 'A Twilio SendGrid API key (SG.…): sends mail as the account\'s verified senders and, with full access, manages the account.',
    keywords: ['sg.'],
    pattern: String.raw`${B}SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['SENDGRID_API_KEY=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', 'smtp:\n  password: "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"'],
      negative: ['SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'SENDGRID_API_KEY=SG.abc.def'],
    },
  },
  {
    id: 'mailgun-private-api-key',
    title: 'Mailgun private API key (key-)',
    description: 'A Mailgun private API key in the key- format: sends mail from every domain of the account and manages domains, routes and webhooks.',
    keywords: ['key-'],
    pattern: String.raw`${B}key-[a-f0-9]{32}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['MAILGUN_API_KEY=key-daf01a1adc2af45f9691dc15e7ee746b'],
      negative: ['MAILGUN_API_KEY=key-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'api-key-aaa1e67ea1757f42a3f3652c90dd3b1f', 'MAILGUN_API_KEY=key-285f05f4ebad3e3a9faaf3d2'],
    },
  },
  {
    id: 'mailgun-api-key',
    title: 'Mailgun API key',
    description: 'A Mailgun account or domain sending key: account keys manage every domain, domain keys send mail as that domain.',
    keywords: ['mailgun'],
    pattern: keyed('mailgun', 'api[_-]?key|sending[_-]?key|key|password', String.raw`[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8}`),
    entropy: 3,
    examples: {
      positive: ['MAILGUN_API_KEY=0f89d4f95cacf4e9f15e026e506f6ba7-e145462b-1bcf12fd', 'mailgun:\n  apiKey: "a7e6c3f6a5456626f7de5283d0d2625a-0bb13e57-5b60f0e9"'],
      negative: ['MAILGUN_API_KEY=${MAILGUN_KEY}', 'MAILGUN_DOMAIN=mg.example.com'],
    },
  },
  {
    id: 'mailgun-webhook-signing-key',
    title: 'Mailgun webhook signing key',
    description: 'The key Mailgun signs webhook deliveries with: it lets an attacker forge delivery and bounce events the receiver will trust.',
    severity: 'medium',
    keywords: ['mailgun'],
    pattern: keyed('mailgun', 'webhook[_-]?(?:signing[_-]?)?key|signing[_-]?key', '[a-f0-9]{32}'),
    entropy: 3,
    examples: {
      positive: ['MAILGUN_WEBHOOK_SIGNING_KEY=12403ae2e06a9477c309ed1f8d9a38db'],
      negative: ['MAILGUN_WEBHOOK_SIGNING_KEY=<signing-key>'],
    },
  },
  {
    id: 'mailchimp-api-key',
    title: 'Mailchimp API key',
    description: 'A Mailchimp Marketing API key (32 hex characters and the data-centre suffix): full access to audiences, campaigns and account settings.',
    keywords: ['-us'],
    pattern: String.raw`${B}[a-f0-9]{32}-us[0-9]{1,2}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['MAILCHIMP_API_KEY=667b37962fe20e26d6b1648f1fc85caa-us21', '  mailchimp-key: "d61604e07a27f7738af8a476d5fcaef8-us6"'],
      negative: ['MAILCHIMP_API_KEY=<key>-us21', 'MAILCHIMP_API_KEY=aa5a2da735330ba055e89c5acf9d0a0f-eu1', 'locale: en-us'],
    },
  },
  {
    id: 'postmark-server-token',
    title: 'Postmark server or account token',
    description: 'A Postmark server API token (sends mail and reads a server\'s messages) or account token (manages servers, domains and senders).',
    keywords: ['postmark'],
    pattern: keyed('postmark', 'server[_-]?(?:api[_-]?)?token|account[_-]?(?:api[_-]?)?token|api[_-]?(?:token|key)|token', UUID),
    entropy: 3,
    examples: {
      positive: ['POSTMARK_SERVER_TOKEN=4339f5ae-77b7-4dac-85a5-c3d7d6b2e4fe', '  X-Postmark-Server-Token: 893c6c27-f043-43b7-b60d-be92083ef61e'],
      negative: ['POSTMARK_SERVER_TOKEN=POSTMARK_API_TEST', 'POSTMARK_SERVER_TOKEN=${POSTMARK_TOKEN}'],
    },
  },
  {
    id: 'mandrill-api-key',
    title: 'Mandrill (Mailchimp Transactional) API key',
    description: 'A Mailchimp Transactional (Mandrill) API key: it sends mail from the account\'s domains and reads message history; it is also the SMTP password.',
    keywords: ['mandrill'],
    pattern: keyed('mandrill', 'api[_-]?key|key|password', String.raw`md-[A-Za-z0-9_-]{22}|[A-Za-z0-9_-]{22}`),
    entropy: 3.5,
    checks: ['not-example'],
    examples: {
      positive: ['MANDRILL_API_KEY=md-Reytmvt0qTVDOlcacKGGAD', 'MANDRILL_KEY=LLJCETDv4JLqMdPBsaUfgL'],
      negative: ['MANDRILL_API_KEY=${MANDRILL_KEY}', 'MANDRILL_API_KEY=short'],
    },
  },
  {
    id: 'brevo-api-key',
    title: 'Brevo (Sendinblue) API key',
    description: 'A Brevo (formerly Sendinblue) API v3 key (xkeysib-): sends email and SMS and manages contacts and campaigns.',
    keywords: ['xkeysib-'],
    pattern: String.raw`${B}xkeysib-[a-f0-9]{64}-[A-Za-z0-9]{16}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['BREVO_API_KEY=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'],
      negative: ['BREVO_API_KEY=xkeysib-<your-key>', 'SENDINBLUE_API_KEY=xkeysib-b6a31c144a2b6abd8d63567b11bdb06b319af21975d6484b4fe7a7ffc0e0c865'],
    },
  },
  {
    id: 'brevo-smtp-key',
    title: 'Brevo (Sendinblue) SMTP key',
    description: 'A Brevo SMTP relay key (xsmtpsib-): it sends email through Brevo as the account.',
    keywords: ['xsmtpsib-'],
    pattern: String.raw`${B}xsmtpsib-[a-f0-9]{64}-[A-Za-z0-9]{16}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['SMTP_PASSWORD=xsmtpsib-f47ec503553aa5d6df64ccb6c57f9bc8f5ba62c7eeae32cad72b60cf6ccd43a6-rDolreNthi7obZYR'],
      negative: ['SMTP_PASSWORD=xsmtpsib-...'],
    },
  },

  // SMS and voice: Vonage (Nexmo), MessageBird (Bird), Plivo.
  {
    id: 'vonage-api-secret',
    title: 'Vonage (Nexmo) API secret',
    description: 'The secret of a Vonage (Nexmo) API key: it sends SMS, places calls and manages numbers on the account\'s balance.',
    keywords: ['vonage', 'nexmo'],
    pattern: keyed('vonage|nexmo', 'api[_-]?secret|secret', '[A-Za-z0-9]{16}'),
    entropy: 3,
    examples: {
      positive: ['VONAGE_API_SECRET=f0DnKBTjwXHDn9sO', 'NEXMO_API_SECRET: "5G1LQ5SKwhey3GCr"'],
      negative: ['VONAGE_API_SECRET=${VONAGE_SECRET}', 'VONAGE_API_KEY=4139f13a'],
    },
  },
  {
    id: 'messagebird-access-key',
    title: 'MessageBird (Bird) access key',
    description: 'A MessageBird (Bird) live access key: it sends SMS and voice messages and reads the account\'s contacts and balance.',
    keywords: ['messagebird', 'message_bird', 'message-bird'],
    pattern: keyed('message[_-]?bird', 'access[_-]?key|api[_-]?key|key', '[A-Za-z0-9]{25}'),
    entropy: 3.5,
    examples: {
      positive: ['MESSAGEBIRD_ACCESS_KEY=3Pl9FjYEt3MRQEZBixAZAhzx7'],
      negative: ['MESSAGEBIRD_ACCESS_KEY=<access-key>', 'MESSAGEBIRD_ORIGINATOR=ShopCom'],
    },
  },
  {
    id: 'plivo-auth-token',
    title: 'Plivo auth token',
    description: 'A Plivo auth token: with the auth id it sends SMS, places calls and manages the account.',
    keywords: ['plivo'],
    pattern: keyed('plivo', 'auth[_-]?token|token|secret', '[A-Za-z0-9_-]{40}'),
    entropy: 3.5,
    checks: ['not-example'],
    examples: {
      positive: ['PLIVO_AUTH_TOKEN=c4TFXRyn5GSEjP47OIfMeFPaUpFIXXsVdJG6Zi2J'],
      negative: ['PLIVO_AUTH_TOKEN=${PLIVO_TOKEN}', 'PLIVO_AUTH_ID=MABGOHD2IAQR70ZIOVIN'],
    },
  },

  // Datadog: API keys (32 hex) submit data; application keys (40 hex) read data and change configuration.
  {
    id: 'datadog-api-key',
    title: 'Datadog API key',
    description: 'A Datadog API key: it submits metrics, logs and events to the organisation and, with an application key, unlocks the management API.',
    keywords: ['datadog', 'dd_api', 'dd-api'],
    pattern: keyed('datadog|dd', 'api[_-]?key', '[a-f0-9]{32}'),
    entropy: 3,
    examples: {
      positive: ['DD_API_KEY=a3bdc27a4503ba10120cb07281f4cd76', 'env:\n  - name: DD_API_KEY\n    value: "1a00141c84d9f6eef3007ab2f70720f2"', 'datadog:\n  apiKey: e36b4e9254999bcbdd1c13c4f7da761e'],
      negative: ['DD_API_KEY=${DD_API_KEY}', 'datadog:\n  apiKeyExistingSecret: datadog-secret', 'ADD_API_KEY=c394e345665787978a9903614e5626cf'],
    },
  },
  {
    id: 'datadog-app-key',
    title: 'Datadog application key',
    description: 'A Datadog application key: with an API key it reads the organisation\'s data and changes monitors, dashboards and settings as its owner.',
    keywords: ['datadog', 'dd_app', 'dd-app'],
    pattern: keyed('datadog|dd', 'app(?:lication)?[_-]?key', '[a-f0-9]{40}'),
    entropy: 3,
    examples: {
      positive: ['DD_APP_KEY=032657d8c14d8de289f7883e149988de5d3c787b', 'DATADOG_APPLICATION_KEY: "102ca9a9291821f3d4848e33d6bbd02370d68f50"', 'datadog:\n  appKey: 6805022206434281df0aaf977b0a809fe70eaa49'],
      negative: ['DD_APP_KEY=<application-key>', 'DD_APP_KEY=20761ffee585be284bbdd5c675216615'],
    },
  },

  // New Relic: prefixed user, ingest and browser keys, and license keys.
  {
    id: 'newrelic-user-api-key',
    title: 'New Relic user API key',
    description: 'A New Relic user key (NRAK-): NerdGraph access as its user, to query data and change alerts, dashboards and account settings.',
    keywords: ['nrak-'],
    pattern: String.raw`${B}NRAK-[A-Z0-9]{27}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['NEW_RELIC_API_KEY=NRAK-PUPHPRCY0U6HDNESXPW4SN61V3L'],
      negative: ['NEW_RELIC_API_KEY=NRAK-XXXXXXXXXXXXXXXXXXXXXXXXXXX', 'NEW_RELIC_API_KEY=NRAK-X1PN4VKZPEZV9B8GZEI6'],
    },
  },
  {
    id: 'newrelic-admin-api-key',
    title: 'New Relic admin API key',
    description: 'A legacy New Relic admin API key (NRAA-): REST API access with administrative rights over the account.',
    keywords: ['nraa-'],
    pattern: String.raw`${B}NRAA-[A-Za-z0-9]{27}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['NEW_RELIC_ADMIN_KEY=NRAA-f8edd04bbe31b80b97c9cfc880b'],
      negative: ['NEW_RELIC_ADMIN_KEY=NRAA-<key>'],
    },
  },
  {
    id: 'newrelic-insights-insert-key',
    title: 'New Relic Insights insert key',
    description: 'A New Relic Insights insert key (NRII-): it writes custom events into the account.',
    severity: 'medium',
    keywords: ['nrii-'],
    pattern: String.raw`${B}NRII-[A-Za-z0-9_-]{32}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['NEW_RELIC_INSERT_KEY=NRII-kL1_ETXQaGhj926w-HgIQdpfG4X0a6XI'],
      negative: ['NEW_RELIC_INSERT_KEY=NRII-short'],
    },
  },
  {
    id: 'newrelic-insights-query-key',
    title: 'New Relic Insights query key',
    description: 'A New Relic Insights query key (NRIQ-): it reads the account\'s event data through NRQL.',
    severity: 'medium',
    keywords: ['nriq-'],
    pattern: String.raw`${B}NRIQ-[A-Za-z0-9_-]{32}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['NEW_RELIC_QUERY_KEY=NRIQ-3YX4NDvE8zJkeomrR3hlEmbAyq8gG6-j'],
      negative: ['NEW_RELIC_QUERY_KEY=NRIQ-<key>'],
    },
  },
  {
    id: 'newrelic-browser-key',
    title: 'New Relic browser key',
    description: 'A New Relic browser ingest key (NRJS-): it is served to web pages to report browser monitoring data, so it only lets others send data.',
    severity: 'low',
    keywords: ['nrjs-'],
    pattern: String.raw`${B}NRJS-[a-f0-9]{19}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['NEW_RELIC_BROWSER_KEY=NRJS-fde4d0d2465db13f65e'],
      negative: ['NEW_RELIC_BROWSER_KEY=NRJS-5aed0f4084c0'],
    },
  },
  {
    id: 'newrelic-license-key',
    title: 'New Relic license key',
    description: 'A New Relic ingest license key (ending in NRAL): agents report APM, infrastructure and log data into the account with it.',
    severity: 'medium',
    keywords: ['nral'],
    pattern: String.raw`${B}(?:eu01xx[a-f0-9]{30}|[a-f0-9]{36})NRAL${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['NEW_RELIC_LICENSE_KEY=9927d8dd0a74d5e717572b5e91e32ec17dc3NRAL', 'license_key: eu01xx87b3c2bb59dda8a46e33986973e115NRAL'],
      negative: ['NEW_RELIC_LICENSE_KEY=<license-key>NRAL', 'NEW_RELIC_LICENSE_KEY=edc141ef260cccf0858bb0b8316a02NRAL'],
    },
  },
  {
    id: 'newrelic-legacy-license-key',
    title: 'New Relic license key (40 hex)',
    description: 'A New Relic license key in the older 40-character hex form: agents report data into the account with it.',
    severity: 'medium',
    keywords: ['newrelic', 'new_relic', 'new-relic', 'new.relic'],
    pattern: keyed(String.raw`new[_.-]?relic`, 'license[_-]?key', '[a-f0-9]{40}'),
    entropy: 3,
    examples: {
      positive: ['NEW_RELIC_LICENSE_KEY=f036ac3c68a85801bf52b989a3d8b6d7ee830c68', 'newrelic:\n  licenseKey: "49d38a34ff552603706609fc1d2e8cf164fed53f"'],
      negative: ['NEW_RELIC_LICENSE_KEY=${NEW_RELIC_LICENSE_KEY}', 'NEW_RELIC_APP_NAME=checkout'],
    },
  },

  // Other observability: Dynatrace, Honeycomb, Splunk, Sumo Logic, PagerDuty, Opsgenie, Lightstep, Rollbar, Bugsnag.
  {
    id: 'dynatrace-api-token',
    title: 'Dynatrace token',
    description: 'A Dynatrace access token (dt0c01.…) or platform/OAuth secret (dt0s…): API access to the environment within its scopes, often including configuration.',
    keywords: ['dt0'],
    pattern: String.raw`${B}dt0[a-z][0-9]{2}\.[A-Z0-9]{24}\.[A-Z0-9]{64}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['DT_API_TOKEN=dt0c01.4RAXRPNCMWR9PFBKXVPK7QGX.WG4QKGDPHAMIGFWZI03DS0N5Y5E3ICJRB6SYPDN3RW19N2S9C8KWDFGQNVQ7ZWVL', '  apiToken: "dt0s16.V8XBFVRORSJXG60ZJ7N7OI2U.3YWV5HAC8K3IS1UGO2H3Y3BWEDAJLGSU61NSV25M4NC1Y2ILMDVNB0IS56SNKZGN"'],
      negative: ['DT_API_TOKEN=dt0c01.<public>.<secret>', 'DT_API_TOKEN=dt0c01.LO9B5SO73EUMZOIK8ADODCI1'],
    },
  },
  {
    id: 'honeycomb-ingest-key',
    title: 'Honeycomb ingest key',
    description: 'A Honeycomb ingest key (hc?ik_…): it sends telemetry into an environment and may create datasets.',
    severity: 'medium',
    keywords: ['ik_'],
    pattern: String.raw`${B}hc[a-z]ik_[A-Za-z0-9]{58}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['HONEYCOMB_API_KEY=hcaik_cdemwzw2m4fyryuwr3yeg8sailamlpzjgztwwo07u6izc4j1haizu4qx62', '      x-honeycomb-team: hcxik_597449zkaazq21y1j0vm589zdunkulh2ywbk1ixyjsufgc495gktdi23l3'],
      negative: ['HONEYCOMB_API_KEY=hcaik_<key-id><secret>', 'HONEYCOMB_API_KEY=hcaik_o7egxho1oi0fqtgczq831424b2'],
    },
  },
  {
    id: 'honeycomb-api-key',
    title: 'Honeycomb API key',
    description: 'A Honeycomb configuration or classic API key: it sends events and, with its permissions, manages boards, triggers, SLOs and markers.',
    keywords: ['honeycomb'],
    pattern: keyed('honeycomb', 'api[_-]?key|write[_-]?key|config(?:uration)?[_-]?key|team', '[A-Za-z0-9]{22}|[a-f0-9]{32}'),
    entropy: 3,
    examples: {
      positive: ['HONEYCOMB_API_KEY=rq30pXK5sqSdnwWSACqkrw', 'exporters:\n  otlp:\n    headers:\n      x-honeycomb-team: fuDOBbMWkVg6DAwAWfpB2v', 'HONEYCOMB_WRITEKEY=0a9bb0d2f9efa9abca53831e5e1db17b'],
      negative: ['HONEYCOMB_API_KEY=${HONEYCOMB_API_KEY}', 'x-honeycomb-dataset: frontend-web-service'],
    },
  },
  {
    id: 'splunk-hec-token',
    title: 'Splunk HTTP Event Collector token',
    description: 'A Splunk HEC token: it writes events into the indexes the token allows, so it can flood or poison logs.',
    severity: 'medium',
    keywords: ['splunk'],
    pattern: String.raw`(?:(?<![A-Za-z0-9])${anyCase('splunk')}${GAP}${anyCase('hec[_-]?token|token')}[\w.-]{0,12}?${ASSIGN}|${anyCase('authorization')}["']?[\t ]{0,4}[:=][\t ]{0,4}["']?Splunk[\t ]{1,4})(?<secret>${UUID})(?![A-Za-z0-9])`,
    entropy: 3,
    examples: {
      positive: ['SPLUNK_HEC_TOKEN=f1882354-0ea4-40b5-8915-54af88f42568', 'splunk_hec:\n  token: "a6af26d1-98d7-4cfb-8e2e-b0e6ac3fef41"', 'curl -H "Authorization: Splunk ee5270da-1141-425f-9bef-138f701a392f" https://splunk:8088/services/collector'],
      negative: ['SPLUNK_HEC_TOKEN=${SPLUNK_HEC_TOKEN}', 'Authorization: Splunk <hec-token>'],
    },
  },
  {
    id: 'sumologic-http-source-url',
    title: 'Sumo Logic HTTP source URL',
    description: 'A Sumo Logic hosted collector HTTP source URL: its path is the credential, and anyone with it can send logs and metrics into the source.',
    severity: 'medium',
    keywords: ['sumologic.com/receiver'],
    pattern: String.raw`https://[a-z0-9-]{1,40}\.(?:collection\.)?(?:[a-z0-9]{2,8}\.)?sumologic\.com/receiver/v1/(?:http|otlp|prometheus)/[A-Za-z0-9_=-]{40,400}(?![A-Za-z0-9_=-])`,
    checks: ['not-example'],
    examples: {
      positive: ['SUMO_HTTP_SOURCE=https://endpoint4.collection.us2.sumologic.com/receiver/v1/http/VnwGyO9uwHErVR8VOj1BPq4SbERwaijVWzdjFuRl7NkPyMTRj0_PL-br8lyLxgr0FJSp6DLxgu40QAvhzY6Ggn-lO2gwhnEzq8zXnjXRDZw-Ld=='],
      negative: ['https://endpoint4.collection.us2.sumologic.com/receiver/v1/http/<unique-code>', 'https://service.sumologic.com/ui/'],
    },
  },
  {
    id: 'sumologic-access-key',
    title: 'Sumo Logic access key',
    description: 'A Sumo Logic access key: with its access id it calls the Sumo Logic APIs with the creating user\'s permissions.',
    keywords: ['sumo'],
    pattern: keyed(String.raw`sumo(?:[_.-]?logic)?`, 'access[_-]?key|secret', '[A-Za-z0-9]{64}'),
    entropy: 3.5,
    examples: {
      positive: ['SUMOLOGIC_ACCESSKEY=FafhK41pnHdmMlNLQ0ZR73jvlsZdpCtk0yUw91hXf1iA1t7GHhZrQy823DC7MU40', 'SUMO_ACCESS_KEY: "KDqiVVP8eZzYQxs3C4c0i1TgXUenLA4gBHeZM4kvuWM9bJ0Hzh09XjaqxlF0yXBp"'],
      negative: ['SUMOLOGIC_ACCESSID=su09fpJbtFY38k', 'SUMO_ACCESS_KEY=${SUMO_KEY}'],
    },
  },
  {
    id: 'pagerduty-api-key',
    title: 'PagerDuty REST API key',
    description: 'A PagerDuty REST API key (account or user token): it reads and changes incidents, schedules, services and users.',
    keywords: ['pagerduty', 'pager_duty', 'pager-duty'],
    pattern: keyed(String.raw`pager[_-]?duty`, String.raw`api[_-]?(?:key|token)|user[_-]?token|token`, String.raw`[A-Za-z0-9_+-]{20}`, String.raw`(?![A-Za-z0-9_+-])`),
    entropy: 3.3,
    checks: ['not-example'],
    examples: {
      positive: ['PAGERDUTY_API_KEY=9-O_SsWBjlqy-2WjF2dF', 'PAGERDUTY_TOKEN: "u+o-nePQwW3CpKUIWPNt"'],
      negative: ['PAGERDUTY_API_KEY=${PD_TOKEN}', 'PAGERDUTY_API_KEY=short'],
    },
  },
  {
    id: 'pagerduty-integration-key',
    title: 'PagerDuty integration (routing) key',
    description: 'A PagerDuty Events API integration or routing key: it triggers, acknowledges and resolves incidents on its service, enough to page people or silence alerts.',
    severity: 'medium',
    keywords: ['pagerduty', 'pager_duty', 'pager-duty'],
    pattern: keyed(String.raw`pager[_-]?duty`, String.raw`routing[_-]?key|integration[_-]?key|service[_-]?key`, '[a-f0-9]{32}'),
    entropy: 3,
    examples: {
      positive: ['receivers:\n- name: oncall\n  pagerduty_configs:\n  - routing_key: d527cd38fa7c66414199aaae75da3d09', 'PAGERDUTY_INTEGRATION_KEY=788dbf5f9044c5c491a32374c8925860'],
      negative: ['pagerduty_configs:\n  - routing_key_file: /etc/alertmanager/secrets/pd-key', 'PAGERDUTY_ROUTING_KEY=<routing-key>'],
    },
  },
  {
    id: 'opsgenie-api-key',
    title: 'Opsgenie API key',
    description: 'An Opsgenie API or integration key: it creates and closes alerts and, for API keys, reads and changes teams, schedules and escalations.',
    keywords: ['opsgenie', 'geniekey'],
    pattern: String.raw`(?:(?<![A-Za-z0-9])${anyCase('opsgenie')}${GAP}${anyCase('api[_-]?key|key')}[\w.-]{0,12}?${ASSIGN}|GenieKey[\t ]{1,4})(?<secret>${UUID})(?![A-Za-z0-9])`,
    entropy: 3,
    examples: {
      positive: ['opsgenie_configs:\n  - api_key: 3e5dd3d5-6daa-44b1-8657-badb160c9e43', 'curl -H "Authorization: GenieKey a581d158-9c5e-490b-a6ef-0df0fc6f8121" https://api.opsgenie.com/v2/alerts', 'OPSGENIE_API_KEY=910240ab-07d9-447f-9936-b5c9c6ac07f6'],
      negative: ['OPSGENIE_API_KEY=${OPSGENIE_API_KEY}', 'opsgenie_configs:\n  - api_key_file: /etc/alertmanager/opsgenie'],
    },
  },
  {
    id: 'lightstep-access-token',
    title: 'Lightstep (ServiceNow Cloud Observability) access token',
    description: 'A Lightstep project access token: it sends traces, metrics and logs into the project.',
    severity: 'medium',
    keywords: ['lightstep'],
    pattern: keyed('lightstep', String.raw`access[_-]?token|token`, '[A-Za-z0-9+/]{32,128}={0,2}', '(?![A-Za-z0-9_+/=-])'),
    entropy: 3.5,
    examples: {
      positive: ['exporters:\n  otlp/lightstep:\n    headers:\n      lightstep-access-token: aYtumxY8tg1UhLGVhLQfmsZAqjK2UZGTqprZWSJkuTvrADfGXimr5ZPceBL8ozDygCU7cyJBr7znbZenvpXy', 'LIGHTSTEP_ACCESS_TOKEN=bMtXk9VigN518FTykHKcu9JsNsQKH9C3'],
      negative: ['lightstep-access-token: ${LS_ACCESS_TOKEN}', 'LIGHTSTEP_ACCESS_TOKEN=<project-token>'],
    },
  },
  {
    id: 'rollbar-access-token',
    title: 'Rollbar access token',
    description: 'A Rollbar project or account access token: server tokens post errors, read and write tokens read and change the project\'s items and settings.',
    keywords: ['rollbar'],
    pattern: keyed('rollbar', String.raw`access[_-]?token|token|key`, '[a-f0-9]{32}'),
    entropy: 3,
    examples: {
      positive: ['ROLLBAR_ACCESS_TOKEN=fd6dc6ebadb063186631842f854133f3', 'rollbar:\n  accessToken: "1be6bd3d7a36abe8c426bae92de2943a"'],
      negative: ['ROLLBAR_ACCESS_TOKEN=${ROLLBAR_TOKEN}', 'ROLLBAR_ENV=production'],
    },
  },
  {
    id: 'bugsnag-api-key',
    title: 'Bugsnag API key',
    description: 'A Bugsnag project notifier key: it reports errors and sessions into the project (it is often shipped in apps, so impact is limited).',
    severity: 'medium',
    keywords: ['bugsnag'],
    pattern: keyed('bugsnag', String.raw`api[_-]?key|notifier[_-]?key|key`, '[a-f0-9]{32}'),
    entropy: 3,
    examples: {
      positive: ['BUGSNAG_API_KEY=d3544fa6b9909eba5eaa2fe103a97794'],
      negative: ['BUGSNAG_API_KEY=<api-key>', 'BUGSNAG_RELEASE_STAGE=production'],
    },
  },

  // Search: Algolia admin and write keys (search-only keys are public by design and not reported).
  {
    id: 'algolia-admin-key',
    title: 'Algolia admin API key',
    description: 'An Algolia admin or write API key: it changes and deletes indices, records, settings and other API keys of the application.',
    keywords: ['algolia'],
    pattern: keyed('algolia', String.raw`admin[_-]?(?:api[_-]?)?key|write[_-]?(?:api[_-]?)?key`, '[a-f0-9]{32}'),
    entropy: 3,
    examples: {
      positive: ['ALGOLIA_ADMIN_KEY=594c1887233c87177016a8d005875a97', 'ALGOLIA_WRITE_API_KEY: "62c4672be8568a5c3db06d346bf20e5e"'],
      negative: ['ALGOLIA_SEARCH_KEY=e28425a0ef0b983264e413a8c3b68fe6', 'ALGOLIA_ADMIN_KEY=${ALGOLIA_ADMIN_KEY}'],
    },
  },

  // AI platforms: OpenAI, Anthropic, Cohere, Mistral, Groq, Perplexity, Pinecone.
  {
    id: 'openai-project-key',
    title: 'OpenAI project API key',
    description: 'An OpenAI project API key (sk-proj-): model and API access billed to the project, within the key\'s permissions.',
    keywords: ['sk-proj-'],
    pattern: String.raw`${B}sk-proj-[A-Za-z0-9_-]{40,250}${E}`,
    entropy: 4,
    checks: ['not-example'],
    examples: {
      positive: ['OPENAI_API_KEY=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'],
      negative: ['OPENAI_API_KEY=sk-proj-...', 'OPENAI_API_KEY=sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    },
  },
  {
    id: 'openai-service-account-key',
    title: 'OpenAI service account key',
    description: 'An OpenAI service account API key (sk-svcacct-): model and API access for a project, not tied to a person.',
    keywords: ['sk-svcacct-'],
    pattern: String.raw`${B}sk-svcacct-[A-Za-z0-9_-]{40,250}${E}`,
    entropy: 4,
    checks: ['not-example'],
    examples: {
      positive: ['OPENAI_API_KEY=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'],
      negative: ['OPENAI_API_KEY=sk-svcacct-<key>'],
    },
  },
  {
    id: 'openai-admin-key',
    title: 'OpenAI admin API key',
    description: 'An OpenAI organisation admin key (sk-admin-): it manages projects, members, API keys, rate limits and usage of the whole organisation.',
    severity: 'critical',
    keywords: ['sk-admin-'],
    pattern: String.raw`${B}sk-admin-[A-Za-z0-9_-]{40,250}${E}`,
    entropy: 4,
    checks: ['not-example'],
    examples: {
      positive: ['OPENAI_ADMIN_KEY=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'],
      negative: ['OPENAI_ADMIN_KEY=sk-admin-...'],
    },
  },
  {
    id: 'openai-api-key',
    title: 'OpenAI API key (user key)',
    description: 'An OpenAI user API key (sk-… with the T3BlbkFJ marker): model and API access billed to the organisation.',
    keywords: ['t3blbkfj'],
    pattern: String.raw`${B}sk-(?:None-)?[A-Za-z0-9_-]{20,74}T3BlbkFJ[A-Za-z0-9_-]{20,74}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['OPENAI_API_KEY=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', '  openai-key: "sk-None-OX3a3U4QFXJ3m0hKJsmsGYRWwMkMMYbe3Irl60T3BlbkFJUwB22TYxUlhqxzqO5ndCLtp6IjBixFzY3r9jGh"'],
      negative: ['OPENAI_API_KEY=sk-T3BlbkFJ', 'OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxT3BlbkFJxxxxxxxxxxxxxxxxxxxx'],
    },
  },
  {
    id: 'anthropic-api-key',
    title: 'Anthropic API key',
    description: 'An Anthropic Claude API key (sk-ant-api03-): model access billed to its workspace.',
    keywords: ['sk-ant-api03-'],
    pattern: String.raw`${B}sk-ant-api03-[A-Za-z0-9_-]{93}AA${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['ANTHROPIC_API_KEY=sk-ant-api03-6LS5ToVoMeHcsamUQUMeAwkPi1HKdM7gbqDwZPVFpju8WP7hk5H8h_kc5JxTo6LJep1Bbdk53hoxaMNFMwrFt94lLcTZJAA'],
      negative: ['ANTHROPIC_API_KEY=sk-ant-api03-...', 'ANTHROPIC_API_KEY=sk-ant-api03-LwAC7B56HRZ4LXieR7DgZbBFnMjZvcJ5diI5_XgMAA'],
    },
  },
  {
    id: 'anthropic-admin-key',
    title: 'Anthropic Admin API key',
    description: 'An Anthropic Admin API key (sk-ant-admin01-): it manages the organisation\'s members, workspaces and API keys.',
    severity: 'critical',
    keywords: ['sk-ant-admin01-'],
    pattern: String.raw`${B}sk-ant-admin01-[A-Za-z0-9_-]{93}AA${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['ANTHROPIC_ADMIN_KEY=sk-ant-admin01-DBlFD1aZfTq3Tf54XDLkJEocOgQ4yU4AByMZxS2knBLMLYKrfV1YQFMjQEXmXs6fAPWFcoZuwCwKo0hYKvKLA1UTY9EH1AA'],
      negative: ['ANTHROPIC_ADMIN_KEY=sk-ant-admin01-<key>'],
    },
  },
  {
    id: 'anthropic-oauth-token',
    title: 'Anthropic OAuth token',
    description: 'An Anthropic OAuth access or refresh token (sk-ant-oat01-, sk-ant-ort01-), as issued to Claude Code: model access as the signed-in account.',
    keywords: ['sk-ant-oat01-', 'sk-ant-ort01-'],
    pattern: String.raw`${B}sk-ant-o[ar]t01-[A-Za-z0-9_-]{80,120}${E}`,
    entropy: 4,
    checks: ['not-example'],
    examples: {
      positive: ['CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-mN0EAeoh_mrZG8RZRIZcMg67LmXg5cXqW6pukODwQm4RwmLQerluk4dmPLrpjPMlEEzulgoRtG6y6Qxmc26zz50txd4yjAA'],
      negative: ['CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-...'],
    },
  },
  {
    id: 'cohere-api-key',
    title: 'Cohere API key',
    description: 'A Cohere API key: model access billed to the account.',
    keywords: ['cohere', 'co_api_key'],
    pattern: keyed('cohere|co', String.raw`api[_-]?key|token`, '[A-Za-z0-9]{40}'),
    entropy: 3.5,
    examples: {
      positive: ['COHERE_API_KEY=sWEDBdC4GYtMQ6a8mmqvgzoqZt2c2cE6msvETh8b', 'CO_API_KEY: "HctIYurqPC67YTWs7KqlUXxcLVI8egLjMqBrQflf"'],
      negative: ['COHERE_API_KEY=${COHERE_API_KEY}', 'COHERE_MODEL=command-r-plus'],
    },
  },
  {
    id: 'mistral-api-key',
    title: 'Mistral AI API key',
    description: 'A Mistral AI API key: model access billed to the workspace.',
    keywords: ['mistral'],
    pattern: keyed('mistral', String.raw`api[_-]?key|token`, '[A-Za-z0-9]{32}'),
    entropy: 3.5,
    examples: {
      positive: ['MISTRAL_API_KEY=B59920aC58LdZXDdGFM8xQKgS4J3KFA0'],
      negative: ['MISTRAL_API_KEY=<api-key>', 'MISTRAL_MODEL=mistral-large-latest'],
    },
  },
  {
    id: 'groq-api-key',
    title: 'Groq API key',
    description: 'A GroqCloud API key (gsk_): model access billed to the organisation.',
    keywords: ['gsk_'],
    pattern: String.raw`${B}gsk_[A-Za-z0-9]{52}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['GROQ_API_KEY=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'],
      negative: ['GROQ_API_KEY=gsk_...', 'GROQ_API_KEY=gsk_HZ0goqTySXzmqJ5ELp2WUOnwKh4OqL'],
    },
  },
  {
    id: 'perplexity-api-key',
    title: 'Perplexity API key',
    description: 'A Perplexity API key (pplx-): model and search access billed to the account.',
    keywords: ['pplx-'],
    pattern: String.raw`${B}pplx-[A-Za-z0-9]{48}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['PERPLEXITY_API_KEY=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'],
      negative: ['PERPLEXITY_API_KEY=pplx-<key>', 'model: pplx-70b-online'],
    },
  },
  {
    id: 'pinecone-api-key',
    title: 'Pinecone API key',
    description: 'A Pinecone API key (pcsk_ or pckey_): read and write access to the project\'s vector indexes within its roles.',
    keywords: ['pcsk_', 'pckey_'],
    pattern: String.raw`${B}pc(?:sk|key)_[A-Za-z0-9]{4,12}_[A-Za-z0-9]{40,90}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['PINECONE_API_KEY=pcsk_oi2LMA_S3wEhjsakYv3IdtkC3OYF7DsfJx4UZE36RyrcRqWyTbj9CpK807146LDl12CHr4'],
      negative: ['PINECONE_API_KEY=pcsk_<label>_<secret>', 'PINECONE_API_KEY=pcsk_abc_def'],
    },
  },
  {
    id: 'pinecone-legacy-api-key',
    title: 'Pinecone API key (UUID)',
    description: 'A Pinecone API key in the older UUID form: read and write access to the project\'s vector indexes.',
    keywords: ['pinecone'],
    pattern: keyed('pinecone', String.raw`api[_-]?key|key`, UUID),
    entropy: 3,
    examples: {
      positive: ['PINECONE_API_KEY=7e78a6e3-fedb-4ceb-8059-ff56cfcacf4b'],
      negative: ['PINECONE_API_KEY=${PINECONE_API_KEY}', 'PINECONE_ENVIRONMENT=us-west1-gcp'],
    },
  },

  // Customer support, CRM and product analytics.
  {
    id: 'intercom-access-token',
    title: 'Intercom access token',
    description: 'An Intercom access token: it reads and changes the workspace\'s contacts, conversations and messages within the app\'s permissions.',
    keywords: ['intercom'],
    pattern: keyed('intercom', String.raw`access[_-]?token|api[_-]?(?:key|token)|token`, 'dG9rO[A-Za-z0-9+/_-]{40,120}={0,2}', '(?![A-Za-z0-9_+/=-])'),
    checks: ['not-example'],
    examples: {
      positive: ['INTERCOM_ACCESS_TOKEN=dG9rOmM5MDk1MzkxXzBhNDdfNGJhMV85ZTkzXzI5ZmYxY2IwZmYzZjoxOjA='],
      negative: ['INTERCOM_ACCESS_TOKEN=<access-token>', 'INTERCOM_APP_ID=c7grq5ez'],
    },
  },
  {
    id: 'zendesk-api-token',
    title: 'Zendesk API token',
    description: 'A Zendesk API token: with an agent\'s email it acts as that agent (often an admin) on tickets, users and settings.',
    keywords: ['zendesk'],
    pattern: keyed('zendesk', String.raw`api[_-]?token|token`, '[A-Za-z0-9]{40}'),
    entropy: 3.5,
    examples: {
      positive: ['ZENDESK_API_TOKEN=O25vO7c4cPqScZn93f2Xl6FB1HXaGNcDtscIlyBF', 'zendesk:\n  token: "di3wGJmv67LFpcT9RxZSG2rPnjuXMcZJBw8ldEs9"'],
      negative: ['ZENDESK_API_TOKEN=${ZENDESK_TOKEN}', 'ZENDESK_SUBDOMAIN=shopcom'],
    },
  },
  {
    id: 'hubspot-private-app-token',
    title: 'HubSpot private app access token',
    description: 'A HubSpot private app or personal access key (pat-na1-…): CRM and marketing API access to the portal within its scopes.',
    keywords: ['pat-na', 'pat-eu', 'pat-ap'],
    pattern: String.raw`${B}pat-(?:na|eu|ap)[0-9]{1,2}-${UUID}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['HUBSPOT_ACCESS_TOKEN=pat-na1-8d3c4313-4dac-4396-b1bf-2c5b1ad0351b', 'HUBSPOT_TOKEN: "pat-eu1-51627d85-cf9e-48db-bcf3-f56f4b81b0c3"'],
      negative: ['HUBSPOT_ACCESS_TOKEN=pat-na1-<token>', 'HUBSPOT_ACCESS_TOKEN=pat-na1-0000'],
    },
  },
  {
    id: 'hubspot-api-key',
    title: 'HubSpot API key (hapikey)',
    description: 'A legacy HubSpot API key (hapikey): it was retired in 2022, but where it still works it has full access to the portal.',
    severity: 'medium',
    keywords: ['hapikey', 'hubspot'],
    pattern: String.raw`(?:${anyCase('hapikey')}=|(?<![A-Za-z0-9])${anyCase('hubspot')}${GAP}${anyCase('api[_-]?key|hapikey')}[\w.-]{0,12}?${ASSIGN})(?<secret>${UUID})(?![A-Za-z0-9])`,
    entropy: 3,
    examples: {
      positive: ['https://api.hubapi.com/contacts/v1/lists/all/contacts/all?hapikey=7d353e76-ec97-4e33-9d53-12d58ae36795', 'HUBSPOT_API_KEY=5dd8a0fc-5417-4e3b-a038-68769ea25aef'],
      negative: ['https://api.hubapi.com/contacts/v1/lists?hapikey=demo', 'HUBSPOT_PORTAL_ID=03981354'],
    },
  },
  {
    id: 'salesforce-access-token',
    title: 'Salesforce access token',
    description: 'A Salesforce session or OAuth access token (org id, "!", token): API access to the org as its user until it expires.',
    keywords: ['00d'],
    pattern: String.raw`(?<![A-Za-z0-9])00D[A-Za-z0-9]{12,15}![A-Za-z0-9._]{80,130}(?![A-Za-z0-9._])`,
    checks: ['not-example'],
    examples: {
      positive: ['SF_ACCESS_TOKEN=00Dw7seU9zXG8Ic!d.vsHLZZ.SK2zYRE76dG.QTnEriRxHfeHI1.WO_y5lvWwkU.Cqdneim4fzROL8RWJCvcy_bhSqQnZ6biAAV5jKg1CvSCs9OK', 'Authorization: Bearer 00DyFdwGnXVucpRM5O!6s8k4LziNA5zsojDzEmnKCr3kPS.3oZeniGslgRXpAUk1TujJDAkMCrA0ut2.55ZiyxzyDE9.6ud26qVjvf4Z8tp4lYaxFKyaz1I'],
      negative: ['SF_ACCESS_TOKEN=00D000000000000!<session-id>', 'id: 00D5e000000abcdEAA'],
    },
  },
  {
    id: 'salesforce-refresh-token',
    title: 'Salesforce refresh token',
    description: 'A Salesforce OAuth refresh token (5Aep…): with the connected app\'s credentials it keeps minting access tokens to the org.',
    keywords: ['salesforce', 'sfdc', 'sf_'],
    pattern: keyed('salesforce|sfdc|sf', String.raw`refresh[_-]?token`, String.raw`5Aep[A-Za-z0-9._]{60,120}`, String.raw`(?![A-Za-z0-9._])`),
    checks: ['not-example'],
    examples: {
      positive: ['SALESFORCE_REFRESH_TOKEN=5Aep8616OsHky93SPImb4c2H4hYcFT93FCWtLRP_j4nYILTOHMRU54WZPW4DotTgBivc2eDYrMRkCiFsgVM_Km5'],
      negative: ['SALESFORCE_REFRESH_TOKEN=<refresh-token>'],
    },
  },
  {
    id: 'salesforce-consumer-secret',
    title: 'Salesforce connected app consumer secret',
    description: 'The consumer secret of a Salesforce connected app: with the consumer key it obtains tokens to the org through the app\'s OAuth flows.',
    keywords: ['salesforce', 'sfdc', 'sf_'],
    pattern: keyed('salesforce|sfdc|sf', String.raw`consumer[_-]?secret|client[_-]?secret`, '[A-F0-9]{64}|[0-9]{19}'),
    entropy: 2.5,
    examples: {
      positive: ['SALESFORCE_CLIENT_SECRET=8CFFAF5E18E6698607B13A57DDE1F7EFE56926D9480A217BF30B5D33949F1C87', 'SFDC_CONSUMER_SECRET: "0195438660669655123"'],
      negative: ['SALESFORCE_CLIENT_SECRET=${SF_SECRET}', 'SALESFORCE_CLIENT_ID=3MVG9AgTl6iTkEZKqmHBLq5ia8DU4OKPOP8KfXKFlGyWrDMc9LBNJ8wSvqP158BDRc61nhOOOqQ21t1hpNIGH'],
    },
  },
  {
    id: 'segment-public-api-token',
    title: 'Segment Public API token',
    description: 'A Segment (Twilio Segment) Public API token (sgp_): it manages the workspace\'s sources, destinations, warehouses and tracking plans.',
    keywords: ['sgp_'],
    pattern: String.raw`${B}sgp_[A-Za-z0-9]{60,70}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['SEGMENT_PUBLIC_API_TOKEN=sgp_QvgiqG6ECK5AiPIePV9kweWHiNTUqvvdGwix3g2u0O419bsKXrb1NpFoBm8L1vHi'],
      negative: ['SEGMENT_PUBLIC_API_TOKEN=sgp_<token>'],
    },
  },
  {
    id: 'segment-write-key',
    title: 'Segment write key',
    description: 'A Segment source write key: it sends tracking events into the source (browser sources expose it, server sources should not).',
    severity: 'medium',
    keywords: ['segment'],
    pattern: keyed('segment', String.raw`write[_-]?key`, '[A-Za-z0-9]{32}'),
    entropy: 3.5,
    examples: {
      positive: ['SEGMENT_WRITE_KEY=yW8QWBTkYKwOgJcUukkXQmi9NE4pePp7'],
      negative: ['SEGMENT_WRITE_KEY=${SEGMENT_WRITE_KEY}', 'segment: write key goes here'],
    },
  },
  {
    id: 'mixpanel-api-secret',
    title: 'Mixpanel API or service account secret',
    description: 'A Mixpanel project API secret or service account secret: it exports and imports the project\'s raw event data.',
    keywords: ['mixpanel'],
    pattern: keyed('mixpanel', String.raw`api[_-]?secret|service[_-]?account[_-]?secret|secret`, '[A-Za-z0-9]{32}'),
    entropy: 3,
    examples: {
      positive: ['MIXPANEL_API_SECRET=a37f2b63e3fc6793f0a68809d6d1290d', 'MIXPANEL_SERVICE_ACCOUNT_SECRET: "cKGNGThn9EsDLLmX9nAfk1YkjfmK3cRx"'],
      negative: ['MIXPANEL_TOKEN=9c30bf8155ffe6e8fc00d5cdd01057fc', 'MIXPANEL_API_SECRET=<secret>'],
    },
  },
  {
    id: 'amplitude-secret-key',
    title: 'Amplitude secret key',
    description: 'An Amplitude project secret key: with the API key it exports the project\'s event data and manages cohorts and taxonomy.',
    keywords: ['amplitude'],
    pattern: keyed('amplitude', String.raw`secret[_-]?key|secret`, '[a-f0-9]{32}'),
    entropy: 3,
    examples: {
      positive: ['AMPLITUDE_SECRET_KEY=e05d51b764512746a86cdfd24663e5fa'],
      negative: ['AMPLITUDE_API_KEY=ada91032a2c22bbfec0616d53ebfd541', 'AMPLITUDE_SECRET_KEY=${AMPLITUDE_SECRET}'],
    },
  },

  // Productivity and storage: Airtable, Dropbox, Box, Typeform, Calendly, Zoom, Frame.io.
  {
    id: 'airtable-personal-access-token',
    title: 'Airtable personal access token',
    description: 'An Airtable personal access token (pat….…): API access to the bases and scopes it was granted.',
    keywords: ['pat'],
    pattern: String.raw`${B}pat[A-Za-z0-9]{14}\.[a-f0-9]{64}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['AIRTABLE_TOKEN=patB3qtgyPdwf9JHg.35f5625a155d6167c39f838e45519ab0a2ee21a9dfd1318e76f5748e12482405'],
      negative: ['AIRTABLE_TOKEN=pat<token-id>.<secret>', 'path: pattern.890c0f7aaa8d406c8913a7df1706ef718d8bb53ad4290b66c9c42064a8243657'],
    },
  },
  {
    id: 'airtable-api-key',
    title: 'Airtable API key (legacy)',
    description: 'A legacy Airtable API key (key…): retired in 2024, but where accepted it has the user\'s access to every base.',
    severity: 'medium',
    keywords: ['airtable'],
    pattern: keyed('airtable', String.raw`api[_-]?key|key`, '(?:key)[A-Za-z0-9]{14}'),
    entropy: 3,
    checks: ['not-example'],
    examples: {
      positive: ['AIRTABLE_API_KEY=key9tvq3Dc0SlYRps'],
      negative: ['AIRTABLE_API_KEY=keyXXXXXXXXXXXXXX', 'AIRTABLE_BASE_ID=appKYg9AOOcLf34Hj'],
    },
  },
  {
    id: 'dropbox-short-lived-token',
    title: 'Dropbox short-lived access token',
    description: 'A Dropbox short-lived access token (sl.): access to the user\'s or team\'s files within the app\'s scopes for up to four hours.',
    severity: 'medium',
    keywords: ['sl.'],
    pattern: String.raw`(?<![A-Za-z0-9_.-])sl\.(?:u\.)?[A-Za-z0-9_-]{120,1500}${E}`,
    entropy: 4,
    checks: ['not-example'],
    examples: {
      positive: ['DROPBOX_ACCESS_TOKEN=sl.dGTZh_hKoKGzbDnzmbUTrYxnqpBsGVRm181rkFYBlpFGoFX9EWrzfJUkutDivzotE6Elo5doWS7R_eYi2itYhBbpRNaedr55zyQk0XWJD6LJyCO7HkqCst8xEvjbyizyTaDb9WdjeQ', 'token: sl.u.jn4o0OZPohW8eJkaYZT1z3SrUEq8ciSaony7ewxu77OKa6sgLf_swzHEcwloDSidmHeDPTn_deO8xgW-2WoEis73EWMGT7RMjOC6ajl7shiNPV6mAst0Iu7_LvLVVWUsX8GgR8GpAB0Jht6GX1GOoGY6sMLhzE_7mNrQSOs9a_M9Xzqfd1s-SAeX-xba-B9OyJYXjtSoQ4lnO1wqy8mN8XcWkioww0B8C7Eb1t8yWEVasrKl0cDGwQLmMhEEHqBft9xIfW7a21oE22mc4VRzFZ11k87n1FUJljdOqi92UIUP0zWHPW5cSQ2yQDgTg8fFi8j0jD7hSmRsq8vk1bCHLpkkATgIBdfMv63rZx1OT01L-TKodG4KvPs5hDhQoPPCw3CZVoVAhoMBImxucWDr6VZaBMkrsH2xGJGq73TWqGpaj-7k0gaySPA5tex40DG7dy3dHZxKQyh057PWuBy0RcRDgTyuuRg9Hly6FWvH4uDpQJ8FAdSBROQsacgYyX6X1w9nZKux-BCeXwhJ64d3KdKiQGd6uor2Pe0hobNdM7NDPppBen-ryZtyRCyJYYw7xwxsBDEBCCeDX6Bbeku7VWxv'],
      negative: ['DROPBOX_ACCESS_TOKEN=sl.<token>', 'ssl.5PCNMg4syyojqro8B-ahetH_0o8aEOtcl2QxNpKJZPIQZoQU_usudkfVpqGVjzahWOB6YM4_PrPJJFUe_s34180LrT9ti2vBpGhnd84VMWw1CQNvqH303PQU3mzUzq6UqFBmJcvwLR'],
    },
  },
  {
    id: 'dropbox-api-token',
    title: 'Dropbox long-lived or refresh token',
    description: 'A Dropbox long-lived access token or refresh token: lasting access to the files within the app\'s scopes.',
    keywords: ['dropbox'],
    pattern: keyed('dropbox', String.raw`access[_-]?token|refresh[_-]?token|token`, '[A-Za-z0-9_-]{64}'),
    entropy: 3.5,
    checks: ['not-example'],
    examples: {
      positive: ['DROPBOX_REFRESH_TOKEN=gKL0kPl0aWn2kb_hamWgCnSBK3NI5haR5RiJnYAtVOIq6cOeBn9m_Rk-KUzUnqZB', 'dropbox:\n  accessToken: "ITYIQr1qmprAAAAAAAAAAIT-pyJD2M5jFGlqxpw2l-RouX8W5zQEFf1D2zEnE7Mr"'],
      negative: ['DROPBOX_REFRESH_TOKEN=${DROPBOX_REFRESH_TOKEN}', 'DROPBOX_APP_KEY=coagjkmelk514p0'],
    },
  },
  {
    id: 'box-client-secret',
    title: 'Box client secret or developer token',
    description: 'A Box application client secret or developer token: with the client id, API access to the enterprise\'s content as the app or its user.',
    keywords: ['box'],
    pattern: keyed('box', String.raw`client[_-]?secret|developer[_-]?token|access[_-]?token`, '[A-Za-z0-9]{32}'),
    entropy: 3.5,
    examples: {
      positive: ['BOX_CLIENT_SECRET=HnFepFmvoSODqWLntTWT9bo8tdFj7Eo1', 'BOX_DEVELOPER_TOKEN: "QJc8WnPwWybva4DgtZGwFu6zGn0T1ESw"'],
      negative: ['SANDBOX_CLIENT_SECRET=1VCpWql6EnwbWvaiWbgarW9R4GaIfET3', 'BOX_CLIENT_SECRET=${BOX_CLIENT_SECRET}'],
    },
  },
  {
    id: 'typeform-personal-access-token',
    title: 'Typeform personal access token',
    description: 'A Typeform personal access token (tfp_): it reads, changes and deletes the account\'s forms, responses and webhooks within its scopes.',
    keywords: ['tfp_'],
    pattern: String.raw`${B}tfp_[A-Za-z0-9_-]{40,80}${E}`,
    entropy: 3.3,
    checks: ['not-example'],
    examples: {
      positive: ['TYPEFORM_TOKEN=tfp_nybPIiBi4yZ2RvqOpPrmwtkjM8xWR8t1cRdCpAoqdRLD_wpqC5gzP9FcZCp', 'TYPEFORM_TOKEN=tfp_07f77b704468e685fc3013fb7c94fb6f6828a96b'],
      negative: ['TYPEFORM_TOKEN=tfp_<token>', 'TYPEFORM_TOKEN=tfp_short'],
    },
  },
  {
    id: 'calendly-personal-access-token',
    title: 'Calendly personal access token',
    description: 'A Calendly personal access token (a JWT): API access to the user\'s or organisation\'s events, invitees and webhooks.',
    keywords: ['calendly'],
    pattern: keyed('calendly', String.raw`access[_-]?token|api[_-]?(?:key|token)|token`, String.raw`eyJ[A-Za-z0-9_-]{10,1024}\.eyJ[A-Za-z0-9_-]{10,4096}\.[A-Za-z0-9_-]{20,1024}`),
    examples: {
      positive: ['CALENDLY_API_TOKEN=eyJraWQiOiI4ZjU2MzBlMyIsInR5cCI6IlBBVCIsImFsZyI6IkVTNTEyIn0.eyJpc3MiOiJodHRwczovL2F1dGguY2FsZW5kbHkuY29tIiwiaWF0IjoxNzE2MjM5MDIyLCJqdGkiOiI0ZjM1YTEwYS0wNDBkLTQzMmItOThjZi0zNDlmYzc2MDcyMmQiLCJ1c2VyX3V1aWQiOiI2NzFkMGVhZC1iYTllLTQ4OTQtYWI3My1jODBhN2IxZmVjYzEifQ.y8KobzGf1FS5nkgXrEGzuGwJxYGOBXs-It5rh94u_eq9HP0L38mnSQ0KYedGAhVu_utYAcQNuxYr_exMSff08O'],
      negative: ['CALENDLY_API_TOKEN=${CALENDLY_TOKEN}', 'CALENDLY_API_TOKEN=eyJhbGciOiJub25lIn0.e30.'],
    },
  },
  {
    id: 'zoom-client-secret',
    title: 'Zoom app client secret',
    description: 'The client secret (or webhook secret token) of a Zoom app: with the client id it obtains OAuth tokens for the account\'s meetings, users and recordings.',
    keywords: ['zoom'],
    pattern: keyed('zoom', String.raw`client[_-]?secret|api[_-]?secret|secret[_-]?token|webhook[_-]?secret`, '[A-Za-z0-9_-]{22,40}'),
    entropy: 3.5,
    checks: ['not-example'],
    examples: {
      positive: ['ZOOM_CLIENT_SECRET=BzR1RjDErxRvwTWqtgzC9JUkERrF7bdf', 'zoom:\n  clientSecret: "9nEMXUtfpPfJqtHt6enhYgXhT1HUramF"'],
      negative: ['ZOOM_CLIENT_SECRET=${ZOOM_CLIENT_SECRET}', 'ZOOM_ACCOUNT_ID=LVNxk0DdFIiIIhq0toR_nE'],
    },
  },
  {
    id: 'frameio-developer-token',
    title: 'Frame.io developer token',
    description: 'A Frame.io developer token (fio-u-): API access with the user\'s permissions to their teams\' projects and assets.',
    keywords: ['fio-u-'],
    pattern: String.raw`${B}fio-u-[A-Za-z0-9_=-]{64}(?![A-Za-z0-9_=-])`,
    checks: ['not-example'],
    examples: {
      positive: ['FRAMEIO_TOKEN=fio-u-BzTh13M44dQDNEFsQvUw4gTYkgSnAsHLr9Cr57AEdl3KRM4dMXwxhevibIAETmip'],
      negative: ['FRAMEIO_TOKEN=fio-u-<token>'],
    },
  },

  // Identity: Okta, Auth0.
  {
    id: 'okta-api-token',
    title: 'Okta API token',
    description: 'An Okta API token (SSWS): it acts with its creating administrator\'s rights, often over every user, group and application of the org.',
    severity: 'critical',
    keywords: ['okta', 'ssws'],
    pattern: String.raw`(?:(?<![A-Za-z0-9])${anyCase('okta')}${GAP}${anyCase('api[_-]?token|token|api[_-]?key')}[\w.-]{0,12}?${ASSIGN}|SSWS[\t ]{1,4})(?<secret>00[A-Za-z0-9_-]{40})${E}`,
    entropy: 3.5,
    checks: ['not-example'],
    examples: {
      positive: ['OKTA_API_TOKEN=00Rk49FbxrznfJJ6wZlTi99QYkDC-YXCiW0uOZrqvK', 'curl -H "Authorization: SSWS 00PLC6Sc1I94O3eY_tp5T_Kyliv13euQAE02PavQLb" https://acme.okta.com/api/v1/users'],
      negative: ['OKTA_API_TOKEN=${OKTA_API_TOKEN}', 'OKTA_CLIENT_ID=0oaPOnAHnicRd3EGgzrN'],
    },
  },
  {
    id: 'auth0-client-secret',
    title: 'Auth0 client secret',
    description: 'An Auth0 application client secret: with the client id it obtains tokens as the application, including Management API tokens if it is authorised for them.',
    keywords: ['auth0'],
    pattern: keyed('auth0', String.raw`client[_-]?secret|secret`, '[A-Za-z0-9_-]{64}'),
    entropy: 4,
    checks: ['not-example'],
    examples: {
      positive: ['AUTH0_CLIENT_SECRET=WSvPuHTouSCWY-GnGMuadffVILT0n7SiyCIcz1kI9HHW7ravnb-8BHdXtwl5lZuO', 'auth0:\n  clientSecret: "v7Ffx8dEKqkmaVfvxKBbYxTqTnr1pIsNb4zYr8IAY_8n9AX1FBNnUx_IOgpvJe7e"'],
      negative: ['AUTH0_CLIENT_SECRET=${AUTH0_CLIENT_SECRET}', 'AUTH0_CLIENT_ID=5iQmk2obGcTaoOAxV4S7DyJ1rJErxegH'],
    },
  },

  // Social platforms: Twitch, Twitter/X, Facebook/Meta, LinkedIn.
  {
    id: 'twitch-client-secret',
    title: 'Twitch client secret or OAuth token',
    description: 'A Twitch application client secret or OAuth token: it obtains or is an API token for the app or the authorising user\'s channel and chat.',
    keywords: ['twitch'],
    pattern: keyed('twitch', String.raw`client[_-]?secret|secret|oauth[_-]?token|access[_-]?token|token`, '(?:oauth:)?[a-z0-9]{30}'),
    entropy: 3.5,
    examples: {
      positive: ['TWITCH_CLIENT_SECRET=o5ru62ukf2d5np0rcn6m53vhmi6yg8', 'TWITCH_OAUTH_TOKEN: "oauth:2dh41g46wv5evi2lfncdywl3bhlmtk"'],
      negative: ['TWITCH_CLIENT_SECRET=${TWITCH_SECRET}', 'TWITCH_CHANNEL=shopcom_live'],
    },
  },
  {
    id: 'twitter-bearer-token',
    title: 'Twitter/X API bearer token',
    description: 'A Twitter/X app-only bearer token: read access to the API as the app, on the account\'s quota.',
    keywords: ['aaaaaaaaaaaaaaaaaaaaa'],
    pattern: String.raw`(?<![A-Za-z0-9%])A{21}[A-Za-z0-9%]{60,140}(?![A-Za-z0-9%])`,
    entropy: 3.5,
    checks: ['not-example'],
    examples: {
      positive: ['TWITTER_BEARER_TOKEN=AAAAAAAAAAAAAAAAAAAAAkzprAAAAAAAtiSYVKxUPfsyfhpRxdgZ%2B4WoexmPSoHfk%3Ds5E71YmUTmwUy6gFuNdMpLxDnNpKNtFx4CDdm5SynCZJWpfqrE'],
      negative: ['TWITTER_BEARER_TOKEN=AAAAAAAAAAAAAAAAAAAAA', 'TWITTER_BEARER_TOKEN=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    },
  },
  {
    id: 'twitter-api-secret',
    title: 'Twitter/X API secret',
    description: 'A Twitter/X consumer (API key) secret or access token secret: with its key it signs requests as the app or the user.',
    keywords: ['twitter'],
    pattern: keyed('twitter', String.raw`(?:api|consumer)[_-]?(?:key[_-]?)?secret|access[_-]?(?:token[_-]?)?secret`, '[A-Za-z0-9]{35,50}'),
    entropy: 3.5,
    examples: {
      positive: ['TWITTER_API_SECRET=zv119IBjHXNZvJOjvggndUNvOhNYvnjVS2FdsAvgxHs9CZCSyu', 'TWITTER_ACCESS_TOKEN_SECRET: "MTGlO1Dai2UMeSWglAf5UWThpHmpuw44dULmrg0p8Jpqk"'],
      negative: ['TWITTER_API_SECRET=${TWITTER_API_SECRET}', 'TWITTER_API_KEY=bUsnIVwAM22piNBtYe5kl3oN6'],
    },
  },
  {
    id: 'facebook-access-token',
    title: 'Facebook (Meta) access token',
    description: 'A Facebook/Meta Graph API access token (EAA…): it acts as the user, page, system user or app it was issued to (Pages, Ads, WhatsApp, Instagram).',
    keywords: ['facebook', 'fb_', 'fb-', 'meta_', 'meta-', 'whatsapp', 'instagram', 'eaacedeose0cba'],
    pattern: String.raw`${keyed('facebook|fb|meta|whatsapp|instagram|graph', String.raw`access[_-]?token|token`, 'EAA[A-Za-z0-9]{80,400}', '(?![A-Za-z0-9])')}|(?<![A-Za-z0-9])EAACEdEose0cBA[A-Za-z0-9]{20,400}(?![A-Za-z0-9])`,
    entropy: 4,
    checks: ['not-example'],
    examples: {
      positive: ['FACEBOOK_ACCESS_TOKEN=EAAQXgTrt4AwHUs6HEU0NSKAZ3jy0i69A7oh3ymzYRRCBt5CKkVIcv1EYoMgcVH1stkU6C3tTe0sgAm7QfBdKSjFgARs7lFQo2Wd8awh48GQMUWmNfS9RGksICKSwNtkXafYaWn2wuCLvV9o9Trw7cx94WkRcHwsYcRZAELhzj6JOBol99c95AO', 'WHATSAPP_TOKEN: "EAAksPV71or0vKZSbJBQtBODPDLVMgeDFIkOAjL5rAw4tjm2xLDOC1Uuwvdn21WFmNvXc8RNDFo0m0RofFTldg6KAI1dR6Iy8yWKSyknUAjH1VXa6Ncz0cAZ35g6dK7d7M1YSuLNlWsdgkKw9jEIYhAoUA2zAwbE4yVeTIL0j1GQ7rJHJjOVQ4oZazjAHqUGiCXdTmOkLYk"', 'token=EAACEdEose0cBA6WuYQbCj3dNRsV9M5RfrHRdJz6aGTEb4RogZDMUiZ1OZC1wM2vdC0wxWjpYN1clCzq41Yz2VsrMBncOjEGmxYeUtbJCC7qWJy7CGcVHILfVA8RpofKrFCQwGfAhhyLyoHJROLCVP3KjFBvVRlQJNoH'],
      negative: ['FACEBOOK_ACCESS_TOKEN=EAAxxxxxxxx', 'FACEBOOK_ACCESS_TOKEN=${FB_TOKEN}', 'SQUARE_ACCESS_TOKEN=EAAAowxk5UDKgDYTLnTBLGas6BbbTWk9nF_lPIyuUoOAejhUIZaVyeDAkXa8Tuuv'],
    },
  },
  {
    id: 'facebook-app-secret',
    title: 'Facebook (Meta) app secret',
    description: 'A Facebook/Meta app secret: it obtains app access tokens and signs API calls as the app, and verifies its webhooks.',
    keywords: ['facebook', 'fb_', 'fb-', 'meta_', 'meta-', 'whatsapp', 'instagram'],
    pattern: keyed('facebook|fb|meta|whatsapp|instagram', String.raw`app[_-]?secret|client[_-]?secret`, '[a-f0-9]{32}'),
    entropy: 3,
    examples: {
      positive: ['FACEBOOK_APP_SECRET=4674b291aaa478cc7f4d92c88184aeab', 'FB_CLIENT_SECRET: "01cc1dc993e6ddb307cb259f8fddf7b5"'],
      negative: ['FACEBOOK_APP_ID=6081152779802921', 'FACEBOOK_APP_SECRET=${FACEBOOK_APP_SECRET}'],
    },
  },
  {
    id: 'linkedin-client-secret',
    title: 'LinkedIn client secret',
    description: 'The client secret of a LinkedIn developer application: with the client id it obtains access tokens for the app\'s granted products.',
    keywords: ['linkedin'],
    pattern: keyed('linkedin', String.raw`client[_-]?secret|secret`, String.raw`WPL_AP[0-9]\.[A-Za-z0-9+/=._-]{16,80}|[A-Za-z0-9]{16}`, '(?![A-Za-z0-9_+/=.-])'),
    entropy: 3,
    examples: {
      positive: ['LINKEDIN_CLIENT_SECRET=0arPgSgIuJ5KqiRp', 'linkedin:\n  clientSecret: "WPL_AP1.BdazUpvtZLLtlkxY.HX3qovGKm4fJ=="'],
      negative: ['LINKEDIN_CLIENT_SECRET=${LINKEDIN_SECRET}', 'LINKEDIN_CLIENT_ID=brcw5pwnxd34d0'],
    },
  },

  // Crypto and finance: Coinbase, Plaid.
  {
    id: 'coinbase-api-secret',
    title: 'Coinbase API secret',
    description: 'A legacy Coinbase API key secret: with the key it signs requests that can read balances and, with wallet scopes, send funds.',
    keywords: ['coinbase'],
    pattern: keyed('coinbase', String.raw`api[_-]?secret|secret`, '[A-Za-z0-9]{32}'),
    entropy: 3.5,
    examples: {
      positive: ['COINBASE_API_SECRET=evrXLfgCEHcELeeMhPp30bnZG09mCW4g'],
      negative: ['COINBASE_API_SECRET=${COINBASE_API_SECRET}', 'COINBASE_API_KEY=7eYVXMmyv7sWl9HS'],
    },
  },
  {
    id: 'plaid-access-token',
    title: 'Plaid access token',
    description: 'A Plaid production or development access token: with the client credentials it reads the linked bank account\'s balances, transactions and identity.',
    keywords: ['access-production-', 'access-development-'],
    pattern: String.raw`${B}access-(?:production|development)-${UUID}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['PLAID_ACCESS_TOKEN=access-production-4aa39a1b-b209-443e-b37e-d77e09aef7a0'],
      negative: ['PLAID_ACCESS_TOKEN=access-sandbox-0214d7ac-41b1-4c54-ba6c-7bccaff3dbec', 'PLAID_ACCESS_TOKEN=access-production-<item>'],
    },
  },
  {
    id: 'plaid-secret',
    title: 'Plaid secret',
    description: 'A Plaid API secret: with the client id it calls Plaid for every linked item of the environment.',
    keywords: ['plaid'],
    pattern: keyed('plaid', String.raw`secret(?:[_-]?key)?`, '[a-f0-9]{30}'),
    entropy: 3,
    examples: {
      positive: ['PLAID_SECRET=9b631f51a4a5b83c77a1f779656de4', 'plaid:\n  secret: "fa55392ba585e677b2140b83bafc26"'],
      negative: ['PLAID_CLIENT_ID=779f7bf01d85e82fd65abbab', 'PLAID_SECRET=${PLAID_SECRET}'],
    },
  },

  // Shipping and travel: Duffel, EasyPost, Lob, Shippo; payments: Flutterwave.
  {
    id: 'duffel-live-token',
    title: 'Duffel live access token',
    description: 'A Duffel live-mode access token (duffel_live_): it searches and books real flights and stays charged to the account.',
    keywords: ['duffel_live_'],
    pattern: String.raw`${B}duffel_live_[A-Za-z0-9_-]{43}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['DUFFEL_ACCESS_TOKEN=duffel_live_tav1bfz8W-sYu3KqFu-M0g1M2PmtznbNUhny-Tantuz'],
      negative: ['DUFFEL_ACCESS_TOKEN=duffel_live_<token>'],
    },
  },
  {
    id: 'duffel-test-token',
    title: 'Duffel test access token',
    description: 'A Duffel test-mode access token (duffel_test_): sandbox bookings only.',
    severity: 'low',
    keywords: ['duffel_test_'],
    pattern: String.raw`${B}duffel_test_[A-Za-z0-9_-]{43}${E}`,
    examples: {
      positive: ['DUFFEL_ACCESS_TOKEN=duffel_test_sQCZAsiuIXCtkN9CvreSXfgG5-neM6zBQd0S2vUvTSh'],
      negative: ['DUFFEL_ACCESS_TOKEN=duffel_test_...'],
    },
  },
  {
    id: 'easypost-api-key',
    title: 'EasyPost production API key',
    description: 'An EasyPost production API key (EZAK): it buys postage and reads shipments and addresses on the account.',
    keywords: ['ezak'],
    pattern: String.raw`(?<![A-Za-z0-9])EZAK[A-Za-z0-9]{54}(?![A-Za-z0-9])`,
    checks: ['not-example'],
    examples: {
      positive: ['EASYPOST_API_KEY=EZAKrSd1pfkXEDOV6WcLU4u9r1CwIjL5sY8jewuzi42WqVFF07xPUE4agR'],
      negative: ['EASYPOST_API_KEY=EZAK<key>', 'EASYPOST_API_KEY=EZAKZPiJ34b4furpNTEKKweM'],
    },
  },
  {
    id: 'easypost-test-api-key',
    title: 'EasyPost test API key',
    description: 'An EasyPost test API key (EZTK): test shipments only, no postage is bought.',
    severity: 'low',
    keywords: ['eztk'],
    pattern: String.raw`(?<![A-Za-z0-9])EZTK[A-Za-z0-9]{54}(?![A-Za-z0-9])`,
    checks: ['not-example'],
    examples: {
      positive: ['EASYPOST_TEST_API_KEY=EZTKaqU7JGpdniXAn822WZDmfPcwIpAmxkjF7BaA7y5HftLwigthC2a7SQ'],
      negative: ['EASYPOST_TEST_API_KEY=EZTK...'],
    },
  },
  {
    id: 'flutterwave-secret-key',
    title: 'Flutterwave live secret key',
    description: 'A Flutterwave live secret key (FLWSECK-): it charges customers, issues refunds and sends transfers from the merchant balance.',
    keywords: ['flwseck-'],
    pattern: String.raw`(?<![A-Za-z0-9_-])FLWSECK-[a-f0-9]{32}-X(?![A-Za-z0-9_-])`,
    checks: ['not-example'],
    examples: {
      positive: ['FLW_SECRET_KEY=FLWSECK-d9f7d4ea24eb7ebde7b124ccbfcc2c7e-X'],
      negative: ['FLW_SECRET_KEY=FLWSECK-<secret>-X', 'FLW_PUBLIC_KEY=FLWPUBK-01a5181c366dbae756c12e3f1a5c23a7-X'],
    },
  },
  {
    id: 'flutterwave-test-secret-key',
    title: 'Flutterwave test secret key',
    description: 'A Flutterwave test-mode secret key (FLWSECK_TEST-): sandbox transactions only.',
    severity: 'low',
    keywords: ['flwseck_test-'],
    pattern: String.raw`(?<![A-Za-z0-9_-])FLWSECK_TEST-[a-f0-9]{32}-X(?![A-Za-z0-9_-])`,
    examples: {
      positive: ['FLW_SECRET_KEY=FLWSECK_TEST-94bee5e76386c58e4d12caf726f1eafc-X'],
      negative: ['FLW_SECRET_KEY=FLWSECK_TEST-...'],
    },
  },
  {
    id: 'lob-live-api-key',
    title: 'Lob live API key',
    description: 'A Lob live secret API key (live_): it sends real letters, postcards and checks billed to the account, and reads addresses.',
    keywords: ['lob'],
    pattern: keyed('lob', String.raw`api[_-]?key|secret[_-]?key|key`, 'live_[a-f0-9]{35}'),
    checks: ['not-example'],
    examples: {
      positive: ['LOB_API_KEY=live_591adfbd155868bbd88d12cb359d8488db9'],
      negative: ['LOB_API_KEY=test_82cd8facf11383b2078b2d5b3755d24e7e6', 'LOB_PUBLISHABLE_KEY=live_pub_1b2f71bccc1ac510345f09035d074d6'],
    },
  },
  {
    id: 'shippo-live-token',
    title: 'Shippo live API token',
    description: 'A Shippo live API token (shippo_live_): it buys shipping labels billed to the account and reads its shipments.',
    keywords: ['shippo_live_'],
    pattern: String.raw`${B}shippo_live_[a-f0-9]{40}${E}`,
    checks: ['not-example'],
    examples: {
      positive: ['SHIPPO_API_TOKEN=shippo_live_65d108d2da7d179ba833287c3f0ef486bd42f304'],
      negative: ['SHIPPO_API_TOKEN=shippo_live_<token>'],
    },
  },
  {
    id: 'shippo-test-token',
    title: 'Shippo test API token',
    description: 'A Shippo test API token (shippo_test_): test labels only.',
    severity: 'low',
    keywords: ['shippo_test_'],
    pattern: String.raw`${B}shippo_test_[a-f0-9]{40}${E}`,
    examples: {
      positive: ['SHIPPO_API_TOKEN=shippo_test_53a5cd73de2dc046e19a4fb72f68d9a62555de8e'],
      negative: ['SHIPPO_API_TOKEN=shippo_test_...'],
    },
  },

  // Yandex: OAuth tokens (y0_…) and Yandex Cloud API keys (AQVN…).
  {
    id: 'yandex-oauth-token',
    title: 'Yandex OAuth token',
    description: 'A Yandex OAuth token (y0_…): access to the Yandex account\'s services it was granted; in Yandex Cloud it is exchanged for IAM tokens as the user.',
    keywords: ['y0_', 'y1_', 'y2_', 'y3_'],
    pattern: String.raw`${B}y[0-3]_[A-Za-z0-9_-]{50,80}${E}`,
    entropy: 4,
    checks: ['not-example'],
    examples: {
      positive: ['YC_TOKEN=y0_ABPRr6D83RrlHVr2-PG_XQx-dD5cB4Rn5tvUpRBL-6bseuV-pva9J4m', 'oauth_token: "y3_AzGdAHaZcopp62tqzmGzz5PZ2-M39FdTV-B0VdcQiXrvUl3FXchU-p2"'],
      negative: ['YC_TOKEN=y0_<oauth-token>', 'coords: y0_offset_y1_offset'],
    },
  },
  {
    id: 'yandex-cloud-api-key',
    title: 'Yandex Cloud API key',
    description: 'A Yandex Cloud service account API key (AQVN…): it calls Yandex Cloud services with the service account\'s roles.',
    keywords: ['aqvn'],
    pattern: String.raw`${B}AQVN[A-Za-z0-9_-]{35,38}${E}`,
    entropy: 4,
    checks: ['not-example'],
    examples: {
      positive: ['YC_API_KEY=AQVN5WWBX9Ioa6LEV_bfrcxYEMezE4hcfO6HgdV3'],
      negative: ['YC_API_KEY=AQVN<api-key>', 'YC_API_KEY=AQVNCXhe3rkdvZ8YNCaCCPLI'],
    },
  },
];
