import { anyCase, type DetectorSpec } from '../detector.ts';
import { ASSIGN, UUID } from './grammar.ts';

// Version control, CI/CD, package and container registries, and developer tooling. Patterns follow each
// provider's published token format (prefix, alphabet, length); where a provider has no prefix, the pattern asks
// for the provider's name in the key and an entropy floor. Every example secret is random and unlocks nothing.

/** Left edge of a prefixed token: not inside a longer word (a `-` before it is fine: `SIE-glpat-…`). */
const START = '(?<![A-Za-z0-9_])';
/** Right edge of a token whose alphabet includes `-` and `_`. */
const END = '(?![A-Za-z0-9_-])';

/**
 * A GitLab token: its documented prefix, a random part, and for routable tokens (GitLab 17.x and later) an
 * optional `.vv` version and a `.` + base-36 length and CRC32 suffix.
 */
function gitlab(prefix: string, body = '[0-9A-Za-z_-]{20,300}'): string {
  return String.raw`${START}${prefix}${body}(?:(?:\.[0-9a-z]{2})?\.[0-9a-z]{9})?${END}`;
}

/** A key name's tail (`_TOKEN_V2`), then the separator to its value. */
const KEY_TAIL_ASSIGN = String.raw`[\w.-]{0,12}${ASSIGN}`;

/**
 * A value assigned under a key that names the provider (`<provider>…<key>`), as in env files, YAML, JSON and
 * container env: `SONAR_TOKEN=…`, `"circleToken": "…"`. For tokens without a prefix of their own.
 */
function keyed(provider: string, key: string): string {
  return String.raw`${anyCase(provider)}[\w.-]{0,30}${anyCase(key)}${KEY_TAIL_ASSIGN}`;
}


export const VCS_CI_DETECTORS: readonly DetectorSpec[] = [
  // GitHub: prefixed tokens since 2021 (`gh?_` + base62 with a checksum), fine-grained PATs since 2022.
  {
    id: 'github-classic-pat',
    title: 'GitHub personal access token (classic)',
    description:
      'A classic GitHub personal access token: it acts as its user on every repository and organisation the user ' +
      'can reach, within its scopes (often `repo` and `workflow`), until revoked.',
    severity: 'critical',
    keywords: ['ghp_'],
    pattern: String.raw`${START}ghp_[A-Za-z0-9]{36,251}${END}`,
    checks: ['not-example'],
    examples: {
      positive: ['GITHUB_TOKEN=ghp_mgq7fVtfm2SRhsJku9pHm4WXMIitQh6ZURPD', '  token: "ghp_p1P8UXdOggYozjIQTGtJngovPQj4ypJLj1wc"'],
      negative: ['GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'token: ghp_JsK4D1U2acjjzPnl5E00', 'GITHUB_TOKEN=${GITHUB_TOKEN}'],
    },
  },
  {
    id: 'github-fine-grained-pat',
    title: 'GitHub fine-grained personal access token',
    description:
      'A fine-grained GitHub personal access token: access to the repositories and permissions chosen when it was ' +
      'created, as its user.',
    keywords: ['github_pat_'],
    pattern: String.raw`${START}github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59,200}${END}`,
    checks: ['not-example'],
    examples: {
      positive: ['GH_TOKEN=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', 'password: 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'],
      negative: ['token: github_pat_pVaFU1f2XYjdK5u1rbeRaI', 'Create one under Settings, it starts with github_pat_ and is shown once.'],
    },
  },
  {
    id: 'github-oauth-token',
    title: 'GitHub OAuth access token',
    description: 'An OAuth access token issued by a GitHub OAuth app: it acts as the authorising user within the granted scopes.',
    keywords: ['gho_'],
    pattern: String.raw`${START}gho_[A-Za-z0-9]{36,251}${END}`,
    checks: ['not-example'],
    examples: {
      positive: ['oauth_token: gho_uzvu5C5TwfNZ9EqjxRCEgUkyNmPdZE6cqKn1'],
      negative: ['oauth_token: gho_bYcp9ZA2Gnv74kTdOhAjZV3vCiFXIa', 'oauth_token: gho_<token>'],
    },
  },
  {
    id: 'github-app-user-token',
    title: 'GitHub App user access token',
    description: 'A user-to-server token of a GitHub App: it acts as the user, limited to what both the app and the user may do.',
    keywords: ['ghu_'],
    pattern: String.raw`${START}ghu_[A-Za-z0-9]{36,251}${END}`,
    checks: ['not-example'],
    examples: {
      positive: ['{"access_token":"ghu_1ij3CIL3xvUyC6Fy0zohomgYFMVzl2dyRS1D","token_type":"bearer"}'],
      negative: ['access_token: ghu_jLxsR0cp6wiN0l9m241U2Vq3T1K4LjfMjk7'],
    },
  },
  {
    id: 'github-app-installation-token',
    title: 'GitHub App installation token',
    description:
      'A server-to-server (installation) token of a GitHub App or the Actions GITHUB_TOKEN: short-lived, with the ' +
      'installation\'s permissions on its repositories.',
    keywords: ['ghs_'],
    pattern: String.raw`${START}ghs_[A-Za-z0-9]{36,251}${END}`,
    checks: ['not-example'],
    examples: {
      positive: ['git clone https://x-access-token:ghs_dP77w1Up17ExgWTBKnLGhed2ewvyFM1dSpID@github.com/acme/infra.git', 'GH_TOKEN: ghs_WL1JBkMqywH4maP1d1b7WqdBIvezrVwWjOtY'],
      negative: ['GH_TOKEN: ghs_zgwIulQbEyxE', 'GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}'],
    },
  },
  {
    id: 'github-app-refresh-token',
    title: 'GitHub App refresh token',
    description: 'A GitHub App refresh token: it mints new user access tokens for the app until it expires (six months).',
    keywords: ['ghr_'],
    pattern: String.raw`${START}ghr_[A-Za-z0-9]{36,251}${END}`,
    checks: ['not-example'],
    examples: {
      positive: ['refresh_token: ghr_fMGeaoYqijGDFzYmrodBAg1xr0ZxWT7kzMDYat48QRnCAdXVddFcDkuVYZ6A3GIArDUrqt05RGTQ'],
      negative: ['refresh_token: ghr_CbbZc9TWCmKXSrQZAiJu', 'refresh_token: ghr_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    },
  },
  {
    id: 'github-oauth-client-secret',
    title: 'GitHub OAuth or GitHub App client secret',
    description:
      'The client secret of a GitHub OAuth app or GitHub App (40 hex characters): with the client ID it completes ' +
      'OAuth flows as the app, e.g. for Dex, Argo CD or Backstage sign-in.',
    keywords: ['github', 'gh_client'],
    pattern: String.raw`${anyCase('github|gh')}[\w.-]{0,30}${anyCase('client[_-]?secret')}${KEY_TAIL_ASSIGN}(?<secret>[a-f0-9]{40})(?![A-Za-z0-9])`,
    entropy: 3,
    examples: {
      positive: ['GITHUB_CLIENT_SECRET=9168eded0e024675633de2837b89bc025308c9b4', '  github:\n    clientID: Iv1.c5cc5ad638a80ec3\n    githubClientSecret: "093cdd0c91215044ac8e890707695e6b76f4cadf"'],
      negative: ['GITHUB_CLIENT_SECRET=$(GITHUB_CLIENT_SECRET)', 'GITHUB_CLIENT_ID=1f97b84f90c9ad1002bc', 'GITHUB_CLIENT_SECRET=874375df052ca5598955324cf84f9451'],
    },
  },
  {
    id: 'github-actions-runner-registration-token',
    title: 'GitHub Actions runner registration token',
    description:
      'A registration token for a self-hosted GitHub Actions runner (29 upper-case characters, valid one hour): it ' +
      'registers a machine that then receives jobs, and their secrets, from the repository or organisation.',
    keywords: ['runner_token', 'runner-token', 'runnertoken', 'runner_registration_token', 'config.sh', 'config.cmd'],
    pattern: String.raw`(?:${anyCase('runner[_-]?(?:registration[_-]?)?token')}${KEY_TAIL_ASSIGN}|config\.(?:sh|cmd)[^\n]{0,200}--token[\s=]{1,3}["']?)(?<secret>[A-Z0-9]{29})(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['./config.sh --url https://github.com/acme --token DY52P9VAY1ILNHLZ5IK4XFQINMYIP --unattended', 'env:\n- name: RUNNER_TOKEN\n  value: Q58TBX2Z7RC4NHK6Z4AQ4SW0PNYZI'],
      negative: ['./config.sh --url https://github.com/acme --token ${RUNNER_TOKEN}', 'RUNNER_TOKEN=2QIN5FAZ0F2QHY6A2RGX'],
    },
  },

  // GitLab: every token type has a documented, fixed prefix (docs.gitlab.com/security/tokens), and since
  // GitLab 17.x routable tokens add a base-36 length and CRC suffix after a dot.
  {
    id: 'gitlab-personal-access-token',
    title: 'GitLab personal, project or group access token',
    description:
      'A GitLab personal, impersonation, project or group access token (`glpat-`): API, repository and registry ' +
      'access as its user or bot, within its scopes, often `api` (everything the user can do).',
    severity: 'critical',
    keywords: ['glpat-'],
    pattern: gitlab('glpat-'),
    entropy: 3,
    checks: ['not-example'],
    examples: {
      positive: ['GITLAB_TOKEN=glpat-Rvu14HLYQXg9MX3v2F80', '  password: glpat-Cbo1Hzqjn7L9aOupfQctuosrMqWsoXKKPdn5.01.jky3c2711', 'token: "glpat-o5D227TWW_4liaeXhhiwPsy5mmItFF4.iqjsy3azi"'],
      negative: ['GITLAB_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx', 'GITLAB_TOKEN=glpat-Q-L-F2iDmItb', 'GITLAB_TOKEN=glpat-${TOKEN}'],
    },
  },
  {
    id: 'gitlab-deploy-token',
    title: 'GitLab deploy token',
    description: 'A GitLab deploy token (`gldt-`): clone, pull or push a project\'s repository, container and package registries.',
    keywords: ['gldt-'],
    pattern: gitlab('gldt-'),
    entropy: 3,
    checks: ['not-example'],
    examples: {
      positive: ['{"auths":{"registry.gitlab.com":{"username":"gitlab+deploy-token-17","password":"gldt-E8TR0hUaopIvLFQlScXS"}}}'],
      negative: ['password: gldt-QFfSgYsCiA', 'password: gldt-<deploy-token>'],
    },
  },
  {
    id: 'gitlab-runner-authentication-token',
    title: 'GitLab runner authentication token',
    description:
      'A GitLab runner authentication token (`glrt-`, `glrtr-`): it lets a machine pick up CI jobs as that runner, ' +
      'with the job tokens, variables and secrets they carry.',
    keywords: ['glrt-', 'glrtr-'],
    pattern: gitlab('glrtr?-'),
    entropy: 3,
    checks: ['not-example'],
    examples: {
      positive: ['[[runners]]\n  url = "https://gitlab.com"\n  token = "glrt-BikRCOc8KE7iewTVwlle"', 'runner-token: glrt-t1_w7VdvTYu2Eb9dfuRLCAEZhZrm1w.5xposuwdf'],
      negative: ['token = "glrt-Y_MNNyg8"', 'token = "glrt-REPLACE_ME"'],
    },
  },
  {
    id: 'gitlab-runner-registration-token',
    title: 'GitLab runner registration token (legacy)',
    description:
      'A legacy GitLab runner registration token (`GR1348941`): it registers new runners for a project, group or ' +
      'instance, which then receive its CI jobs.',
    keywords: ['gr1348941'],
    pattern: String.raw`${START}GR1348941[0-9A-Za-z_-]{20}${END}`,
    entropy: 3,
    checks: ['not-example'],
    examples: {
      positive: ['gitlab-runner register --non-interactive --registration-token GR1348941923m5cIdNN6ozrSRQ-Ek', 'runnerRegistrationToken: "GR1348941UYH49jHdCqK7mHFcqmo7"'],
      negative: ['runnerRegistrationToken: "GR13489411eDipyrqCGf5"', 'runnerRegistrationToken: ""'],
    },
  },
  {
    id: 'gitlab-pipeline-trigger-token',
    title: 'GitLab pipeline trigger token',
    description: 'A GitLab pipeline trigger token (`glptt-`): it starts pipelines on any branch of its project, as the token\'s owner.',
    keywords: ['glptt-'],
    pattern: gitlab('glptt-'),
    entropy: 3,
    checks: ['not-example'],
    examples: {
      positive: ['curl -X POST -F token=glptt-e64d3ee74b2e08e9d5aa11e92cd1075ad77f57dc -F ref=main https://gitlab.com/api/v4/projects/42/trigger/pipeline'],
      negative: ['TRIGGER_TOKEN=glptt-338f1de93e2d'],
    },
  },
  {
    id: 'gitlab-feed-token',
    title: 'GitLab feed token',
    description: 'A GitLab feed token (`glft-`): it reads the user\'s RSS/Atom feeds and calendar, which can reveal private issue titles.',
    severity: 'medium',
    keywords: ['glft-'],
    pattern: gitlab('glft-'),
    entropy: 3,
    checks: ['not-example'],
    examples: {
      positive: ['feed: https://gitlab.com/dashboard/issues.atom?feed_token=glft-LFFLoUU96Q17OFnFomHp'],
      negative: ['feed_token=glft-BcKfvdL0A'],
    },
  },
  {
    id: 'gitlab-incoming-mail-token',
    title: 'GitLab incoming mail token',
    description: 'A GitLab incoming mail token (`glimt-`): it creates issues and merge requests by e-mail as its user.',
    severity: 'medium',
    keywords: ['glimt-'],
    pattern: gitlab('glimt-'),
    entropy: 3,
    checks: ['not-example'],
    examples: {
      positive: ['INCOMING_EMAIL_TOKEN=glimt-6v918i1v2b8z1kltadhp79934'],
      negative: ['INCOMING_EMAIL_TOKEN=glimt-bnv7t8vj'],
    },
  },
  {
    id: 'gitlab-agent-token',
    title: 'GitLab agent for Kubernetes token',
    description:
      'A GitLab agent for Kubernetes token (`glagent-`): it connects an agent to GitLab as that agent, receiving its ' +
      'GitOps manifests and CI tunnel traffic for the cluster.',
    keywords: ['glagent-'],
    pattern: gitlab('glagent-'),
    entropy: 3,
    checks: ['not-example'],
    examples: {
      positive: ['helm upgrade --install agent gitlab/gitlab-agent --set config.token=glagent-MutVvSj-X-JOlt4C-1QJOsPJXCie8_TpN2RJShfEol8WxK3Tvs', 'stringData:\n  token: glagent-iOAG-6Q_cbB9cztBEr8XSRLJlX89PD2_OYMJV0EbNzwlFJlhfy'],
      negative: ['config.token=glagent-Y9EBlQ-NcQ', 'config.token=glagent-<your-agent-token>'],
    },
  },
  {
    id: 'gitlab-oauth-application-secret',
    title: 'GitLab OAuth application secret',
    description: 'The secret of an OAuth application registered in GitLab (`gloas-`): it completes OAuth flows as that application.',
    keywords: ['gloas-'],
    pattern: gitlab('gloas-'),
    entropy: 3,
    checks: ['not-example'],
    examples: {
      positive: ['GITLAB_OAUTH_SECRET=gloas-b4c8f87785d064a4ab2eaa38d7f499760417ed37c52df940102a807302bffd04'],
      negative: ['GITLAB_OAUTH_SECRET=gloas-c87d1c13e150bd8c'],
    },
  },
  {
    id: 'gitlab-scim-token',
    title: 'GitLab SCIM token',
    description: 'A GitLab SCIM token (`glsoat-`): it provisions and deprovisions users of a group or instance from an identity provider.',
    keywords: ['glsoat-'],
    pattern: gitlab('glsoat-'),
    entropy: 3,
    checks: ['not-example'],
    examples: {
      positive: ['scim_token: glsoat-LyCnv-g1eQgFUOjyGJik'],
      negative: ['scim_token: glsoat-P8d_n6'],
    },
  },
  {
    id: 'gitlab-ci-job-token',
    title: 'GitLab CI/CD job token',
    description:
      'A GitLab CI/CD job token (`glcbt-`): valid while its job runs, with access to the project\'s API, registries ' +
      'and allowlisted projects.',
    severity: 'medium',
    keywords: ['glcbt-'],
    pattern: String.raw`${START}glcbt-[0-9A-Za-z_-]{20,2048}(?:\.[0-9A-Za-z_-]{10,2048}\.[0-9A-Za-z_-]{10,1024})?${END}`,
    entropy: 3,
    checks: ['not-example'],
    examples: {
      positive: ['CI_JOB_TOKEN=glcbt-64_kpTYhxtLEMjolaxY5w6G'],
      negative: ['CI_JOB_TOKEN=glcbt-xP4UH0', 'CI_JOB_TOKEN=$CI_JOB_TOKEN'],
    },
  },
  {
    id: 'gitlab-feature-flags-client-token',
    title: 'GitLab feature flags client token',
    description: 'A GitLab feature flags client token (`glffct-`): it reads a project\'s feature flag definitions through the Unleash API.',
    severity: 'low',
    keywords: ['glffct-'],
    pattern: gitlab('glffct-'),
    entropy: 3,
    checks: ['not-example'],
    examples: {
      positive: ['UNLEASH_INSTANCE_ID=glffct-xay1BcIn1zFOJE0o4oFK'],
      negative: ['UNLEASH_INSTANCE_ID=glffct-HQL6JnFk'],
    },
  },
  {
    id: 'gitlab-workspace-token',
    title: 'GitLab workspace token',
    description: 'A GitLab remote development workspace token (`glwt-`): it authenticates a workspace to GitLab as its owner.',
    severity: 'medium',
    keywords: ['glwt-'],
    pattern: gitlab('glwt-'),
    entropy: 3,
    checks: ['not-example'],
    examples: {
      positive: ['GITLAB_WORKSPACE_TOKEN=glwt-bQzOzRjKGCYKEIqrGP3c'],
      negative: ['GITLAB_WORKSPACE_TOKEN=glwt-mKrgk'],
    },
  },
  {
    id: 'gitlab-session-cookie',
    title: 'GitLab session cookie',
    description: 'A GitLab web session cookie (`_gitlab_session`): whoever sends it is logged in as that user until the session ends.',
    keywords: ['_gitlab_session'],
    pattern: String.raw`_gitlab_session=(?<secret>[0-9A-Za-z_-]{32,300}(?:(?:\.[0-9a-z]{2})?\.[0-9a-z]{9})?)(?![A-Za-z0-9_-])`,
    entropy: 3,
    checks: ['not-example'],
    examples: {
      positive: ['Cookie: _gitlab_session=74af69d2dee51c781f185646c84e1e7f; preferred_language=en'],
      negative: ['Cookie: _gitlab_session=; preferred_language=en', 'Cookie: _gitlab_session=14038b290d92b481'],
    },
  },

  // Atlassian: API tokens (`ATATT`), Bitbucket app passwords (`ATBB`) and access tokens (`ATCTT`), as Atlassian
  // confirmed for secret scanning; legacy 24-character API tokens have no prefix.
  {
    id: 'atlassian-api-token',
    title: 'Atlassian API token',
    description:
      'An Atlassian Cloud API token (`ATATT`): with its user\'s e-mail it calls the Jira, Confluence and Bitbucket ' +
      'APIs as that user.',
    keywords: ['atatt3xffgf0'],
    pattern: String.raw`${START}ATATT3xFfGF0[A-Za-z0-9_-]{140,250}(?:=[A-Fa-f0-9]{8})?(?![A-Za-z0-9_=-])`,
    checks: ['not-example'],
    examples: {
      positive: ['JIRA_API_TOKEN=ATATT3xFfGF0RT4StJoRgu3CWAgeaXJLv5PO5Et44TCxo_fKBJ84m-F7IZgyjSeYbJYkjrpcik6u4Qo4_mNtNkvgXvBG0N0xONgKrGHNalj10G6jDpG1xtiTmPtsyi6ZQtYpNYkzC6yNzHx-i3TpiF2dqAOd0rPgWiMOfdMIkWqXtIt9ZijX0Uo=D4DB5167'],
      negative: ['JIRA_API_TOKEN=ATATT3xFfGF0xp13lqcT3zHTdEnHI32LKVhMQ-dUpf', 'JIRA_API_TOKEN=ATATT3xFfGF0...'],
    },
  },
  {
    id: 'atlassian-legacy-api-token',
    title: 'Atlassian API token (legacy format)',
    description: 'A 24-character Atlassian Cloud API token from before the `ATATT` format: Jira and Confluence API access as its user.',
    keywords: ['jira', 'confluence', 'atlassian'],
    pattern: String.raw`${keyed('jira|confluence|atlassian', 'token|api[_-]?key|password')}(?<secret>[A-Za-z0-9]{24})(?![A-Za-z0-9_=-])`,
    entropy: 3.5,
    examples: {
      positive: ['JIRA_API_TOKEN=Iu2HxmCdohbuzluEYG92JNaV', 'confluenceApiToken: "rIcX1aIJDMwA3hBOQc9PYtA6"'],
      negative: ['JIRA_API_TOKEN=Nt93g2QWJC7NmmQ3kEHjwI4vp1zLVW', 'JIRA_API_TOKEN=aaaaaaaaaaaaaaaaaaaaaaaa', 'JIRA_API_TOKEN=${JIRA_API_TOKEN}'],
    },
  },
  {
    id: 'bitbucket-app-password',
    title: 'Bitbucket app password',
    description: 'A Bitbucket Cloud app password (`ATBB`): with its username it reaches the repositories and APIs its scopes allow.',
    keywords: ['atbb'],
    pattern: String.raw`${START}ATBB[A-Za-z0-9]{24}[A-Fa-f0-9]{8}(?![A-Za-z0-9_-])`,
    checks: ['not-example'],
    examples: {
      positive: ['BITBUCKET_APP_PASSWORD=ATBBf6GVDzUAiUIehrpoiQK6kEau242DF433', 'git clone https://ci-bot:ATBBz3PYPTNB56LNvPH7UwtW8CB18C29E445@bitbucket.org/acme/infra.git'],
      negative: ['BITBUCKET_APP_PASSWORD=ATBBasXfPTKRPDBy', 'ATBB is the prefix of app passwords'],
    },
  },
  {
    id: 'bitbucket-access-token',
    title: 'Bitbucket repository, project or workspace access token',
    description: 'A Bitbucket Cloud access token (`ATCTT`): bearer access to one repository, project or workspace within its scopes.',
    keywords: ['atctt3xffgn0'],
    pattern: String.raw`${START}ATCTT3xFfGN0[A-Za-z0-9_-]{140,250}(?:=[A-Fa-f0-9]{8})?(?![A-Za-z0-9_=-])`,
    checks: ['not-example'],
    examples: {
      positive: ['BITBUCKET_ACCESS_TOKEN: ATCTT3xFfGN09c-Ik9I-ByABdYWBJ0VYryOPTUnMyqbQbDT4YaEl5IdNbSE5PRT94Mn4sP2Sm0zGi3cK_623W54tdG8Cr-xCswiJ7T64CGkOEg6XB37DUkW44yw6cJnLQlsUG4FMmYjUmuTUMl8-L5OaCLt5zLqpX4Elahx3TSi3y6Rgu7F-8hH=A70EF202'],
      negative: ['BITBUCKET_ACCESS_TOKEN: ATCTT3xFfGN0eRsnuh59BmwE8vO0lDgv6B862INEJDu8TRuCSQec'],
    },
  },
  {
    id: 'bitbucket-oauth-consumer-secret',
    title: 'Bitbucket OAuth consumer secret',
    description: 'The secret of a Bitbucket OAuth consumer: with its key it obtains tokens as the consumer (client credentials grant).',
    keywords: ['bitbucket'],
    pattern: String.raw`${keyed('bitbucket', 'client[_-]?secret|consumer[_-]?secret|oauth[_-]?secret')}(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['BITBUCKET_CLIENT_SECRET=f6lEkCC9zWZyI393fw2iNswCeD87r9qI'],
      negative: ['BITBUCKET_CLIENT_SECRET=SgBXWCrRTf7b3WDzSn', 'BITBUCKET_CLIENT_ID=oh4KlTi7rjRmWefZoGp7IXOJreIUBDyU'],
    },
  },

  // Gitea and Forgejo (including Codeberg): access tokens are 40 hex characters without a prefix.
  {
    id: 'gitea-access-token',
    title: 'Gitea or Forgejo access token',
    description: 'A Gitea or Forgejo (Codeberg) access token: API and Git access as its user within its scopes.',
    keywords: ['gitea', 'forgejo', 'codeberg'],
    pattern: String.raw`${keyed('gitea|forgejo|codeberg', 'token|password|pat')}(?<secret>[a-f0-9]{40})(?![A-Za-z0-9])`,
    entropy: 3,
    examples: {
      positive: ['GITEA_TOKEN=9918f74968da2746842d94a032e8758d427aeead', 'forgejo:\n  runner:\n    forgejoToken: "ec41161af447f6f3cee6868c097bf2410fdd6241"'],
      negative: ['GITEA_TOKEN=1e7645145e926918d2a9', 'GITEA_URL=https://gitea.internal'],
    },
  },

  // Package registries.
  {
    id: 'npm-access-token',
    title: 'npm access token',
    description: 'An npm access token (`npm_`): it installs private packages and, for publish tokens, publishes new versions as its user.',
    keywords: ['npm_'],
    pattern: String.raw`${START}npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_-])`,
    checks: ['not-example'],
    examples: {
      positive: ['//registry.npmjs.org/:_authToken=npm_heArPx7KZsH5zleWWoXLpiDIyAWRtfme7ksg', 'NPM_TOKEN=npm_v4faBeGXryKr9H3MV03udljDDWixelHHu7au'],
      negative: ['NPM_TOKEN=npm_k4yeMnozbj4MzB00UC5x', 'NPM_TOKEN=npm_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    },
  },
  {
    id: 'pypi-api-token',
    title: 'PyPI API token',
    description: 'A PyPI or TestPyPI API token (a macaroon, `pypi-AgEIcHlwaS5vcmc…`): it uploads releases for its user or project.',
    keywords: ['pypi-ageichlwas5vcmc', 'pypi-agendgvzdc5wexbplm9yzw'],
    pattern: String.raw`${START}pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,2048}${END}`,
    checks: ['not-example'],
    examples: {
      positive: ['[pypi]\nusername = __token__\npassword = pypi-AgEIcHlwaS5vcmciVEhF-ConDzywjdOoRK0Aqkw7XZUrZEW91X_HcRfiOo9Eod1BSmlWLWMUqyDGLYBM0ZrGV728pie7F_wtI76anmW703Y1FHa4BytE2MnVu64VZM5Se-6HmdGKJVv9tyn1D_mYy4vs3sKkRJu5hHg0b9UOmKPNjNW', 'TWINE_PASSWORD=pypi-AgENdGVzdC5weXBpLm9yZwHkMmOFV5fKErZdgpUy1nuAOhBSPkDBQs7IOOmqSz3LcBiOgQw209d8_l_iCuir-kH8FC3xMKDNLcNDNP_3E5XBmx40REO0-2lS8k3M5_RVNM7Ttc7fxvi8QvpB651hzh1dT88RJGVXMp'],
      negative: ['password = pypi-AgEIcHlwaS5vcmcihPrkJqmGxJtqsIx6heU', 'password = pypi-Dr-Rc3BxjVnjMJ8VQnBcv-4u7Ai0VWDwYDGnz4gQ7GKNylEzS1hdiR1CSdX6'],
    },
  },
  {
    id: 'rubygems-api-key',
    title: 'RubyGems API key',
    description: 'A RubyGems.org API key (`rubygems_`): it pushes and yanks gems for its owner within its scopes.',
    keywords: ['rubygems_'],
    pattern: String.raw`${START}rubygems_[a-f0-9]{48}(?![A-Za-z0-9_-])`,
    checks: ['not-example'],
    examples: {
      positive: ['---\n:rubygems_api_key: rubygems_efa907bea78f313c072b1bb346702517bae0790d8e4e6e23', 'GEM_HOST_API_KEY=rubygems_0d6aea396e0ebfde6946a4e169b8ecc1b2278f84e1a0525a'],
      negative: ['GEM_HOST_API_KEY=rubygems_0bca38260497668b133090fb'],
    },
  },
  {
    id: 'nuget-api-key',
    title: 'NuGet API key',
    description: 'A NuGet.org API key (`oy2` and 43 characters): it pushes or unlists packages matching its glob.',
    keywords: ['oy2'],
    pattern: String.raw`${START}oy2[a-z0-9]{43}(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['dotnet nuget push pkg.nupkg --api-key oy2ltrzb284kjwajehrm5z3fomvvp06dhoky3i09hs6nqa --source https://api.nuget.org/v3/index.json'],
      negative: ['--api-key oy29bl6imkg9ijfld9ti2na', 'toy2unpv27tbi5wx917u40zzibeseejfh59upv9j4qn85aw'],
    },
  },
  {
    id: 'docker-hub-personal-access-token',
    title: 'Docker Hub personal access token',
    description: 'A Docker Hub personal access token (`dckr_pat_`): it logs in as its user to pull, and often push, images.',
    keywords: ['dckr_pat_'],
    pattern: String.raw`${START}dckr_pat_[A-Za-z0-9_-]{27}${END}`,
    checks: ['not-example'],
    examples: {
      positive: ['DOCKERHUB_TOKEN=dckr_pat_cbU0GYqYbIfkB4KnktVnn_2vNbF', 'echo dckr_pat_LHE9M_UkLXIyhf9Xrarwfjm-t1H | docker login -u acmebot --password-stdin'],
      negative: ['DOCKERHUB_TOKEN=dckr_pat_Qv-gUT3i2gsQ', 'DOCKERHUB_TOKEN=dckr_pat_<token>'],
    },
  },
  {
    id: 'docker-hub-organization-access-token',
    title: 'Docker Hub organization access token',
    description: 'A Docker Hub organization access token (`dckr_oat_`): registry access to the organisation\'s repositories it was granted.',
    keywords: ['dckr_oat_'],
    pattern: String.raw`${START}dckr_oat_[A-Za-z0-9_-]{24,40}${END}`,
    checks: ['not-example'],
    examples: {
      positive: ['DOCKERHUB_ORG_TOKEN=dckr_oat_ZRK8Y8KPDnN4jo8BJUQGmscA9M3pFUpp'],
      negative: ['DOCKERHUB_ORG_TOKEN=dckr_oat_SiZX9AAWQ4'],
    },
  },
  {
    id: 'quay-robot-token',
    title: 'Quay robot account token',
    description: 'The token of a Quay.io or Red Hat Quay robot account (64 upper-case characters): it pulls, and often pushes, the repositories the robot may use.',
    keywords: ['quay'],
    pattern: String.raw`(?:${keyed('quay', 'token|password|secret')}|-u[= ]["']?[a-z0-9_]{1,64}\+[a-z0-9_]{1,64}["']?\s{1,4}-p[= ]["']?)(?<secret>[A-Z0-9]{64})(?![A-Za-z0-9])`,
    entropy: 3.5,
    examples: {
      positive: ['QUAY_ROBOT_TOKEN=PUF1MVA5NUVUUNF6XPFP4O0R9J3ZH87S34WTY3FDZ3ZY3P06WPLMBI3C62IOQPJR', 'docker login -u="acme+ci_pusher" -p="FAV62H8VZ5GKZU7IKLLXQULO9Q5W7EV55XS42481QAVTJ5E7ONQX39YS1RAJY87A" quay.io'],
      negative: ['QUAY_ROBOT_TOKEN=YU4MD0V80GODSBQ4CBJKW08U2XQX3A6B', 'docker login -u="acme+ci_pusher" -p="$QUAY_TOKEN" quay.io'],
    },
  },
  {
    id: 'jfrog-api-key',
    title: 'JFrog Artifactory API key',
    description: 'A JFrog Artifactory API key (`AKCp`, deprecated but still honoured): repository and REST API access as its user.',
    keywords: ['akcp'],
    pattern: String.raw`${START}AKCp[A-Za-z0-9]{69}(?![A-Za-z0-9_-])`,
    checks: ['not-example'],
    examples: {
      positive: ['ARTIFACTORY_API_KEY=AKCpH8r3a6H13OJZE9q9QngAAvYmVruxkZVuXBeHppgtwG12UylAwQvAzUJPHgljrJf1pvZrn', 'curl -H "X-JFrog-Art-Api: AKCpjhOsVD5BTmkikAeb1O2K1FdArdXWQuLQHwDsHu12wfdpPwKIY4qmS0ueQdEtACM5Fbl8r" https://acme.jfrog.io/artifactory/api/repositories'],
      negative: ['ARTIFACTORY_API_KEY=AKCpoxMeG2N8dLu94oQPi6CzqAFj9QPWAU'],
    },
  },
  {
    id: 'jfrog-reference-token',
    title: 'JFrog reference token',
    description: 'A JFrog Platform reference token (base64 of `reftkn:01:…`): a short handle for an access token with its user\'s or scope\'s rights.',
    keywords: ['cmvmdgtuojaxoj'],
    pattern: String.raw`(?<![A-Za-z0-9+/])cmVmdGtuOjAxOj[A-Za-z0-9]{40,80}(?![A-Za-z0-9+/=])`,
    examples: {
      positive: ['JFROG_ACCESS_TOKEN=cmVmdGtuOjAxOjecG99l3X3Tl6e3CzbJFrsu5cYRct2uRqL8gT6Tqq0UjVijOCcg', '  password: cmVmdGtuOjAxOjxA91Htg1ASloOjgw9GH7hrvAtradoZa7DoYiCVQoVA6T55M8mb'],
      negative: ['JFROG_ACCESS_TOKEN=cmVmdGtuOjAxOjON89AyG8Mu6a'],
    },
  },
  {
    id: 'sonatype-nexus-credential',
    title: 'Sonatype Nexus password or token',
    description: 'A password, user token or API key for a Sonatype Nexus Repository: read, and often deploy, artefacts as that user.',
    keywords: ['nexus'],
    pattern: String.raw`${keyed('nexus', 'password|passwd|token|api[_-]?key|pass[_-]?code')}(?<secret>[A-Za-z0-9+/=_.~!@#%^&*-]{12,128})(?![A-Za-z0-9+/=_.~!@#%^&*-])`,
    entropy: 3.2,
    examples: {
      positive: ['NEXUS_PASSWORD=qIvTghAk1O8B9UYNbqYniifn', 'nexus.token: BiewfUW7RG/1sOKvsMhVhOV8DlKMfQolFHq6Xy70F+GE'],
      negative: ['NEXUS_PASSWORD=${NEXUS_PASSWORD}', 'NEXUS_PASSWORD=admin123', 'NEXUS_URL=https://nexus.internal/repository/maven'],
    },
  },
  {
    id: 'harbor-robot-secret',
    title: 'Harbor robot account secret',
    description: 'The secret of a Harbor robot account or a Harbor token: pull and push access to the projects the robot may use.',
    keywords: ['harbor'],
    pattern: String.raw`${keyed('harbor', 'password|secret|token')}(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['HARBOR_ROBOT_SECRET=2cf3Oolx7fA6e7GoZ6eYRzZXU69y6FMy', 'harbor:\n  username: robot$ci+pusher\nharborPassword: "HUa7BQ3XhgUgAdW8xKZyZa6pESIys6FC"'],
      negative: ['HARBOR_ADMIN_PASSWORD=Harbor12345', 'HARBOR_ROBOT_SECRET=cg7M14nsjcMW2VFl'],
    },
  },
  // .npmrc credentials come after the prefixed tokens above, which win when the value is one of them.
  {
    id: 'npmrc-auth-token',
    title: 'npm registry credential in .npmrc',
    description:
      'An `_authToken`, `_auth` or `_password` entry of an .npmrc: a token (legacy npm tokens are UUIDs) or base64 ' +
      'credentials for the registry it is scoped to.',
    keywords: ['_authtoken', '_auth', '_password'],
    pattern: String.raw`(?<![A-Za-z0-9])_(?:authToken|auth|password)\s{0,3}=\s{0,3}["']?(?<secret>[A-Za-z0-9+/=._~-]{16,1024})(?![A-Za-z0-9+/=._~-])`,
    entropy: 3,
    examples: {
      positive: ['//registry.npmjs.org/:_authToken=ca8ef3f9-8a49-4658-a808-f13df788a82b', '//nexus.internal/repository/npm/:_auth=8VGSkmkO2FHAod3PTqVYmIaagvmIT/7m6UTe1hOW'],
      negative: ['//registry.npmjs.org/:_authToken=${NPM_TOKEN}', 'DB_PASSWORD=74nJZCMeq4llrbfHlEjIrKgs'],
    },
  },

  // CI/CD services.
  {
    id: 'circleci-api-token',
    title: 'CircleCI personal or project API token',
    description:
      'A CircleCI personal (`CCIPAT_`) or project (`CCIPRJ_`) API token: personal tokens have full read and write ' +
      'access to the user\'s projects, including their environment variables\' names and pipelines.',
    keywords: ['ccipat_', 'cciprj_'],
    pattern: String.raw`${START}CCIP(?:AT|RJ)_[A-Za-z0-9]{18,26}_[a-f0-9]{40}(?![A-Za-z0-9_-])`,
    checks: ['not-example'],
    examples: {
      positive: ['CIRCLECI_TOKEN=CCIPAT_KD4P4gDvqnd4WewKqlVMqd_13386c2cf91fa998e2c013e866c4ba7df8673a80', 'circle-token: CCIPRJ_iFvAKgFC8i6AxkdYdT8pws_dc7b17b76020141317a36380d3ac887c09fb5bf5'],
      negative: ['CIRCLECI_TOKEN=CCIPAT_y1669MlK42BZ3O7UpuFDyW', 'CIRCLECI_TOKEN=CCIPAT_<token>'],
    },
  },
  {
    id: 'circleci-legacy-api-token',
    title: 'CircleCI API token (legacy format)',
    description: 'A CircleCI API token from before the `CCIPAT_` format (40 hex characters): API access as its user or project.',
    keywords: ['circle'],
    pattern: String.raw`${keyed('circle', 'token|api[_-]?key')}(?<secret>[a-f0-9]{40})(?![A-Za-z0-9])`,
    entropy: 3,
    examples: {
      positive: ['CIRCLECI_TOKEN=3eeb759760f61098ba1285e9c5c1e55f4b77dd20', 'export CIRCLE_TOKEN="ce7c368062752a4890e8ae25f537fbd1c4310ce6"'],
      negative: ['CIRCLECI_TOKEN=0d292badb7fe554ef8fd026f', 'CIRCLE_SHA1=bd26732cafa2d1612734fa5cd8bf4d7f209fd42a'],
    },
  },
  {
    id: 'travis-ci-token',
    title: 'Travis CI API token',
    description: 'A Travis CI API token: it reads and changes the user\'s repositories\' settings, environment variables and builds.',
    keywords: ['travis'],
    pattern: String.raw`${keyed('travis', 'token|api[_-]?key')}(?<secret>[A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['TRAVIS_API_TOKEN=vn5Ry2Aqn7IGKrVVMHEXqu', 'travisToken: "gvoHAhDgbki4pBArJTeDdL"'],
      negative: ['TRAVIS_API_TOKEN=yGhJMRvOJo', 'TRAVIS_COMMIT=a91a9d7909ef5dd94293216f6988f7269c03cabc'],
    },
  },
  {
    id: 'buildkite-api-token',
    title: 'Buildkite API access token',
    description: 'A Buildkite API access token (`bkua_`): REST and GraphQL access to its organisations\' pipelines, builds and agents, within its scopes.',
    keywords: ['bkua_'],
    pattern: String.raw`${START}bkua_[A-Za-z0-9]{40,64}(?![A-Za-z0-9_-])`,
    checks: ['not-example'],
    examples: {
      positive: ['BUILDKITE_API_TOKEN=bkua_257f4d57ed01262ff858714f5401fc7aad06c159'],
      negative: ['BUILDKITE_API_TOKEN=bkua_228c31170d67e0fec426', 'BUILDKITE_API_TOKEN=bkua_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    },
  },
  {
    id: 'buildkite-agent-access-token',
    title: 'Buildkite agent session or job token',
    description: 'A Buildkite agent session (`bkaa_`) or job (`bkaj_`) token: it talks to the Agent API as a running agent or job, including its secrets.',
    severity: 'medium',
    keywords: ['bkaa_', 'bkaj_'],
    pattern: String.raw`${START}bka[aj]_[A-Za-z0-9_.-]{30,2048}${END}`,
    checks: ['not-example'],
    examples: {
      positive: ['BUILDKITE_AGENT_ACCESS_TOKEN=bkaa_B5bENs18nU1CDOZJUKokfp69aJGzHQFcEFrZcJ5jxOdOK0VyQwso1Su2XKpem6EJbFmdsQ', 'BUILDKITE_AGENT_ACCESS_TOKEN=bkaj_DruwJMaJYIauHQ7VmT3g18PpMVRNA1yfzi2iwvQV'],
      negative: ['BUILDKITE_AGENT_ACCESS_TOKEN=bkaj_2bKDHD3niuza'],
    },
  },
  {
    id: 'buildkite-agent-registration-token',
    title: 'Buildkite agent token',
    description: 'A Buildkite agent (registration) token: it connects new agents to a cluster, which then run its jobs and see their secrets.',
    keywords: ['buildkite'],
    pattern: String.raw`${keyed('buildkite', 'agent[_-]?token|registration[_-]?token')}(?<secret>[A-Za-z0-9]{40,80})(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['BUILDKITE_AGENT_TOKEN=pipCbbTHf10kngoTV30lv96dbo9yxtauQD8pvzUjts0Q2w5ujL', 'env:\n- name: BUILDKITE_AGENT_TOKEN\n  value: "XU9qkxzqoyL61UlYqr0LfXkSb2Tgea67dHRjB5Eg1aGRj1Lp1p"'],
      negative: ['BUILDKITE_AGENT_TOKEN=i4CTqrB0Sg3Kpdj7GfE4', 'BUILDKITE_AGENT_TOKEN=bkua_91fa13f2355479ae6a88cb0c5cb32c5f7b728575'],
    },
  },
  {
    id: 'drone-ci-token',
    title: 'Drone CI token or RPC secret',
    description: 'A Drone user token or runner RPC secret: API access as the user, or the shared secret that lets runners take pipelines.',
    keywords: ['drone'],
    pattern: String.raw`${keyed('drone', 'token|secret')}(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9_-])`,
    entropy: 3.2,
    examples: {
      positive: ['DRONE_TOKEN=I3rtPTWNhtQ0mIcVsYrr0KK9eadH4ps3', 'DRONE_RPC_SECRET: "8c74bba8028c2cabad669619f3704182"'],
      negative: ['DRONE_RPC_SECRET: ${DRONE_RPC_SECRET}', 'DRONE_TOKEN=KtZoDQXgW7wtSfesH6QP'],
    },
  },
  {
    id: 'jenkins-api-token',
    title: 'Jenkins API token',
    description: 'A Jenkins user API token (`11` and 32 hex characters): it calls the Jenkins API and CLI as its user, often an administrator.',
    keywords: ['jenkins'],
    pattern: String.raw`${keyed('jenkins', 'token|api[_-]?key|password|secret')}(?<secret>11[a-f0-9]{32})(?![A-Za-z0-9])`,
    entropy: 3,
    examples: {
      positive: ['JENKINS_API_TOKEN=1193c72a4f0ed52ebd55871a2c245c7acc', 'jenkins:\n  url: https://ci.acme.internal\njenkinsToken: "1101f7bf5a6637efa39be3a70e3e03ec9e"'],
      negative: ['JENKINS_API_TOKEN=48aee296159abdc24be6858794dd52fd5a', 'JENKINS_API_TOKEN=11b47199f31b321683'],
    },
  },
  {
    id: 'teamcity-access-token',
    title: 'TeamCity access token',
    description: 'A JetBrains TeamCity access token (header `{"typ": "TCV2"}`): REST API access as its user, within its scope.',
    keywords: ['eyj0exaioiaivenwmij9'],
    pattern: String.raw`(?<![A-Za-z0-9_-])eyJ0eXAiOiAiVENWMiJ9\.[A-Za-z0-9_-]{20,200}\.[A-Za-z0-9_-]{20,200}(?![A-Za-z0-9_-])`,
    examples: {
      positive: ['TEAMCITY_TOKEN=eyJ0eXAiOiAiVENWMiJ9.TSwr0rOj9WlVFNBkKCw0h1PJE0hLyrqwMs0y.bop7K_JOL78uQ8svP9gkpzKPbnEGQST46JDMIHsuZmw-MJli', 'Authorization: Bearer eyJ0eXAiOiAiVENWMiJ9.1BxQYQDpDeYgino7LHFz_rCosYk4EuCdX7xe.0ImjfoZaD7-j35UEnBt0r5RoNr8L7MQIhYfIZqMD1ZIniPtI'],
      negative: ['TEAMCITY_TOKEN=eyJ0eXAiOiAiVENWMiJ9.jLuN0w-MuK'],
    },
  },
  {
    id: 'codecov-upload-token',
    title: 'Codecov upload token',
    description: 'A Codecov repository or global upload token (a UUID): it uploads coverage reports that appear on pull requests.',
    severity: 'medium',
    keywords: ['codecov'],
    pattern: String.raw`${keyed('codecov', 'token')}(?<secret>${UUID})(?![A-Za-z0-9-])`,
    examples: {
      positive: ['CODECOV_TOKEN=ae6def68-54c5-4487-ba5a-9cca467ca087', '- uses: codecov/codecov-action@v4\n  with:\n    codecov_token: 661a1abf-f8d2-409f-96bc-991325c37baa'],
      negative: ['CODECOV_TOKEN=${{ secrets.CODECOV_TOKEN }}', 'CODECOV_TOKEN=0c95f387e401e26b876c63f3b90f3cdf'],
    },
  },
  {
    id: 'bitrise-access-token',
    title: 'Bitrise access token',
    description: 'A Bitrise personal or workspace access token: API access to its apps, builds, artefacts and secrets.',
    keywords: ['bitrise'],
    pattern: String.raw`${keyed('bitrise', 'token|pat|api[_-]?key')}(?<secret>[A-Za-z0-9_-]{60,100})(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['BITRISE_TOKEN=fDP0QZYFisN3opMoI8QsX6BUZ3tQgfCgQtFcIQv5-PZRGpiOV4GBNyZPTJh7E9Tk4ipz2foJ2yirI2UOJQ0zX8'],
      negative: ['BITRISE_TOKEN=Dgr8PbbE1LjOe6Hqd4fLDCyJVaNKXq', 'BITRISE_APP_SLUG=757d16920cebc4c2'],
    },
  },
  {
    id: 'expo-access-token',
    title: 'Expo access token',
    description: 'An Expo personal or robot access token (EXPO_TOKEN): it runs EAS builds, submissions and updates for its account.',
    keywords: ['expo'],
    pattern: String.raw`(?<![A-Za-z])${anyCase('expo')}(?:[_.-][\w.-]{0,20})?${anyCase('token')}${KEY_TAIL_ASSIGN}(?<secret>[A-Za-z0-9_-]{36,64})(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['EXPO_TOKEN=fP9UX0Ji6Y6SL94uuWTjjdQIMPZhna747pCnF4kl', 'env:\n  EXPO_TOKEN: "G_ABEWEJ4EnBhOIY-l0QnUoROmxYg1nhFJSIGzPU"'],
      negative: ['EXPORTER_TOKEN=DCa3O6k_Y0FMiAG1v_4mmssFBORVVmFcynO_A9K9', 'EXPO_TOKEN=${{ secrets.EXPO_TOKEN }}'],
    },
  },
  {
    id: 'octopus-deploy-api-key',
    title: 'Octopus Deploy API key',
    description: 'An Octopus Deploy API key (`API-`): it creates releases and deploys them to every environment its user may reach.',
    severity: 'critical',
    keywords: ['api-'],
    pattern: String.raw`(?<![A-Za-z0-9_-])API-(?=[A-Z]{0,31}[0-9])[A-Z0-9]{25,32}(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    checks: ['not-example'],
    examples: {
      positive: ['OCTOPUS_API_KEY=API-JYAVZKFJU4HO5UOL2JB8DF4QN0', 'octo create-release --project web --apiKey API-BJ29ZUVUB6JZBBNVMMDOJJ9M1S'],
      negative: ['OCTOPUS_API_KEY=API-G1E5KEAAGG', 'app.kubernetes.io/name: API-GATEWAYSERVICEFORPRODUCTION', 'name: API-GATEWAY-CONFIGURATION-SERVICE'],
    },
  },

  // Code quality and security scanners.
  {
    id: 'sonarqube-token',
    title: 'SonarQube token',
    description: 'A SonarQube project analysis (`sqp_`), global analysis (`sqa_`) or user (`squ_`) token: analysis uploads, and for user tokens the user\'s API access.',
    keywords: ['sqp_', 'sqa_', 'squ_'],
    pattern: String.raw`${START}sq[pau]_[a-f0-9]{40}(?![A-Za-z0-9_-])`,
    checks: ['not-example'],
    examples: {
      positive: ['SONAR_TOKEN=sqp_0964ad8df34022d29731e644bcdec74f83b20477', 'sonar.token=squ_fb60eccb5fce0c324faf3c429a60bd95798a5088'],
      negative: ['SONAR_TOKEN=sqp_d5608a6490c4717c4d9c', 'SONAR_TOKEN=sqp_${TOKEN}'],
    },
  },
  {
    id: 'sonarcloud-token',
    title: 'SonarCloud or SonarQube token (unprefixed)',
    description: 'A SonarCloud or older SonarQube token (40 hex characters): analysis uploads and API access as its user.',
    keywords: ['sonar'],
    pattern: String.raw`${keyed('sonar', 'token|login')}(?<secret>[a-f0-9]{40})(?![A-Za-z0-9])`,
    entropy: 3,
    examples: {
      positive: ['SONAR_TOKEN=f18b73db438b4f5a0120fc241101abb446d8ab44', 'mvn sonar:sonar -Dsonar.login=ff00c77a24b4e07ae993164675afedbdbaf1aa72'],
      negative: ['SONAR_TOKEN=9a54c2a866ae686ab588', 'SONAR_HOST_URL=https://sonarcloud.io'],
    },
  },
  {
    id: 'snyk-personal-access-token',
    title: 'Snyk personal or service account token',
    description: 'A Snyk personal (`snyk_uat.`) or service account (`snyk_sat.`) access token: tests, monitors and API calls for its organisations.',
    keywords: ['snyk_uat.', 'snyk_sat.'],
    pattern: String.raw`${START}snyk_[us]at\.[a-f0-9]{8}\.[A-Za-z0-9_-]{20,2048}\.[A-Za-z0-9_-]{20,512}${END}`,
    examples: {
      positive: ['SNYK_TOKEN=snyk_uat.6e4c7c09.eyJlIjoxNzkyOTAwMDk2LCJoIjoic255ay5pbyIsImoiOiIwcm5ISV9jUEd5RjA5U3YxbjlkVlR1IiwicyI6ImdMVGM5aTdQNEQ2ZS03aThwb0hvdHUiLCJ0aWQiOiJGU050R1VVNEt4SUM5X3ZVZlA5WF93In0.DSfQbOPvP-RwOBsCnLKlW-vobQTkEC9Mb2bvnUFxSwEjlA7sg5o4bUQ9sPjL_SkGiKuxsJieDM2wRc6ttJ0iQ7'],
      negative: ['SNYK_TOKEN=snyk_uat.<your token>', 'SNYK_TOKEN=snyk_uat.76f5d73c'],
    },
  },
  {
    id: 'snyk-api-token',
    title: 'Snyk API token (legacy)',
    description: 'A Snyk API token in the older UUID form (SNYK_TOKEN): CLI and API access as its user or service account.',
    keywords: ['snyk'],
    pattern: String.raw`${keyed('snyk', 'token|api[_-]?key|auth')}(?<secret>${UUID})(?![A-Za-z0-9-])`,
    examples: {
      positive: ['SNYK_TOKEN=4ec2d854-3db9-43e5-97b1-e426b282dd54', 'env:\n- name: SNYK_TOKEN\n  value: 20c1b5ba-b149-49ee-8fd1-99b67faefae0'],
      negative: ['SNYK_TOKEN=${{ secrets.SNYK_TOKEN }}', 'SNYK_ORG=c93b20bf-a2ac-4c8e-94e7-fdc213bbac98'],
    },
  },

  // Developer tooling and platforms.
  {
    id: 'sentry-org-auth-token',
    title: 'Sentry organization auth token',
    description: 'A Sentry organization auth token (`sntrys_`): CI access for releases, source maps and debug files of the organisation.',
    severity: 'medium',
    keywords: ['sntrys_'],
    pattern: String.raw`${START}sntrys_eyJ[A-Za-z0-9+/]{30,1024}={0,2}_[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])`,
    examples: {
      positive: ['SENTRY_AUTH_TOKEN=sntrys_eyJpYXQiOjE3MjYxMDUxNjQsInVybCI6Imh0dHBzOi8vc2VudHJ5LmlvIiwicmVnaW9uX3VybCI6Imh0dHBzOi8vdXMuc2VudHJ5LmlvIiwib3JnIjoiYWNtZSJ9_5LV8xNi7dPUXAtQsFpxWr2FcWYpv-CPrmBFaFdxAv1n'],
      negative: ['SENTRY_AUTH_TOKEN=sntrys_tIwi-wOWCrGEFy9sZCWZr044tSOK6g', 'SENTRY_AUTH_TOKEN=sntrys_YOUR_TOKEN_HERE'],
    },
  },
  {
    id: 'sentry-user-auth-token',
    title: 'Sentry user auth token',
    description: 'A Sentry user auth token (`sntryu_`): API access as its user, within the scopes chosen when it was created.',
    keywords: ['sntryu_'],
    pattern: String.raw`${START}sntryu_[a-f0-9]{64}(?![A-Za-z0-9_-])`,
    checks: ['not-example'],
    examples: {
      positive: ['SENTRY_AUTH_TOKEN=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', 'auth.token=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'],
      negative: ['SENTRY_AUTH_TOKEN=sntryu_127e9f711ebb38a07f70b2082bafa6c0'],
    },
  },
  {
    id: 'sentry-dsn-secret',
    title: 'Sentry DSN with secret key (legacy)',
    description: 'A legacy Sentry DSN that still carries its secret key (`https://public:secret@host/project`): it sends events to the project as a trusted client.',
    severity: 'medium',
    keywords: ['sentry'],
    pattern: String.raw`https?://[a-f0-9]{32}:(?<secret>[a-f0-9]{32})@[A-Za-z0-9.-]{1,253}(?::\d{1,5})?/(?:[\w.-]{1,64}/)?\d{1,12}`,
    examples: {
      positive: ['SENTRY_DSN=https://bb16fdcd085d3c7118eac5cb30d4e98a:735124030cb575dcbac03190d0ace65e@sentry.acme.internal/17', 'sentry:\n  dsn: "https://e62f63aeb95f94ab57759cb738181db4:21e401fa7a07944d1711020617cace58@o4504.ingest.sentry.io/4505"'],
      negative: ['SENTRY_DSN=https://1d1912fa5bfb2ee224352cd4cbf67283@o4504.ingest.sentry.io/4505'],
    },
  },
  {
    id: 'grafana-cloud-access-policy-token',
    title: 'Grafana Cloud access policy token',
    description: 'A Grafana Cloud access policy token (`glc_`): reads or writes metrics, logs and traces, or calls the Cloud API, as its policy allows.',
    keywords: ['glc_'],
    pattern: String.raw`${START}glc_[A-Za-z0-9+/]{32,400}={0,2}(?![A-Za-z0-9+/=_-])`,
    entropy: 3.5,
    examples: {
      positive: ['GRAFANA_CLOUD_TOKEN=glc_eyJvIjoiNDYxNjA2IiwibiI6InN0YWNrLTEzNjA0Ny1hbGxveS13cml0ZSIsImsiOiJSMFpjMW95bGJtU2FlSEhVMGtoM1VXMXkiLCJtIjp7InIiOiJwcm9kLXVzLWVhc3QtMCJ9fQ==', 'basic_auth:\n  username: "123456"\n  password: glc_eyJvIjoiMTI5MjUyIiwibiI6InN0YWNrLTk5Njc1OC1hbGxveS13cml0ZSIsImsiOiJyNk5CczduOVF2Z0NWOXNvVTg1SGNCZ2IiLCJtIjp7InIiOiJwcm9kLXVzLWVhc3QtMCJ9fQ=='],
      negative: ['GRAFANA_CLOUD_TOKEN=glc_Y9auatgvowVM', 'GRAFANA_CLOUD_TOKEN=glc_...'],
    },
  },
  {
    id: 'grafana-service-account-token',
    title: 'Grafana service account token',
    description: 'A Grafana service account token (`glsa_`): HTTP API access to the Grafana instance with the service account\'s role, often Admin.',
    keywords: ['glsa_'],
    pattern: String.raw`${START}glsa_[A-Za-z0-9]{32}_[a-f0-9]{8}(?![A-Za-z0-9_-])`,
    checks: ['not-example'],
    examples: {
      positive: ['GRAFANA_SERVICE_ACCOUNT_TOKEN=glsa_r5gSeAC2r6rBAkEWfM55YJOh00D48W06_6d6e45e7', 'Authorization: Bearer glsa_Fh13qDl0PtiecIrta6ONSO84LRqesxTA_41f83036'],
      negative: ['GRAFANA_SERVICE_ACCOUNT_TOKEN=glsa_DDOnW3v0rVeQW0j7', 'GRAFANA_SERVICE_ACCOUNT_TOKEN=glsa_xxx'],
    },
  },
  {
    id: 'grafana-api-key',
    title: 'Grafana API key (legacy)',
    description: 'A legacy Grafana API key (base64 of `{"k":…}`): HTTP API access to the Grafana organisation with the key\'s role.',
    keywords: ['eyjrijoi'],
    pattern: String.raw`(?<![A-Za-z0-9+/])eyJrIjoi[A-Za-z0-9+/]{30,200}={0,2}(?![A-Za-z0-9+/=])`,
    entropy: 3.5,
    examples: {
      positive: ['GRAFANA_API_KEY=eyJrIjoiZGsyMGJpdXhVaWVUQTFaSGZjSHFQbEttdWdZOGdTUFUiLCJuIjoiZGVwbG95LWJvdCIsImlkIjoxfQ==', 'Authorization: Bearer eyJrIjoiS2FJak5tMlFWbHhLQ0hOeUg4UnJ6b0dleEVvcVVIT0IiLCJuIjoiZGVwbG95LWJvdCIsImlkIjoxfQ=='],
      negative: ['GRAFANA_API_KEY=eyJrIjoi', 'GRAFANA_API_KEY=eyJrIjoiYWJj'],
    },
  },
  {
    id: 'postman-api-key',
    title: 'Postman API key',
    description: 'A Postman API key (`PMAK-`): access to its user\'s workspaces, collections and environments, which often hold other credentials.',
    keywords: ['pmak-'],
    pattern: String.raw`${START}PMAK-[a-f0-9]{24}-[a-f0-9]{34}(?![A-Za-z0-9_-])`,
    checks: ['not-example'],
    examples: {
      positive: ['POSTMAN_API_KEY=PMAK-bd981e779ec1c90b9f289866-41731bfdcf0a128649e0e04823f5019fe2'],
      negative: ['POSTMAN_API_KEY=PMAK-154a9171bc93788486d4dce6', 'POSTMAN_API_KEY=PMAK-<key>'],
    },
  },
  {
    id: 'linear-api-key',
    title: 'Linear API key',
    description: 'A Linear personal API key (`lin_api_`): GraphQL API access to its workspace\'s issues and projects as its user.',
    keywords: ['lin_api_'],
    pattern: String.raw`${START}lin_api_[A-Za-z0-9]{40}(?![A-Za-z0-9_-])`,
    checks: ['not-example'],
    examples: {
      positive: ['LINEAR_API_KEY=lin_api_satxdFd0vl0xMu9HHPR4Iyg4riDgqSAnIgc8PDWS'],
      negative: ['LINEAR_API_KEY=lin_api_PPzGwx3RB2qZFhkrb7lW'],
    },
  },
  {
    id: 'asana-personal-access-token',
    title: 'Asana personal access token',
    description: 'An Asana personal access token (`1/…:…` or `2/…/…:…`): API access to everything its user can see in Asana.',
    keywords: ['asana'],
    pattern: String.raw`${anyCase('asana')}[\w.-]{0,30}${KEY_TAIL_ASSIGN}(?<secret>[12]/\d{10,20}(?:/\d{10,20})?:[a-f0-9]{32})(?![A-Za-z0-9])`,
    examples: {
      positive: ['ASANA_TOKEN=1/6128670925717202:0028108bf6793d17920afc124f3d42bc', 'ASANA_PAT="2/7451659496262136/1807821047585315:b5362350155b106e7bfb28aed0bde1fa"'],
      negative: ['ASANA_TOKEN=1/6789939102970133', 'ASANA_WORKSPACE=6284057478947467'],
    },
  },
  {
    id: 'notion-integration-token',
    title: 'Notion integration token',
    description: 'A Notion internal integration token (`ntn_`): API access to every page and database shared with the integration.',
    keywords: ['ntn_'],
    pattern: String.raw`${START}ntn_[0-9]{11}[A-Za-z0-9]{35}(?![A-Za-z0-9_-])`,
    checks: ['not-example'],
    examples: {
      positive: ['NOTION_TOKEN=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'],
      negative: ['NOTION_TOKEN=ntn_MbmxNZ8io24jTqZ7auO0', 'NOTION_TOKEN=ntn_…'],
    },
  },
  {
    id: 'notion-legacy-integration-token',
    title: 'Notion integration token (legacy format)',
    description: 'A Notion integration token from before September 2024 (`secret_` and 43 characters): API access to the pages shared with the integration.',
    keywords: ['notion'],
    pattern: String.raw`${anyCase('notion')}[\w.-]{0,30}${KEY_TAIL_ASSIGN}(?<secret>secret_[A-Za-z0-9]{43})(?![A-Za-z0-9_-])`,
    checks: ['not-example'],
    examples: {
      positive: ['NOTION_API_KEY=secret_V2wVgRSgTaZm3YZx1k6N1kXgMgpAKhckHfoHneP4ggj', '"notionToken": "secret_FrE0PPxIvvJoM3U24LKzlLsZXbN01Rv4GrsqnAT2jT6"'],
      negative: ['NOTION_API_KEY=secret_a49ci7y9t5DkOnI5bacV', 'CLIENT_SECRET=secret_OaZN75xBgUOt3T4wHz40Jmxcg9UQvsJ81ZJOzMCdj35'],
    },
  },
  {
    id: 'figma-personal-access-token',
    title: 'Figma personal access token',
    description: 'A Figma personal access token (`figd_`): API access to the files and projects its user can open, within its scopes.',
    keywords: ['figd_'],
    pattern: String.raw`${START}figd_[A-Za-z0-9_-]{36,48}${END}`,
    entropy: 3.5,
    checks: ['not-example'],
    examples: {
      positive: ['FIGMA_TOKEN=figd_db0mcjiHAX5JZToj4wwBC6IoD79T6wcfCBrPx_8Z'],
      negative: ['FIGMA_TOKEN=figd_your_token_here', 'FIGMA_TOKEN=figd_jOmRkg6giK_h'],
    },
  },
  {
    id: 'readme-api-key',
    title: 'ReadMe API key',
    description: 'A ReadMe API key (`rdme_`): it edits the project\'s API documentation, specifications and metrics.',
    keywords: ['rdme_'],
    pattern: String.raw`${START}rdme_[a-z0-9]{64,80}(?![A-Za-z0-9_-])`,
    checks: ['not-example'],
    examples: {
      positive: ['README_API_KEY=rdme_l9ercdj3mmzh4z1dtmcvp0k3cao7mr1n0k3zg5v9d2omzuyeqcvij1hfdukq3w2bupn6yp'],
      negative: ['README_API_KEY=rdme_euczag3m54dh3ilyz0f8'],
    },
  },
  {
    id: 'prefect-api-key',
    title: 'Prefect Cloud API key',
    description: 'A Prefect Cloud user (`pnu_`) or service account (`pnb_`) API key: it runs and changes flows and deployments in its workspaces.',
    keywords: ['pnu_', 'pnb_'],
    pattern: String.raw`${START}pn[ub]_[A-Za-z0-9]{36}(?![A-Za-z0-9_-])`,
    checks: ['not-example'],
    examples: {
      positive: ['PREFECT_API_KEY=pnu_vzcd8CbBEYdwC1OSVp80llQSxVwKSidlkLVB', 'PREFECT_API_KEY: "pnb_qa0gucwW3AsszkoSH8jOOqNOOceDhZ4jxck9"'],
      negative: ['PREFECT_API_KEY=pnu_5Lv2CN64h8uEU0QC8Hf5'],
    },
  },
  {
    id: 'huggingface-access-token',
    title: 'Hugging Face access token',
    description: 'A Hugging Face user access token (`hf_`): it reads, and for write tokens pushes, models, datasets and Spaces, including private ones.',
    keywords: ['hf_'],
    pattern: String.raw`${START}hf_[A-Za-z0-9]{34}(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    checks: ['not-example'],
    examples: {
      positive: ['HF_TOKEN=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', 'HUGGING_FACE_HUB_TOKEN: "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"'],
      negative: ['HF_TOKEN=hf_zjMNWjaLJADLKbEhiTsE', 'HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    },
  },
  {
    id: 'huggingface-org-api-token',
    title: 'Hugging Face organization API token (legacy)',
    description: 'A legacy Hugging Face organization API token (`api_org_`): access to the organisation\'s models and datasets.',
    keywords: ['api_org_'],
    pattern: String.raw`${START}api_org_[A-Za-z0-9]{34}(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    checks: ['not-example'],
    examples: {
      positive: ['HF_ORG_TOKEN=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'],
      negative: ['HF_ORG_TOKEN=api_org_GutfUbhFGorc'],
    },
  },
  {
    id: 'replicate-api-token',
    title: 'Replicate API token',
    description: 'A Replicate API token (`r8_`): it runs and trains models billed to its account and reads its predictions.',
    keywords: ['r8_'],
    pattern: String.raw`${START}r8_[A-Za-z0-9]{37}(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    checks: ['not-example'],
    examples: {
      positive: ['REPLICATE_API_TOKEN=r8_OnpEdLt1c0qhawoEhBGpfoPvRfDiLnzGlFhYq'],
      negative: ['REPLICATE_API_TOKEN=r8_9SrQrEnKWPBKeHWwJIQv'],
    },
  },
  {
    id: 'launchdarkly-key',
    title: 'LaunchDarkly API access token or server-side SDK key',
    description:
      'A LaunchDarkly API access token (`api-`) or server-side SDK key (`sdk-`): the first changes flags and ' +
      'environments, the second reads every flag rule and segment of an environment.',
    keywords: ['launchdarkly', 'ld_', 'ld-'],
    pattern: String.raw`(?:${anyCase('launchdarkly')}|\b${anyCase('ld')}[_-])[\w.-]{0,30}${KEY_TAIL_ASSIGN}(?<secret>(?:api|sdk)-${UUID})(?![A-Za-z0-9-])`,
    examples: {
      positive: ['LAUNCHDARKLY_SDK_KEY=sdk-d43fab0b-1569-4592-8ae7-daf0ae088511', 'LD_API_TOKEN: "api-1873c5ad-0266-4e3a-af12-6dbc55b714f7"'],
      negative: ['release: api-026f5a58-cc3b-4838-8e88-be05bf6f8f24', 'LAUNCHDARKLY_CLIENT_ID=567e47a9-0b35-4dd2-a2ff-a8db224d95c3'],
    },
  },
  {
    id: 'contentful-personal-access-token',
    title: 'Contentful personal access token',
    description: 'A Contentful content management token (`CFPAT-`): it creates, edits and publishes content in every space its user can reach.',
    keywords: ['cfpat-'],
    pattern: String.raw`${START}CFPAT-[A-Za-z0-9_-]{43}${END}`,
    checks: ['not-example'],
    examples: {
      positive: ['CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-c0vu-_JZH_Pv1JUjFE_YSOblrV5E2uvppF8X9Y1eeHT'],
      negative: ['CONTENTFUL_MANAGEMENT_TOKEN=CFPAT-QPPw42epmgyYa6fFRSnM', 'tokens start with CFPAT- and are shown once'],
    },
  },
  {
    id: 'mapbox-secret-token',
    title: 'Mapbox secret access token',
    description: 'A Mapbox secret token (`sk.`): it manages the account\'s styles, tilesets, datasets and tokens, with its scopes.',
    keywords: ['sk.eyj'],
    pattern: String.raw`(?<![A-Za-z0-9_.-])sk\.eyJ[A-Za-z0-9_-]{20,400}\.[A-Za-z0-9_-]{20,40}(?![A-Za-z0-9_-])`,
    examples: {
      positive: ['MAPBOX_DOWNLOADS_TOKEN=sk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6IndkbGN4NzJpMGF2MnFrdW12cHY4bGJseDcifQ.VzC7l5IrNtJCqC-5hErMNh'],
      negative: ['MAPBOX_ACCESS_TOKEN=pk.eyJ1IjoiYWNtZS1tYXBzIiwiYSI6Ijl4N29jaTA4aXNsN3R6cGIwOXFhYjM5NnIifQ.kGo1sp9vo24Cmvd5uUxSIx', 'MAPBOX_DOWNLOADS_TOKEN=sk.eyJ1Ijoi'],
    },
  },
];
