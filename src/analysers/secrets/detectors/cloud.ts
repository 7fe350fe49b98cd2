import { anyCase, type DetectorSpec } from '../detector.ts';
import { ASSIGN, UUID } from './grammar.ts';

// Cloud providers, hosting platforms, infrastructure-as-code services and secret managers. Formats come from the
// providers' own documentation of their keys and tokens. Every secret in the examples was generated at random in
// the documented alphabet and length for these tests; none of them unlocks anything.

/** A JWS compact token; claims objects may open with `{"` (eyJ) or, like 1Password Connect's, `{"1` (eyIx). */
const JWT = String.raw`eyJ[A-Za-z0-9_-]{10,1024}\.ey[IJ][A-Za-z0-9_-]{10,4096}\.[A-Za-z0-9_-]{20,1024}`;

const AWS_SESSION_TOKEN =
  'IQoJb3JpZ2luX2VjEV9NnzshuQe/7rEhuQmwCu0M8Ulv2oVKWZ9egaGCwVrn6WAtZDqz0QxBvclL4pxLhJ6jDHolxoLSTJg06uMCb+0m6LFK15IbA1V7yd6RjO4DbXLGtMZ69dvMvHaawRB1PEqWd18BSNZmHDr5SblrJARa8Cs5mZKJHnQJ0VvmiYbuDM0Z2rybxJASH6xvXlf4d5TXNITtfiXxNkm94ZGBAoBOfkuvGHcpzxjcjgsuGOfxeE1i14cWRpoBreKUBZjq2hqo4BFa27P5h3pf7Cv7y5SS8bxWEjaO6YTGRVJh0+8Jvg/zw22tzwKOHZ4dJ1kw8jg56rYmUkal0FeTjjK5cwTy7xmYUScrUQS03NcWVz+sJ4bs4oTF1Tg';
const BEDROCK_LONG_TERM_KEY =
  'ABSKQmVkcm9ja0FQSUtleS1kNTE2LWF0LTk0Njc2Njc2NTMzMDpSZkp6eVNtRFlRMndsZ3B3VFFsQks5b01vS3dYcDVPc1BuSUdtWnF6';
const BEDROCK_SHORT_TERM_KEY =
  'bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29tLz9BY3Rpb249Q2FsbFdpdGhCZWFyZXJUb2tlbiZYLUFtei1BbGdvcml0aG09QVdTNC1ITUFDLVNIQTI1NiZYLUFtei1DcmVkZW50aWFsPUFTSUFPNTU4TE5TRkNNR0dRWlBXJTJGMjAyNTA2MTElMkZ1cy1lYXN0LTElMkZiZWRyb2NrJTJGYXdzNF9yZXF1ZXN0JlgtQW16LURhdGU9MjAyNTA2MTFUMDkxNTAzWiZYLUFtei1FeHBpcmVzPTQzMjAwJlgtQW16LVNlY3VyaXR5LVRva2VuPUlRb0piM0pwWjJsdVgyVmpFeEp2WDNHaUF5UlcxVm0wUzFHSHZjS1dndmN4Zk45ZkswRnZPWFhVQ21ZZjR1UGtyZ05Melc3VkU3NFBYdHNNZ09nZmgxNzFRVThZOGc3QVh3TWpvc21wUURxZ1dRb2ZaWW8zTzFsa1JKeVhVTHIyZ2hOanc5cGY0JlgtQW16LVNpZ25hdHVyZT0zNTg5MjBjYzI2ODI4MTk0YjI5MmY4Zjk1MWRkZDRjYWJhNmQ4MDczODljYmVmNjI5YTNmYTcwMmVhMDI3MzIxJlgtQW16LVNpZ25lZEhlYWRlcnM9aG9zdCZWZXJzaW9uPTE=';
/** A PKCS#8 key body as the JSON of a service account key holds it: lines joined by escaped `\n`. */
const PKCS8_ESCAPED =
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ6q8Ti+2fF3phsp8RFlU6Z3kdJE7dNel6xka/gPocihPDp6J4Lz\\nEAPEoaY7gGXAw8gJIUhLqLzU544fdoDKYSiUTgES2+qiiTWhYVsNZrBDj6yyuWyOiJJd6qtiKmwQ1mSz5/3zEywDn2g/nFYuZAhm\\nCOsQUifV3ENKZIe+cL5paj0swoHp5WVyZzx51AhGQRQShlRtdLNLUd5Ja555LR6EctQmrpo8Hr\\n';
const PKCS8_LINES =
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ6q8Ti+2fF3phsp8RFlU6Z3kdJE7dNel6xka/gPocihPDp6J4Lz\n    EAPEoaY7gGXAw8gJIUhLqLzU544fdoDKYSiUTgES2+qiiTWhYVsNZrBDj6yyuWyOiJJd6qtiKmwQ1mSz5/3zEywDn2g/nFYuZAhm';
const FLY_MACAROON =
  'fm2_lJPEsY6oOkNDr5rnfc+iYKMRvULmKXzo7+PSN84Z96DSsx7+CMfQHglUP2zIB07VLmkk/xkLHMPRd9rKEUSznektm3jKQUawVPwbRyoOaI5HiHJoMrAmwo5T29gGUCBPDdv3OPNK3N6kQ4DI6uWWFIn6uXWWWwXotP92LqB8BsiEW0oJGdLUOWlf8CHiiQfL6O6c+OMBMDfsoMk9Zm0M87MTjZOsYdXXZjIIMzjjN6fWuAj0qGeqV1+njBaznyTM42/FMbbG10jJrWAbSR0vdw77UoYZGRFOy7NY2hD8n9OOM9f8dPXB0tDuqCuHVfxPM8ub2lGJgQQS25mDWenoVszd8cgx3D8=';
const HVB_TOKEN =
  'hvb.RSy8qNyPG5TScP8PsJ8u9cTYkhYOwFLAnGdRxKZihwGTaAbECYe0WEMw7RAOY_ZQCxU3-TIyr0j2yNoKlzpH5krrysvzGY5C_ijupNpzR4C-KOKw_T7ODF90f-F2xpR2wWEqTlfiyZ';
const OP_SERVICE_ACCOUNT_TOKEN =
  'ops_eyJzaWduSW5BZGRyZXNzIjoibXkuMXBhc3N3b3JkLmNvbSIsInVzZXJBdXRoIjp7Im1ldGhvZCI6IlNSUGctNDA5NiIsImFsZyI6IlBCRVMyZy1IUzI1NiIsIml0ZXJhdGlvbnMiOjY1MDAwMCwic2FsdCI6IlkyeGp0aEFRR0l3U3lDRFhxRkI5eXcifSwiZW1haWwiOiI3OTE1NTBjZjg1MGNAMXBhc3N3b3Jkc2VydmljZWFjY291bnRzLmNvbSIsInNycFgiOiJkYTA2YmE4ZWZjMTJhNmY5NjkzOTA0ZTllYjAwMmZmNDExYmI1ZjE4NGZiYTc1YTY0M2Y0NjRkNGFhNGUzNjViIiwibXVrIjp7ImFsZyI6IkEyNTZHQ00iLCJleHQiOnRydWUsImsiOiJMNEh3RnFMQkYzb2ZHdXE4OE1GUllWcUhGUkM2S0xYWWVyejBUUTRleFNHIiwia2V5X29wcyI6WyJlbmNyeXB0IiwiZGVjcnlwdCJdLCJrdHkiOiJvY3QiLCJraWQiOiJtcCJ9LCJzZWNyZXRLZXkiOiJBMy1RWjdNMlctUks0VDlQLUg2Vk5CLTM4Q0pYLVBMRDJGLTlXS1JUIiwidGhyb3R0bGVTZWNyZXQiOnsic2VlZCI6IjRmZjI3YjdkYWQ1YTlmNjBhMGVlOTliMzA2ZTIwMTRhMzQyNWEwNDVjYThiZjJjN2EwOTMyMWQwYzhjM2I5ZDgiLCJkZXZpY2VVdWlkIjoiY3NpMlBZWlRucG9jVENTTnVDWEd2TzQwWDAifSwiZGV2aWNlVXVpZCI6InlGOGtFNjNEdGczcWJzSkpMWGhzeWQyMURwIn0';
const OP_CONNECT_JWT =
  'eyJhbGciOiJFUzI1NiIsImtpZCI6IjRxbjFwa3UzODhmNTg2djZzdW13Y3lqZmJoIiwidHlwIjoiSldUIn0.eyIxcGFzc3dvcmQuY29tL2F1dWlkIjoiMDRCSkxQQ1ZRUFZBUExSTFNPT1Q5SUdQUTMiLCIxcGFzc3dvcmQuY29tL3Rva2VuIjoiQldPbmRUNGVXbnpaVHNvbm5RSDRtNEJqZFpZRFFOOVoiLCIxcGFzc3dvcmQuY29tL2Z0cyI6WyJ2YXVsdGFjY2VzcyJdLCIxcGFzc3dvcmQuY29tL3Z0cyI6W3sidSI6ImM5Y3hrbXhreDBodjZ5c2VsdDQ2OG9ubG56IiwiYSI6NDh9XSwiYXVkIjpbImNvbS4xcGFzc3dvcmQuY29ubmVjdCJdLCJzdWIiOiJFNUtNRkxXT0ZXV05MTFFHQlJPRU1GSTc0NiIsImlhdCI6MTcxODAwMDAwMCwiaXNzIjoiY29tLjFwYXNzd29yZC5iNSJ9.nwmqmuFDQP4sUYk2UV4D61J8T93DslrN5MsN37VUnPnZwyX7MH42n3O8qqfdUy9g0OGt8E67MXe9v6n1JduQqW';
const ARGOCD_JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJhcmdvY2QiLCJzdWIiOiJjaS1kZXBsb3llcjphcGlLZXkiLCJuYmYiOjE3MTgwMDAwMDAsImlhdCI6MTcxODAwMDAwMCwianRpIjoiZjgzYjIyY2ItNmM4YS00YzY3LThkYjEtNTFhYjIwYWUyYTQxIn0.5cnOQ2u3ZpeWRRAInJmqMlBvBsWKcuUgm58khZ0hy9N';
const FCM_SERVER_KEY =
  'AAAAxqi4TDL:APA91bh0eA73_zO_w8GYbKhhsmlV82iekp6Mj6pdY73qdWpnf1fRzxmaYfE9bCCHHYegIymqH95fDRpRXru2Hv2v6dkaRygeqcd-lZbUrUL4flUTNi9hI4Ngk0z54EflJ1huMyUzN6TR';
const CLOUDFLARE_ORIGIN_CA_KEY =
  'v1.0-4f0f3dfc7c27533707f9592e-d0cbe8f323d67a3b86c3cf8cab225bdd63d628665e2ffd5b61145122da934ca6b8a20b4c42ee64f57fab0138fc9273e8ba56f4ded67e7d2790dc737568227745ce5fbefc803c8211df';

export const CLOUD_DETECTORS: readonly DetectorSpec[] = [
  // --- AWS: access keys (documented unique-ID prefixes), STS session tokens, MWS and Bedrock API keys.
  {
    id: 'aws-access-key-id',
    title: 'AWS access key ID',
    description:
      'The public half of an AWS access key (AKIA long-term, ASIA temporary STS, ABIA/ACCA service keys). Not a ' +
      'secret alone, but its secret access key is almost always stored next to it.',
    keywords: ['akia', 'asia', 'abia', 'acca'],
    pattern: String.raw`(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}(?![A-Za-z0-9])`,
    checks: ['not-example'],
    examples: {
      positive: ['AWS_ACCESS_KEY_ID=AKIA47C7F7EU2MXGAGTL', '[default]\naws_access_key_id = ASIAKD4IJOOUWFV5FQFC'],
      negative: ['aws_access_key_id = AKIAIOSFODNN7EXAMPLE', 'AKIA47C7F7EU2MXGAGT', 'role: AROA47C7F7EU2MXGAGTL', 'region: ASIA-PACIFIC'],
    },
  },
  {
    id: 'aws-secret-access-key',
    title: 'AWS secret access key',
    description:
      'The secret half of an AWS access key: with the key ID it signs API requests as the IAM user or role, often ' +
      'with broad rights over the account.',
    severity: 'critical',
    keywords: ['secret_access_key', 'secretaccesskey', 'secret-access-key', 'aws_secret_key', 'aws-secret-key', 'awssecretkey'],
    pattern: String.raw`${anyCase('aws[_.-]?secret[_.-]?(?:access[_.-]?)?key|secret[_.-]?access[_.-]?key')}${ASSIGN}(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`,
    entropy: 4,
    checks: ['not-example'],
    examples: {
      positive: [
        '[default]\naws_access_key_id = AKIA47C7F7EU2MXGAGTL\naws_secret_access_key = 7+ounxw6teIce4Fl5RMwn+bDcicaarF4V/z+NFPi',
        'env:\n  - name: AWS_SECRET_ACCESS_KEY\n    value: "FKUKXjGP4pPvROEZdvN/4vN0MvU3H4kOYcE59+g0"',
        '{"AccessKeyId": "ASIAKD4IJOOUWFV5FQFC", "SecretAccessKey": "FKUKXjGP4pPvROEZdvN/4vN0MvU3H4kOYcE59+g0"}',
      ],
      negative: [
        'AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}',
        'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        'aws_secret_access_key: 7+ounxw6teIce4Fl5RMwn+bDcicaarF4V/z+NFPi0123',
      ],
    },
  },
  {
    id: 'aws-session-token',
    title: 'AWS session token',
    description:
      'The session token of temporary STS credentials: together with its ASIA key pair it acts as the assumed role ' +
      'until it expires (up to 36 hours).',
    keywords: ['session_token', 'sessiontoken', 'session-token', 'security_token', 'security-token'],
    pattern: String.raw`${anyCase('aws[_.-]?session[_.-]?token|aws[_.-]?security[_.-]?token|sessiontoken')}${ASSIGN}(?<secret>[A-Za-z0-9/+]{100,2048}={0,2})(?![A-Za-z0-9/+=])`,
    entropy: 4.5,
    examples: {
      positive: [`aws_session_token = ${AWS_SESSION_TOKEN}`, `{"Credentials": {"SessionToken": "${AWS_SESSION_TOKEN}"}}`],
      negative: ['AWS_SESSION_TOKEN: ""', 'aws_session_token = IQoJb3JpZ2luX2VjEV9Nnzsh', 'AWS_SESSION_TOKEN=$(AWS_SESSION_TOKEN)'],
    },
  },
  {
    id: 'aws-mws-auth-token',
    title: 'Amazon MWS auth token',
    description: 'An Amazon Marketplace Web Service authorisation token: it lets a developer act on a seller account.',
    keywords: ['amzn.mws.'],
    pattern: String.raw`(?<![A-Za-z0-9.])amzn\.mws\.${UUID}(?![A-Za-z0-9-])`,
    examples: {
      positive: ['MWS_AUTH_TOKEN=amzn.mws.e0bbacac-5e3f-4eee-8bde-ff2d63c334dc'],
      negative: ['MWS_AUTH_TOKEN=amzn.mws.<your-token>', 'amzn.mws.e0bbacac-5e3f-4eee-8bde'],
    },
  },
  {
    id: 'aws-bedrock-api-key',
    title: 'Amazon Bedrock long-term API key',
    description:
      'A long-term Amazon Bedrock API key (an IAM service-specific credential, ABSK prefix): it calls Bedrock models ' +
      'as its IAM user until it expires or is deleted.',
    keywords: ['absk'],
    pattern: String.raw`(?<![A-Za-z0-9+/])ABSKQmVkcm9ja0FQSUtleS[A-Za-z0-9+/]{40,400}={0,2}(?![A-Za-z0-9+/=])`,
    examples: {
      positive: [`AWS_BEARER_TOKEN_BEDROCK=${BEDROCK_LONG_TERM_KEY}`],
      negative: ['AWS_BEARER_TOKEN_BEDROCK=ABSKQmVkcm9ja0FQSUtleS...', 'id: ABSKQ1234'],
    },
  },
  {
    id: 'aws-bedrock-short-term-api-key',
    title: 'Amazon Bedrock short-term API key',
    description:
      'A short-term Amazon Bedrock API key: a pre-signed request with the caller\'s credentials, valid for up to ' +
      '12 hours with the permissions of the identity that made it.',
    severity: 'medium',
    keywords: ['bedrock-api-key-'],
    pattern: String.raw`(?<![A-Za-z0-9-])bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/]{100,4000}={0,2}(?![A-Za-z0-9+/=])`,
    examples: {
      positive: [`AWS_BEARER_TOKEN_BEDROCK=${BEDROCK_SHORT_TERM_KEY}`],
      negative: ['token_prefix: bedrock-api-key-', 'AWS_BEARER_TOKEN_BEDROCK=bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t'],
    },
  },

  // --- Google Cloud: service account key files, API keys, OAuth client secrets and tokens.
  {
    id: 'gcp-service-account-key',
    title: 'Google Cloud service account key',
    description:
      'The private key of a Google Cloud service account key file (JSON with private_key_id and private_key): it ' +
      'authenticates as the service account, frequently with project-wide roles.',
    severity: 'critical',
    keywords: ['private_key_id'],
    pattern: String.raw`"private_key_id"\s{0,4}:\s{0,4}"[a-f0-9]{40}"\s{0,4},\s{0,8}"private_key"\s{0,4}:\s{0,4}"(?<secret>-----BEGIN (?:RSA )?PRIVATE KEY-----[A-Za-z0-9+/=\\\s]{64,4096}-----END (?:RSA )?PRIVATE KEY-----(?:\\n)?)"`,
    examples: {
      positive: [
        `{\n  "type": "service_account",\n  "project_id": "shop-prod-4821",\n  "private_key_id": "7f8e7370684aef0b3ea0026a3a2b2fe5e4282776",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\n${PKCS8_ESCAPED}-----END PRIVATE KEY-----\\n",\n  "client_email": "deployer@shop-prod-4821.iam.gserviceaccount.com"\n}`,
        `stringData:\n  key.json: |\n    {"type":"service_account","private_key_id":"7f8e7370684aef0b3ea0026a3a2b2fe5e4282776","private_key":"-----BEGIN PRIVATE KEY-----\\n${PKCS8_ESCAPED}-----END PRIVATE KEY-----\\n"}`,
      ],
      negative: [
        '{"type": "service_account", "private_key_id": "7f8e7370684aef0b3ea0026a3a2b2fe5e4282776", "private_key": "<paste key>"}',
        '{"private_key_id": "${KEY_ID}", "private_key": "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n"}',
      ],
    },
  },
  {
    id: 'gcp-api-key',
    title: 'Google API key',
    description:
      'A Google Cloud API key (AIza...): it calls the Google APIs enabled for its project (Maps, Gemini, Firebase and ' +
      'others) and bills them to that project unless restricted.',
    keywords: ['aiza'],
    pattern: String.raw`(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])`,
    checks: ['not-example'],
    examples: {
      positive: ['GOOGLE_API_KEY=AIzak8pCEethYPW8HkEzUML5641hBbXUSQ_dvGO', '  geminiApiKey: "AIzaTEkX1vk1WTvkgtNENCQl-vx4_CVxmGFv3Pu"'],
      negative: ['GOOGLE_API_KEY=AIzaSy...', 'GOOGLE_API_KEY=AIzak8pCEethYPW8HkEzUML5641hBbXUSQ_dvGOx'],
    },
  },
  {
    id: 'gcp-oauth-client-secret',
    title: 'Google OAuth client secret',
    description: 'The secret of a Google OAuth 2.0 client (GOCSPX-): with the client ID it obtains tokens as that application.',
    keywords: ['gocspx-'],
    pattern: String.raw`(?<![A-Za-z0-9_-])GOCSPX-[A-Za-z0-9_-]{28}(?![A-Za-z0-9_-])`,
    examples: {
      positive: ['GOOGLE_CLIENT_SECRET=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', '{"web": {"client_secret": "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"}}'],
      negative: ['GOOGLE_CLIENT_SECRET=GOCSPX-<secret>', 'client_secret: GOCSPX-2KY2cuKCU'],
    },
  },
  {
    id: 'gcp-oauth-refresh-token',
    title: 'Google OAuth refresh token',
    description:
      'A Google OAuth refresh token (1//...): it mints new access tokens for the user and scopes it was granted, ' +
      'until revoked.',
    keywords: ['1//0'],
    pattern: String.raw`(?<![A-Za-z0-9_/-])1//0[A-Za-z0-9_-]{50,250}(?![A-Za-z0-9_-])`,
    entropy: 4,
    examples: {
      positive: ['  "refresh_token": "1//0O-Ov3sPCqdnj-guQ-7jqQ730Uuq5h6GV9XdUA3Ng6pJbPxx5QwZWa4Iar-82TC-T7dONG_2JDULxIAttrHdjQQxbDtC0eUPdfE"'],
      negative: ['"refresh_token": "1//0..."', 'see https://1//0 for details', '"refresh_token": "1//0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"'],
    },
  },
  {
    id: 'gcp-oauth-access-token',
    title: 'Google OAuth access token',
    description: 'A Google OAuth 2.0 access token (ya29.): it calls Google APIs with its scopes for about an hour.',
    severity: 'medium',
    keywords: ['ya29.'],
    pattern: String.raw`(?<![A-Za-z0-9_-])ya29\.[A-Za-z0-9_-]{50,2048}(?![A-Za-z0-9_.-])`,
    entropy: 4,
    examples: {
      positive: ['Authorization: Bearer ya29.XlNBtahLcS11P23PmIhIR1YlrAT7K6AWcq3WPb87hCwed3C7pF4W6x7UHrWBlkWTgU9a4n8PgLu-k1dA1ogP4C-SjQ07BNzg1-IuohKvYld8qEWO5S8A3UXhX58HgzEZhi08njvUBomaLEggMdb0r4mviuPP9yoi'],
      negative: ['Authorization: Bearer ya29.<token>', 'token: ya29.short'],
    },
  },

  // --- Azure: storage and Cosmos DB account keys, SAS tokens, Entra ID client secrets, connection strings, DevOps PATs.
  {
    id: 'azure-cosmosdb-key',
    title: 'Azure Cosmos DB account key',
    description:
      'A Cosmos DB account key in a connection string: read and write access to every database and container of the ' +
      'account.',
    severity: 'critical',
    keywords: ['documents.azure'],
    pattern: String.raw`AccountEndpoint=https://[A-Za-z0-9-]{3,50}\.documents\.azure\.(?:com|us|cn)(?::443)?/?;\s{0,2}AccountKey=(?<secret>[A-Za-z0-9+/]{86}==)`,
    examples: {
      positive: ['COSMOS_CONNECTION=AccountEndpoint=https://orders-prod.documents.azure.com:443/;AccountKey=C+Ry7iRiFXpsP16ctzEixH1jfIiNeX+Hzez/afaPyRcXEayNFFEb+H3BUCNFwdMgIWsdNTa6sr2IAY0TBYd98j==;'],
      negative: ['AccountEndpoint=https://orders-prod.documents.azure.com:443/;AccountKey=${COSMOS_KEY};', 'AccountEndpoint=https://localhost:8081/;AccountKey=short=='],
    },
  },
  {
    id: 'azure-storage-account-key',
    title: 'Azure Storage account key',
    description:
      'A storage account access key (in a connection string or on its own): full control of every blob, queue, table ' +
      'and file share of the account, and the power to sign any SAS token for it.',
    severity: 'critical',
    keywords: ['accountkey', 'azure_storage', 'azure-storage', 'azurestorage', 'azure.storage'],
    pattern: String.raw`(?<![A-Za-z0-9])(?:${anyCase('AccountKey')}\s{0,2}=\s{0,2}|${anyCase('azure[_.-]?storage[_.-]?(?:account[_.-]?)?(?:access[_.-]?)?key')}${ASSIGN})(?<secret>[A-Za-z0-9+/]{86}==)`,
    examples: {
      positive: [
        'AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=shopassets;AccountKey=GzsKKRJ05dERW8Trm0AIbrF0230ZTsqe9O9vghYQzid2kOYGYhknfKVW1TgYsus4QgG1c7SUmicrjo3UJ7HbwB==;EndpointSuffix=core.windows.net',
        '  azurestorageaccountkey: gTOTPXaIN3uDkcGUpXrA5/RnkshtdW7nUw2BUlWbsVpF0jwEp+ncxbxwqlMxCXsaY4h4QuxQACRMg2g7aZuMe0==',
      ],
      negative: [
        'DefaultEndpointsProtocol=https;AccountName=shopassets;AccountKey=<storage-key>;EndpointSuffix=core.windows.net',
        'UseDevelopmentStorage=true',
        'AccountKey=GzsKKRJ05dERW8Trm0AIbrF0230ZTsqe9O9vghYQzid2kOYGYhknfKVW1TgYsus4QgG1c7SU==',
      ],
    },
  },
  {
    id: 'azure-storage-sas-token',
    title: 'Azure shared access signature (SAS) token',
    description:
      'A signed SAS query string (sv=...&sig=...): whoever holds it has the permissions it lists on the storage ' +
      'resource until its expiry, without any other credential.',
    keywords: ['sig='],
    pattern: String.raw`(?<![A-Za-z0-9])sv=20\d{2}-\d{2}-\d{2}(?:&[^\s"'<>]{0,400}?)?&sig=(?<secret>[A-Za-z0-9%+/]{40,120}(?:%3[Dd]|=))(?![A-Za-z0-9%])`,
    entropy: 3.5,
    examples: {
      positive: [
        'BACKUP_SAS_URL=https://shopassets.blob.core.windows.net/backups?sp=racwl&st=2024-05-01T00:00:00Z&se=2025-05-01T00:00:00Z&spr=https&sv=2022-11-02&sr=c&sig=ri7jJG7gI0xIdxzfi26OS2Fetw95RvsQk4iV99BDca0%3D',
        'sas_token: "?sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupiytfx&se=2026-01-01T00:00:00Z&spr=https&sig=i164iKJr3fZhEa9FFgmxy9R%2FwOKWucFK2JSGOwx46Kp%3D"',
      ],
      negative: ['sas: "?sv=2022-11-02&ss=b&sig=${SAS_SIGNATURE}"', 'https://example.com/?sv=2022-11-02&sig=abc', 'sig=ri7jJG7gI0xIdxzfi26OS2Fetw95RvsQk4iV99BDca0%3D'],
    },
  },
  {
    id: 'azure-entra-client-secret',
    title: 'Microsoft Entra ID (Azure AD) client secret',
    description:
      'An application password of a Microsoft Entra ID app registration (the format with Q~): with the client ID it ' +
      'signs in as the service principal, which often holds Azure subscription roles.',
    severity: 'critical',
    keywords: ['0q~', '1q~', '2q~', '3q~', '4q~', '5q~', '6q~', '7q~', '8q~', '9q~'],
    pattern: String.raw`(?<![A-Za-z0-9_~.-])(?<secret>[A-Za-z0-9_~.-]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])`,
    entropy: 3.5,
    examples: {
      positive: ['AZURE_CLIENT_SECRET=sEr7Q~nh3ucvih6GRN8I7dAS8Hva6pLRdr0TYxd2', '  clientSecret: "npc4Q~18~O_2A8uBW-.Ohn.WZwJgb~ode4clrth"'],
      negative: ['AZURE_CLIENT_SECRET=<client-secret>', 'AZURE_CLIENT_ID=4f1c2b3a-9d8e-4c7b-a6f5-0e1d2c3b4a59', 'version: abc7Q~short'],
    },
  },
  {
    id: 'azure-service-bus-connection-string',
    title: 'Azure Service Bus / Event Hubs connection string',
    description:
      'A shared access key in a Service Bus, Event Hubs or Relay connection string: it sends, receives or manages ' +
      '(RootManageSharedAccessKey) the namespace\'s queues, topics and hubs.',
    keywords: ['servicebus.'],
    pattern: String.raw`Endpoint=sb://[A-Za-z0-9-]{1,64}\.servicebus\.(?:windows\.net|usgovcloudapi\.net|chinacloudapi\.cn)/?;\s{0,2}SharedAccessKeyName=[^;\s"']{1,256};\s{0,2}SharedAccessKey=(?<secret>[A-Za-z0-9+/]{43}=)`,
    examples: {
      positive: [
        'SERVICEBUS_CONNECTION=Endpoint=sb://orders-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=8PeNqk7UdQvYwQms85ZcWC6MavLMFnPWEeNBhIM2/8y=',
        '  eventhub: "Endpoint=sb://telemetry.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=OmWb0yD6hAvI56OCRVHeTGr0P/JMjl+gfVhDaGCw3L1=;EntityPath=events"',
      ],
      negative: ['Endpoint=sb://orders-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=<key>', 'Endpoint=sb://orders-bus.servicebus.windows.net/;Authentication=Managed Identity'],
    },
  },
  {
    id: 'azure-iot-hub-connection-string',
    title: 'Azure IoT Hub connection string',
    description: 'A shared access key of an IoT Hub policy or device: it sends and receives as that device, or manages the hub.',
    keywords: ['azure-devices.'],
    pattern: String.raw`HostName=[A-Za-z0-9-]{1,64}\.azure-devices\.(?:net|us|cn);\s{0,2}(?:SharedAccessKeyName|DeviceId)=[^;\s"']{1,256};(?:\s{0,2}ModuleId=[^;\s"']{1,256};)?\s{0,2}SharedAccessKey=(?<secret>[A-Za-z0-9+/]{43}=)`,
    examples: {
      positive: ['IOTHUB_DEVICE_CONNECTION_STRING=HostName=plant-7.azure-devices.net;DeviceId=press-12;SharedAccessKey=OmWb0yD6hAvI56OCRVHeTGr0P/JMjl+gfVhDaGCw3L1='],
      negative: ['HostName=plant-7.azure-devices.net;DeviceId=press-12;SharedAccessKey={{ .Values.deviceKey }}', 'HostName=plant-7.azure-devices.net;DeviceId=press-12;x509=true'],
    },
  },
  {
    id: 'azure-app-configuration-connection-string',
    title: 'Azure App Configuration connection string',
    description: 'An App Configuration access key (Endpoint=...azconfig.io;Id=...;Secret=...): it reads, and often writes, the store\'s settings and feature flags.',
    keywords: ['azconfig.io'],
    pattern: String.raw`Endpoint=https://[A-Za-z0-9-]{1,64}\.azconfig\.io/?;\s{0,2}Id=[^;\s"']{1,128};\s{0,2}Secret=(?<secret>[A-Za-z0-9+/]{40,88}={0,2})(?![A-Za-z0-9+/=])`,
    entropy: 4,
    examples: {
      positive: ['APP_CONFIG_CONNECTION=Endpoint=https://shop-settings.azconfig.io;Id=vvIx-l0-s0:1vz25SKbSDTuMTY3;Secret=yMSrMna6NFmYX/1Fenffa628OU0YEIdUp4ejkAHqitJ='],
      negative: ['Endpoint=https://shop-settings.azconfig.io;Id=vvIx-l0-s0:1vz25SKbSDTuMTY3;Secret=<secret>', 'endpoint: https://shop-settings.azconfig.io'],
    },
  },
  {
    id: 'azure-cache-for-redis-connection-string',
    title: 'Azure Cache for Redis access key',
    description: 'An access key in an Azure Cache for Redis connection string: full read and write access to the cache.',
    keywords: ['redis.cache.'],
    pattern: String.raw`[A-Za-z0-9-]{1,63}\.redis\.cache\.(?:windows\.net|usgovcloudapi\.net|chinacloudapi\.cn)(?::\d{2,5})?,\s{0,2}password=(?<secret>[A-Za-z0-9+/]{43}=)`,
    examples: {
      positive: ['REDIS_CONNECTION=sessions.redis.cache.windows.net:6380,password=7GEL7i5xEKkUFfkA29n4vWvauWvW+gHK88OGSEwIW1S=,ssl=True,abortConnect=False'],
      negative: ['sessions.redis.cache.windows.net:6380,password=${REDIS_KEY},ssl=True', 'sessions.redis.cache.windows.net:6380,ssl=True'],
    },
  },
  {
    id: 'azure-signalr-connection-string',
    title: 'Azure SignalR / Web PubSub connection string',
    description: 'An access key of an Azure SignalR Service or Web PubSub instance: it mints client tokens and sends to every hub.',
    keywords: ['signalr.net', 'webpubsub.azure'],
    pattern: String.raw`Endpoint=https://[A-Za-z0-9-]{1,64}\.(?:service\.signalr\.net|webpubsub\.azure\.com);\s{0,2}AccessKey=(?<secret>[A-Za-z0-9+/]{43}=)`,
    examples: {
      positive: ['Azure__SignalR__ConnectionString=Endpoint=https://chat-prod.service.signalr.net;AccessKey=vA2mDw2uE+6ETDj1OXhrgtPvQEj5JAc/AOeyY20+uI3=;Version=1.0;'],
      negative: ['Endpoint=https://chat-prod.service.signalr.net;AuthType=azure.msi;Version=1.0;'],
    },
  },
  {
    id: 'azure-devops-pat',
    title: 'Azure DevOps personal access token',
    description:
      'An Azure DevOps personal access token: it acts as its user on repositories, pipelines, artifacts and work ' +
      'items, within the scopes it was given.',
    keywords: ['azure_devops', 'azure-devops', 'azuredevops', 'azure.devops', 'azdo', 'ado_pat', 'ado-pat', 'vsts'],
    pattern: String.raw`${anyCase('azure[_.-]?devops|azdo|ado[_.-]pat|vsts')}[\w.-]{0,30}${ASSIGN}(?<secret>[a-z2-7]{52}|[A-Za-z0-9]{84})(?![A-Za-z0-9])`,
    entropy: 3.5,
    examples: {
      positive: [
        'AZURE_DEVOPS_EXT_PAT=zn4wkv2dynjkgpsaqcdfgt26x37hp7ojgldlp5fdpk44rc2fuvd5',
        '  AZDO_PERSONAL_ACCESS_TOKEN: "wSaXeHlJNIsedF7Hjtjwfz2rAYAhZGB6FYvFmv6yxPyiXkwOktAcTfYOUmwt8clzvIwkLunkSJoHYwgkXEYD"',
      ],
      negative: ['AZURE_DEVOPS_EXT_PAT=$(System.AccessToken)', 'AZURE_DEVOPS_ORG_URL=https://dev.azure.com/contoso', 'AZDO_PERSONAL_ACCESS_TOKEN=zn4wkv2dynjkgpsaqcdfgt26x37hp7oj'],
    },
  },
  {
    id: 'azure-devops-pat-in-url',
    title: 'Azure DevOps personal access token in a Git URL',
    description: 'An Azure DevOps personal access token embedded in a clone URL: it reads (and usually pushes) the organisation\'s repositories.',
    keywords: ['dev.azure.com', 'visualstudio.com'],
    pattern: String.raw`https://(?:[A-Za-z0-9._%-]{0,64}:)?(?<secret>[a-z2-7]{52}|[A-Za-z0-9]{84})@(?:dev\.azure\.com|[A-Za-z0-9-]{1,64}\.visualstudio\.com)`,
    entropy: 3.5,
    examples: {
      positive: ['repoURL: https://build:zn4wkv2dynjkgpsaqcdfgt26x37hp7ojgldlp5fdpk44rc2fuvd5@dev.azure.com/contoso/shop/_git/manifests'],
      negative: ['repoURL: https://contoso@dev.azure.com/contoso/shop/_git/manifests', 'repoURL: https://dev.azure.com/contoso/shop/_git/manifests'],
    },
  },

  // --- DigitalOcean: personal access tokens and OAuth tokens.
  {
    id: 'digitalocean-personal-access-token',
    title: 'DigitalOcean personal access token',
    description: 'A DigitalOcean API token (dop_v1_): it manages the team\'s droplets, Kubernetes clusters, databases and DNS within its scopes.',
    severity: 'critical',
    keywords: ['dop_v1_'],
    pattern: String.raw`(?<![A-Za-z0-9_])dop_v1_[a-f0-9]{64}(?![A-Za-z0-9_])`,
    examples: {
      positive: ['DIGITALOCEAN_ACCESS_TOKEN=dop_v1_8d69e0542ec3aaac9d73764394bf652126d42dbda6bf5a2587e1369d8ba0e942', '  access-token: "dop_v1_8d69e0542ec3aaac9d73764394bf652126d42dbda6bf5a2587e1369d8ba0e942"'],
      negative: ['DIGITALOCEAN_ACCESS_TOKEN=dop_v1_xxxxxxxxxxxxxxxx', 'dop_v1_8d69e0542ec3aaac9d73764394bf652126d42dbda6bf5a2587e1369d8ba0e94'],
    },
  },
  {
    id: 'digitalocean-oauth-token',
    title: 'DigitalOcean OAuth access token',
    description: 'A DigitalOcean OAuth access token (doo_v1_) issued to an application: API access on the user\'s behalf.',
    keywords: ['doo_v1_'],
    pattern: String.raw`(?<![A-Za-z0-9_])doo_v1_[a-f0-9]{64}(?![A-Za-z0-9_])`,
    examples: {
      positive: ['token: doo_v1_14ad87af48127705e84e1c1a94f4f7d23a1a3fd9f33f9c7f7191fd69e97974b5'],
      negative: ['token: doo_v1_<token>'],
    },
  },
  {
    id: 'digitalocean-refresh-token',
    title: 'DigitalOcean OAuth refresh token',
    description: 'A DigitalOcean OAuth refresh token (dor_v1_): it mints new access tokens for the application.',
    keywords: ['dor_v1_'],
    pattern: String.raw`(?<![A-Za-z0-9_])dor_v1_[a-f0-9]{64}(?![A-Za-z0-9_])`,
    examples: {
      positive: ['{"refresh_token": "dor_v1_b7e6701925be9bc192c82026fb5ae4e24562f53d5a76c7b7e64d5983dbff1e2b"}'],
      negative: ['{"refresh_token": "dor_v1_"}'],
    },
  },

  // --- Alibaba Cloud: AccessKey ID (LTAI) and AccessKey secret.
  {
    id: 'alibaba-access-key-id',
    title: 'Alibaba Cloud AccessKey ID',
    description: 'An Alibaba Cloud AccessKey ID (LTAI...): the public half of a RAM key pair, usually stored next to its secret.',
    keywords: ['ltai'],
    pattern: String.raw`(?<![A-Za-z0-9])LTAI[A-Za-z0-9]{12,20}(?![A-Za-z0-9])`,
    entropy: 3,
    examples: {
      positive: ['ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIX0xfVKjOHeR3ynqRvXVU'],
      negative: ['ALIBABA_CLOUD_ACCESS_KEY_ID=LTAI****', 'SALTAIX0xfVKjOHeR3ynqRvXVU'],
    },
  },
  {
    id: 'alibaba-access-key-secret',
    title: 'Alibaba Cloud AccessKey secret',
    description: 'The secret of an Alibaba Cloud AccessKey pair: it signs API calls as the RAM user or account that owns it.',
    severity: 'critical',
    keywords: ['alibaba', 'aliyun', 'alicloud', 'accesskeysecret', 'access_key_secret', 'access-key-secret'],
    pattern: String.raw`${anyCase('ali(?:baba|yun|cloud)[\\w.-]{0,30}secret(?:[_.-]?key)?|access[_.-]?key[_.-]?secret')}${ASSIGN}(?<secret>[A-Za-z0-9]{30})(?![A-Za-z0-9])`,
    entropy: 3.5,
    examples: {
      positive: ['ALIBABA_CLOUD_ACCESS_KEY_SECRET=xYXzwQGVNauZOeLX7OyvML889bOWk8', 'oss:\n  accessKeyId: LTAIX0xfVKjOHeR3ynqRvXVU\n  accessKeySecret: xYXzwQGVNauZOeLX7OyvML889bOWk8'],
      negative: ['ALICLOUD_SECRET_KEY=${ALICLOUD_SECRET_KEY}', 'accessKeySecret: xYXzwQGVNauZOeLX7OyvML889bOWk8abc'],
    },
  },

  // --- IBM Cloud and Oracle Cloud Infrastructure.
  {
    id: 'ibm-cloud-api-key',
    title: 'IBM Cloud API key',
    description: 'An IBM Cloud IAM API key: it obtains IAM tokens as the user or service ID that owns it, across the account.',
    severity: 'critical',
    keywords: ['ibm', 'ic_api_key', 'iam_apikey'],
    pattern: String.raw`(?:${anyCase('ibm[\\w.-]{0,30}api[_.-]?key|ic[_.-]api[_.-]key')}${ASSIGN}|"apikey"\s{0,4}:\s{0,4}")(?<secret>[A-Za-z0-9_-]{44})(?![A-Za-z0-9_-])`,
    entropy: 4,
    examples: {
      positive: ['IBMCLOUD_API_KEY=WaxZFpmImqplqYc6PJTjfL_ErOSRTnhi0iULKnP25cqN', '{"apikey": "WaxZFpmImqplqYc6PJTjfL_ErOSRTnhi0iULKnP25cqN", "iam_apikey_name": "cos-writer", "iam_serviceid_crn": "crn:v1:bluemix:public:iam-identity::a/1f2e::serviceid:ServiceId-7a1b"}'],
      negative: ['IBMCLOUD_API_KEY=<api-key>', 'IBMCLOUD_API_KEY=WaxZFpmImqplqYc6PJTjfL'],
    },
  },
  {
    id: 'oracle-oci-api-signing-key',
    title: 'Oracle Cloud (OCI) API signing key',
    description:
      'The private API signing key of an OCI user, next to its fingerprint and OCIDs: it signs API requests as that ' +
      'user in the tenancy.',
    severity: 'critical',
    keywords: ['ocid1.'],
    pattern: String.raw`${anyCase('fingerprint')}${ASSIGN}(?:[0-9a-f]{2}:){15}[0-9a-f]{2}["']?[\s\S]{0,600}?(?<secret>-----BEGIN (?:RSA )?PRIVATE KEY-----[\s\S]{64,4096}?-----END (?:RSA )?PRIVATE KEY-----)`,
    examples: {
      positive: [`provider "oci" {\n  tenancy_ocid = "ocid1.tenancy.oc1..aaaaaaaa4rj7wqzk2m"\n  user_ocid    = "ocid1.user.oc1..aaaaaaaaq3n6v2xw5h"\n  fingerprint  = "7d:83:e3:c2:92:b7:cc:2a:c5:d7:2b:e0:08:66:3c:4c"\n  private_key  = <<EOT\n-----BEGIN PRIVATE KEY-----\n    ${PKCS8_LINES}\n-----END PRIVATE KEY-----\nEOT\n}`],
      negative: ['user=ocid1.user.oc1..aaaaaaaaq3n6v2xw5h\nfingerprint=7d:83:e3:c2:92:b7:cc:2a:c5:d7:2b:e0:08:66:3c:4c\nkey_file=~/.oci/oci_api_key.pem'],
    },
  },

  // --- Tencent Cloud and Huawei Cloud.
  {
    id: 'tencent-cloud-secret-id',
    title: 'Tencent Cloud SecretId',
    description: 'A Tencent Cloud API SecretId (AKID...): the public half of an API key pair, usually next to its SecretKey.',
    keywords: ['akid'],
    pattern: String.raw`(?<![A-Za-z0-9])AKID[A-Za-z0-9]{32}(?![A-Za-z0-9])`,
    entropy: 3,
    examples: {
      positive: ['TENCENTCLOUD_SECRET_ID=AKIDL22VuFb2nA3aBPLPfkxx6Qbl3ruJJzoH'],
      negative: ['TENCENTCLOUD_SECRET_ID=AKID<secret-id>', 'AKIDL22VuFb2nA3aBPLPfkxx6Qbl3ru'],
    },
  },
  {
    id: 'tencent-cloud-secret-key',
    title: 'Tencent Cloud SecretKey',
    description: 'The SecretKey of a Tencent Cloud API key pair: it signs API requests as the sub-user or root account that owns it.',
    severity: 'critical',
    keywords: ['tencent', 'qcloud'],
    pattern: String.raw`${anyCase('(?:tencent|qcloud)[\\w.-]{0,30}secret[_.-]?key')}${ASSIGN}(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9])`,
    entropy: 3.5,
    examples: {
      positive: ['TENCENTCLOUD_SECRET_KEY=bfzQUSKfOGzXRJ0X6ciShcZG5akVnAE7', '  qcloud_secret_key: "bfzQUSKfOGzXRJ0X6ciShcZG5akVnAE7"'],
      negative: ['TENCENTCLOUD_SECRET_KEY=${TENCENTCLOUD_SECRET_KEY}', 'TENCENTCLOUD_SECRET_KEY=bfzQUSKfOGzXRJ0X'],
    },
  },
  {
    id: 'huawei-cloud-secret-access-key',
    title: 'Huawei Cloud secret access key',
    description: 'The secret access key (SK) of a Huawei Cloud AK/SK pair: it signs API and OBS requests as its IAM user.',
    severity: 'critical',
    keywords: ['huawei', 'hwcloud', 'hw_secret', 'hw-secret'],
    pattern: String.raw`${anyCase('(?:huawei[\\w.-]{0,30}|hwcloud[\\w.-]{0,30}|hw[_.-])(?:secret[_.-]?(?:access[_.-]?)?key|sk)')}${ASSIGN}(?<secret>[A-Za-z0-9]{40})(?![A-Za-z0-9])`,
    entropy: 3.5,
    examples: {
      positive: ['HUAWEICLOUD_SDK_SK=gocZyC1UAakIp1cLzOI53qMIChGxKqOUZT5xCOWd', 'HW_SECRET_KEY: gocZyC1UAakIp1cLzOI53qMIChGxKqOUZT5xCOWd'],
      negative: ['HUAWEICLOUD_SDK_SK=<sk>', 'HUAWEICLOUD_SDK_AK=QWERTYUIOPASDFGHJKLZ'],
    },
  },

  // --- Linode (Akamai Cloud), Vultr, Hetzner, Scaleway, OVHcloud: API tokens named by their variables.
  {
    id: 'linode-api-token',
    title: 'Linode API token',
    description: 'A Linode (Akamai Cloud) personal access token: it manages the account\'s instances, LKE clusters, volumes and DNS within its scopes.',
    severity: 'critical',
    keywords: ['linode'],
    pattern: String.raw`${anyCase('linode[\\w.-]{0,30}(?:token|api[_.-]?key|pat)')}${ASSIGN}(?<secret>[a-f0-9]{64})(?![A-Za-z0-9])`,
    entropy: 3,
    examples: {
      positive: ['LINODE_TOKEN=362e72b71141f65639730108316bbe0e98de9f92264ab7e272b132dd120ddedd', '  linode_api_token: "362e72b71141f65639730108316bbe0e98de9f92264ab7e272b132dd120ddedd"'],
      negative: ['LINODE_TOKEN=${LINODE_TOKEN}', 'LINODE_TOKEN=362e72b71141f65639730108316bbe0e'],
    },
  },
  {
    id: 'vultr-api-key',
    title: 'Vultr API key',
    description: 'A Vultr API key: full control of the account\'s instances, Kubernetes clusters, networks and billing.',
    severity: 'critical',
    keywords: ['vultr'],
    pattern: String.raw`${anyCase('vultr[\\w.-]{0,30}(?:api[_.-]?key|token)')}${ASSIGN}(?<secret>[A-Z0-9]{36})(?![A-Za-z0-9])`,
    entropy: 3,
    examples: {
      positive: ['VULTR_API_KEY=2DG5FY4L9L0W4CN7KTYJ8220G58SL3A0SYHF'],
      negative: ['VULTR_API_KEY=<api-key>', 'VULTR_API_KEY=2DG5FY4L9L0W4CN7KTYJ8220G58SL3A0'],
    },
  },
  {
    id: 'hetzner-cloud-api-token',
    title: 'Hetzner Cloud API token',
    description: 'A Hetzner Cloud project API token: it creates, changes and deletes the project\'s servers, networks and volumes.',
    severity: 'critical',
    keywords: ['hcloud', 'hetzner'],
    pattern: String.raw`${anyCase('hcloud[\\w.-]{0,30}token|hetzner[\\w.-]{0,30}(?:token|api[_.-]?key)')}${ASSIGN}(?<secret>[A-Za-z0-9]{64})(?![A-Za-z0-9])`,
    entropy: 3.5,
    examples: {
      positive: ['HCLOUD_TOKEN=2UZpK3RNFN063cXVL59NER7QYTBwm05lSNEGg7PcqLgE6DFKSerAJZOqYSLf6sso', 'kind: Secret\nmetadata:\n  name: hcloud\nstringData:\n  hcloud_token: 2UZpK3RNFN063cXVL59NER7QYTBwm05lSNEGg7PcqLgE6DFKSerAJZOqYSLf6sso'],
      negative: ['HCLOUD_TOKEN=${HCLOUD_TOKEN}', 'HCLOUD_TOKEN=2UZpK3RNFN063cXVL59NER7QYTBwm05l'],
    },
  },
  {
    id: 'scaleway-access-key',
    title: 'Scaleway access key',
    description: 'A Scaleway API access key (SCW...): the identifier half of an API key, usually stored next to its secret key.',
    severity: 'medium',
    keywords: ['scw'],
    pattern: String.raw`(?<![A-Za-z0-9])SCW[A-Z0-9]{17}(?![A-Za-z0-9])`,
    entropy: 3,
    examples: {
      positive: ['SCW_ACCESS_KEY=SCWNE1WO27DCXLEEPT4R'],
      negative: ['SCW_ACCESS_KEY=SCWXXXXXXXXXXXXXXXXX', 'SCW_DEFAULT_REGION=fr-par'],
    },
  },
  {
    id: 'scaleway-secret-key',
    title: 'Scaleway secret key',
    description: 'The secret key of a Scaleway API key: it acts as its IAM user or application across the organisation\'s projects.',
    severity: 'critical',
    keywords: ['scw', 'scaleway'],
    pattern: String.raw`${anyCase('(?:scw|scaleway)[\\w.-]{0,30}')}?${anyCase('secret[_.-]?key')}${ASSIGN}(?<secret>${UUID})(?![A-Za-z0-9-])`,
    examples: {
      positive: ['SCW_SECRET_KEY=e40d1a82-ccf2-4640-9b4d-fe159748a088', 'profiles:\n  prod:\n    access_key: SCWNE1WO27DCXLEEPT4R\n    secret_key: e40d1a82-ccf2-4640-9b4d-fe159748a088'],
      negative: ['SCW_SECRET_KEY=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx', 'SCW_DEFAULT_PROJECT_ID=e40d1a82-ccf2-4640-9b4d-fe159748a088'],
    },
  },
  {
    id: 'ovh-api-credentials',
    title: 'OVHcloud application secret or consumer key',
    description: 'An OVHcloud API application secret or consumer key: with the application key it calls the API with the rights granted to the consumer key.',
    keywords: ['ovh'],
    pattern: String.raw`${anyCase('(?:ovh[\\w.-]{0,30})?(?:application[_.-]?secret|app[_.-]?secret|consumer[_.-]?key)')}${ASSIGN}(?<secret>[A-Za-z0-9]{32})(?![A-Za-z0-9])`,
    entropy: 3.5,
    examples: {
      positive: ['OVH_APPLICATION_SECRET=ZIXfBuYj2dpELi1YMlp2s8gQpApzSbY3', '[ovh-eu]\napplication_key=7Xq2mN4pL8sR3tVw\napplication_secret=ZIXfBuYj2dpELi1YMlp2s8gQpApzSbY3'],
      negative: ['OVH_APPLICATION_SECRET=<secret>', 'OVH_ENDPOINT=ovh-eu'],
    },
  },

  // --- Heroku.
  {
    id: 'heroku-api-key',
    title: 'Heroku API key',
    description: 'A Heroku Platform API key (HRKU-AA...): it manages every app the user can reach, including their config vars and add-ons.',
    severity: 'critical',
    keywords: ['hrku-aa'],
    pattern: String.raw`(?<![A-Za-z0-9_-])HRKU-AA[A-Za-z0-9_-]{58}(?![A-Za-z0-9_-])`,
    examples: {
      positive: ['HEROKU_API_KEY=HRKU-AAZ-_uF4zAnLKm-xSdkH3QCFmdgL98kvIQjKFWZChkDHfBlJ8WLz2JzPGkXn'],
      negative: ['HEROKU_API_KEY=HRKU-AA...', 'HEROKU_API_KEY=HRKU-AAZ-_uF4zAnLKm-xSdkH3QCFmdgL98kvIQjKFWZ'],
    },
  },
  {
    id: 'heroku-api-key-legacy',
    title: 'Heroku API key (UUID format)',
    description: 'A Heroku API key or OAuth token in the older UUID format, named as Heroku\'s: the same account-wide Platform API access.',
    severity: 'critical',
    keywords: ['heroku'],
    pattern: String.raw`(?:${anyCase('heroku[\\w.-]{0,30}(?:api[_.-]?key|token|auth[_.-]?key)')}${ASSIGN}|machine api\.heroku\.com\s{1,10}login \S{1,100}\s{1,10}password\s{1,4})(?<secret>${UUID})(?![A-Za-z0-9-])`,
    examples: {
      positive: ['HEROKU_API_KEY=75c387f0-3743-42de-9b6b-8df703560b41', 'machine api.heroku.com\n  login ops@shop.example\n  password 75c387f0-3743-42de-9b6b-8df703560b41'],
      negative: ['HEROKU_APP_ID=75c387f0-3743-42de-9b6b-8df703560b41', 'HEROKU_API_KEY=${HEROKU_API_KEY}'],
    },
  },

  // --- Cloudflare: API tokens (cfut_/cfat_ and the older unprefixed form), global API key, Origin CA key.
  {
    id: 'cloudflare-api-token',
    title: 'Cloudflare API token',
    description: 'A Cloudflare user (cfut_) or account (cfat_) API token: it calls the API with the permissions and zones it was granted.',
    keywords: ['cfut_', 'cfat_'],
    pattern: String.raw`(?<![A-Za-z0-9_])cf[ua]t_[A-Za-z0-9]{40}[a-f0-9]{8}(?![A-Za-z0-9_])`,
    examples: {
      positive: ['CLOUDFLARE_API_TOKEN=cfut_XLtQEmzzYRtVyDW4oMV4gbDsQqD7sJaIdaqzTtOyd17eb9f5', '  api-token: cfat_p1cuSzso8FWD5glK3feMhMHApnpNuR7S16bKeT2X8f41e974'],
      negative: ['CLOUDFLARE_API_TOKEN=cfut_...', 'CLOUDFLARE_API_TOKEN=cfut_XLtQEmzzYRtVyDW4oMV4gbDsQqD7sJaIdaqzTtOy'],
    },
  },
  {
    id: 'cloudflare-api-token-legacy',
    title: 'Cloudflare API token (unprefixed)',
    description: 'A Cloudflare API token in the 40-character format without prefix, named as Cloudflare\'s: API access with its granted permissions, often DNS edit for cert-manager or external-dns.',
    keywords: ['cloudflare', 'cf_api_token', 'cf-api-token', 'cf_token'],
    pattern: String.raw`${anyCase('cloudflare[\\w.-]{0,30}token|cf[_.-](?:api[_.-])?token|api[_.-]?token')}${ASSIGN}(?<secret>[A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['CLOUDFLARE_API_TOKEN=XkfYZ433mhk-u0UeCkGwJAyJi80L59wFydimwG_G', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: cloudflare-api-token-secret\nstringData:\n  api-token: XkfYZ433mhk-u0UeCkGwJAyJi80L59wFydimwG_G'],
      negative: ['CLOUDFLARE_API_TOKEN=${CLOUDFLARE_API_TOKEN}', 'CLOUDFLARE_ZONE_ID=8362f6a7c5e18976a0caaec02fd69b6e'],
    },
  },
  {
    id: 'cloudflare-global-api-key',
    title: 'Cloudflare global API key',
    description: 'A Cloudflare global API key: with the account e-mail it has every permission of the user on every account and zone.',
    severity: 'critical',
    keywords: ['cloudflare', 'cf_api_key', 'cf-api-key', 'cf_key'],
    pattern: String.raw`${anyCase('cloudflare[\\w.-]{0,30}(?:api[_.-]?key|auth[_.-]?key|global[_.-]?key)|cf[_.-](?:api[_.-])?key|api[_.-]?key')}${ASSIGN}(?<secret>[a-f0-9]{37})(?![A-Za-z0-9])`,
    entropy: 3,
    examples: {
      positive: ['CLOUDFLARE_API_KEY=8362f6a7c5e18976a0caaec02fd69b6ef4bda\nCLOUDFLARE_EMAIL=ops@shop.example', 'kind: Secret\nmetadata:\n  name: cloudflare-api-key-secret\nstringData:\n  api-key: 8362f6a7c5e18976a0caaec02fd69b6ef4bda'],
      negative: ['CLOUDFLARE_API_KEY=<global-api-key>', 'CLOUDFLARE_ACCOUNT_ID=8362f6a7c5e18976a0caaec02fd69b6e'],
    },
  },
  {
    id: 'cloudflare-origin-ca-key',
    title: 'Cloudflare Origin CA key',
    description: 'A Cloudflare Origin CA key (v1.0-...): it creates and revokes Origin CA certificates on every account its user can reach.',
    keywords: ['v1.0-'],
    pattern: String.raw`(?<![A-Za-z0-9.])v1\.0-[a-f0-9]{24}-[a-f0-9]{140,160}(?![A-Za-z0-9])`,
    examples: {
      positive: [`CF_API_USER_SERVICE_KEY=${CLOUDFLARE_ORIGIN_CA_KEY}`],
      negative: ['version: v1.0-beta', 'CF_API_USER_SERVICE_KEY=v1.0-<key>'],
    },
  },

  // --- Fastly and Akamai.
  {
    id: 'fastly-api-token',
    title: 'Fastly API token',
    description: 'A Fastly API token: it changes service configuration, purges caches and reads logs within its scope.',
    keywords: ['fastly'],
    pattern: String.raw`${anyCase('fastly[\\w.-]{0,30}(?:token|key)')}${ASSIGN}(?<secret>[A-Za-z0-9_-]{32})(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['FASTLY_API_TOKEN=5WHw0TfClbNbOpzEflxi7Tb9Ltb-KpCg'],
      negative: ['FASTLY_API_TOKEN=${FASTLY_API_TOKEN}', 'FASTLY_SERVICE_ID=5WHw0TfClbNbOpzE'],
    },
  },
  {
    id: 'akamai-edgegrid-client-secret',
    title: 'Akamai EdgeGrid client secret',
    description: 'The client_secret of an Akamai EdgeGrid API client (.edgerc): with its akab- tokens it signs API calls to the contract\'s properties and services.',
    keywords: ['akab-'],
    pattern: String.raw`${anyCase('client[_.-]?secret')}${ASSIGN}(?<secret>[A-Za-z0-9+/]{43}=)(?![A-Za-z0-9+/=])`,
    examples: {
      positive: ['[default]\nclient_secret = diEBk3wjqEYtYwhgq8GVIkQIL+Ct3thfts/b/9LBZQk=\nhost = akab-t3kq8m2rwvx5znhp-4jd7fgy2l6sbce9a.luna.akamaiapis.net\naccess_token = akab-r7w2nq4xkd9mvp3t-hz6gc5yjb8fl2ws4\nclient_token = akab-c4x9pm2kq7wtz3vn-ar8dy5hjl6gb2ef7'],
      negative: ['client_secret = diEBk3wjqEYtYwhgq8GVIkQIL+Ct3thfts/b/9LBZQk=', '[default]\nclient_secret = <secret>\nhost = akab-t3kq8m2rwvx5znhp-4jd7fgy2l6sbce9a.luna.akamaiapis.net'],
    },
  },

  // --- Netlify, Vercel, Fly.io, Render, Railway: hosting platforms.
  {
    id: 'netlify-access-token',
    title: 'Netlify access token',
    description: 'A Netlify personal, CLI, OAuth, app or build token (nfp_, nfc_, nfo_, nfu_, nfb_): it deploys sites and reads or changes their environment variables.',
    keywords: ['nfp_', 'nfc_', 'nfo_', 'nfu_', 'nfb_'],
    pattern: String.raw`(?<![A-Za-z0-9_])nf[pcoub]_(?=[a-z_-]{0,35}[0-9A-Z])[A-Za-z0-9_-]{36}(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['NETLIFY_AUTH_TOKEN=nfp_Qvanaj4H27TpeUoc3itiVNsAfH88zPegy9oD'],
      negative: ['NETLIFY_AUTH_TOKEN=nfp_...', 'config: nfo_display_settings_for_the_main_page'],
    },
  },
  {
    id: 'vercel-access-token',
    title: 'Vercel access token or API key',
    description: 'A Vercel personal, integration or app token or API key (vcp_, vci_, vca_, vcr_, vck_): it deploys projects and reads their environment variables.',
    keywords: ['vcp_', 'vci_', 'vca_', 'vcr_', 'vck_'],
    pattern: String.raw`(?<![A-Za-z0-9_])vc[pciark]_(?=[a-z_-]{0,63}[0-9A-Z])[A-Za-z0-9_-]{48,64}(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['VERCEL_TOKEN=vcp_-n0Qs0T52CVQyGgobLwUMpyrLmxO_wQgZg8qvAbMRpMB9Q9sdsZ_FJeG'],
      negative: ['VERCEL_TOKEN=vcp_...', 'metric: vcp_ratio_over_the_moving_average_window_for_daily_candles'],
    },
  },
  {
    id: 'vercel-access-token-legacy',
    title: 'Vercel access token (unprefixed)',
    description: 'A Vercel access token in the older 24-character format, named as Vercel\'s: it deploys and configures the projects it can reach.',
    keywords: ['vercel'],
    pattern: String.raw`${anyCase('vercel[\\w.-]{0,30}(?:token|api[_.-]?key)')}${ASSIGN}(?<secret>[A-Za-z0-9]{24})(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['VERCEL_TOKEN=CNl1FTI6vPeImJCTT2kfM8gd'],
      negative: ['VERCEL_TOKEN=${VERCEL_TOKEN}', 'VERCEL_ORG_ID=team_CNl1FTI6vPeImJCTT2kfM8gd'],
    },
  },
  {
    id: 'fly-io-access-token',
    title: 'Fly.io personal access token',
    description: 'A Fly.io personal auth token (fo1_): it manages every app, machine and secret in all of the user\'s organisations.',
    severity: 'critical',
    keywords: ['fo1_'],
    pattern: String.raw`(?<![A-Za-z0-9_])fo1_(?=[a-z_-]{0,49}[0-9A-Z])[A-Za-z0-9_-]{40,50}(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['FLY_API_TOKEN=fo1_AJEJsQIS9xIIBU8u6ee5lEu-1lyXGMiyLgUDSVWIqvV'],
      negative: ['FLY_API_TOKEN=fo1_xxxxx', 'FLY_API_TOKEN=fo1_...'],
    },
  },
  {
    id: 'fly-io-macaroon-token',
    title: 'Fly.io macaroon token',
    description: 'A Fly.io macaroon token (FlyV1 fm2_...): an org-, app- or machine-scoped deploy token; it acts within the caveats it carries.',
    keywords: ['fm2_', 'fm1r_', 'fm1a_'],
    pattern: String.raw`(?<![A-Za-z0-9_])(?<secret>fm(?:2|1[ar])_[A-Za-z0-9+/_-]{64,4000}={0,2})(?![A-Za-z0-9+/=_-])`,
    entropy: 4,
    examples: {
      positive: [`FLY_API_TOKEN="FlyV1 ${FLY_MACAROON}"`],
      negative: ['FLY_API_TOKEN="FlyV1 fm2_..."', 'prefixes: fm2_, fm1r_ and fm1a_'],
    },
  },
  {
    id: 'render-api-key',
    title: 'Render API key',
    description: 'A Render API key (rnd_): it manages every service, database and environment group the user can reach.',
    keywords: ['rnd_'],
    pattern: String.raw`(?<![A-Za-z0-9_])rnd_[A-Za-z0-9]{32}(?![A-Za-z0-9_])`,
    entropy: 3.5,
    examples: {
      positive: ['RENDER_API_KEY=rnd_BWYqlfsJ8hVGXprWWkryalPPBj6rjuoe'],
      negative: ['RENDER_API_KEY=rnd_xxxxxxxx', 'seed = rnd_generator_for_the_simulation_runs'],
    },
  },
  {
    id: 'railway-api-token',
    title: 'Railway API token',
    description: 'A Railway account, team or project token: it deploys services and reads their variables.',
    keywords: ['railway'],
    pattern: String.raw`${anyCase('railway[\\w.-]{0,30}(?:token|api[_.-]?key)')}${ASSIGN}(?<secret>${UUID})(?![A-Za-z0-9-])`,
    examples: {
      positive: ['RAILWAY_TOKEN=e7bc6b4c-3104-437f-8d40-a9d7044bac9f', '  RAILWAY_API_TOKEN: "e7bc6b4c-3104-437f-8d40-a9d7044bac9f"'],
      negative: ['RAILWAY_PROJECT_ID=e7bc6b4c-3104-437f-8d40-a9d7044bac9f', 'RAILWAY_TOKEN=${{ secrets.RAILWAY_TOKEN }}'],
    },
  },

  // --- Databases as a service: Supabase, PlanetScale, Neon, MongoDB Atlas.
  {
    id: 'supabase-personal-access-token',
    title: 'Supabase personal access token',
    description: 'A Supabase personal access token (sbp_): Management API access to every organisation and project of the user, including database settings and keys.',
    severity: 'critical',
    keywords: ['sbp_'],
    pattern: String.raw`(?<![A-Za-z0-9_])sbp_[a-f0-9]{40}(?![A-Za-z0-9_])`,
    examples: {
      positive: ['SUPABASE_ACCESS_TOKEN=sbp_13dfe6890e42d74b45b778f81a5119e26942a346'],
      negative: ['SUPABASE_ACCESS_TOKEN=sbp_...', 'SUPABASE_ACCESS_TOKEN=sbp_13dfe6890e42d74b45b778f81a5119e2694'],
    },
  },
  {
    id: 'supabase-secret-key',
    title: 'Supabase secret API key',
    description: 'A Supabase secret API key (sb_secret_): server-side access to the project\'s data that bypasses row level security.',
    keywords: ['sb_secret_'],
    pattern: String.raw`(?<![A-Za-z0-9_])sb_secret_[A-Za-z0-9_-]{31,40}(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    // The fixed key of the Supabase CLI's local development stack.
    allowlist: ['^sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz$'],
    examples: {
      positive: ['SUPABASE_SECRET_KEY=sb_secret_TC1yX3V4QTguznPyd14KTz_L-iCy6AI'],
      negative: ['SUPABASE_SECRET_KEY=sb_secret_...', 'SUPABASE_SECRET_KEY=sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz', 'SUPABASE_PUBLISHABLE_KEY=sb_publishable_TC1yX3V4QTguznPyd14KTz_L-iCy6AI'],
    },
  },
  {
    id: 'planetscale-service-token',
    title: 'PlanetScale service token',
    description: 'A PlanetScale service token (pscale_tkn_): API access to the organisation\'s databases and branches with the token\'s permissions.',
    keywords: ['pscale_tkn_'],
    pattern: String.raw`(?<![A-Za-z0-9_])pscale_tkn_[A-Za-z0-9_-]{32,64}(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['PLANETSCALE_SERVICE_TOKEN=pscale_tkn_KYKt4Ql7OF6yh4-WtmuRgb1pycilD4Sd_yGnMvalvQw'],
      negative: ['PLANETSCALE_SERVICE_TOKEN=pscale_tkn_...', 'PLANETSCALE_SERVICE_TOKEN=pscale_tkn_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'],
    },
  },
  {
    id: 'planetscale-password',
    title: 'PlanetScale database password',
    description: 'A PlanetScale branch password (pscale_pw_): it connects to the database branch with the password\'s role.',
    keywords: ['pscale_pw_'],
    pattern: String.raw`(?<![A-Za-z0-9_])pscale_pw_[A-Za-z0-9_-]{32,64}(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['DATABASE_PASSWORD=pscale_pw_ajVvV8-J-HJA4aAQeRKq4QyZDWJt6-EYf6WxusOky_F'],
      negative: ['DATABASE_PASSWORD=pscale_pw_<password>'],
    },
  },
  {
    id: 'planetscale-oauth-token',
    title: 'PlanetScale OAuth token',
    description: 'A PlanetScale OAuth access token (pscale_oauth_) issued to an application: API access on the user\'s behalf.',
    keywords: ['pscale_oauth_'],
    pattern: String.raw`(?<![A-Za-z0-9_])pscale_oauth_[A-Za-z0-9_-]{32,64}(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['token: pscale_oauth_grsc_zBpgsJ6wbw1R-wmq-44_Mh-dd-9zgoEWcbhj9P'],
      negative: ['token: pscale_oauth_'],
    },
  },
  {
    id: 'neon-api-key',
    title: 'Neon API key',
    description: 'A Neon API key (napi_): it manages the projects, branches, roles and endpoints of the user, organisation or project it belongs to.',
    keywords: ['napi_'],
    pattern: String.raw`(?<![A-Za-z0-9_])napi_[a-z0-9]{64}(?![A-Za-z0-9_])`,
    entropy: 3.5,
    examples: {
      positive: ['NEON_API_KEY=napi_s0koav4s6waju87toy81mlcmcg8bt2tkmry8q9lnrydqhxoj1pig6xlxsdsf5xfc'],
      negative: ['NEON_API_KEY=napi_xxx', 'NEON_API_KEY=napi_your_neon_api_key'],
    },
  },
  {
    id: 'mongodb-atlas-service-account-secret',
    title: 'MongoDB Atlas service account secret',
    description: 'The client secret of a MongoDB Atlas service account (mdb_sa_sk_): Atlas Administration API access with the account\'s organisation and project roles.',
    keywords: ['mdb_sa_sk_'],
    pattern: String.raw`(?<![A-Za-z0-9_])mdb_sa_sk_[A-Za-z0-9_-]{36,48}(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['MONGODB_ATLAS_CLIENT_ID=mdb_sa_id_6a5d80e8575ac46d09f118d9\nMONGODB_ATLAS_CLIENT_SECRET=mdb_sa_sk_rSKxOZB6Y-WvPXDlHOYYfXtGClU1ypanGc2qAELv'],
      negative: ['MONGODB_ATLAS_CLIENT_SECRET=mdb_sa_sk_...', 'MONGODB_ATLAS_CLIENT_ID=mdb_sa_id_6a5d80e8575ac46d09f118d9'],
    },
  },
  {
    id: 'mongodb-atlas-api-private-key',
    title: 'MongoDB Atlas programmatic API private key',
    description: 'The private key of a MongoDB Atlas programmatic API key: with its public key it manages clusters, users and network access.',
    keywords: ['atlas', 'mongodb', 'mcli_private'],
    pattern: String.raw`${anyCase('(?:mongodb[\\w.-]{0,30}|atlas[\\w.-]{0,30})private[_.-]?(?:api[_.-]?)?key|mcli[_.-]private[_.-]api[_.-]key')}${ASSIGN}(?<secret>${UUID})(?![A-Za-z0-9-])`,
    examples: {
      positive: ['MONGODB_ATLAS_PUBLIC_KEY=7smeexl6\nMONGODB_ATLAS_PRIVATE_KEY=f1bae995-ec80-4141-b035-f0bcf538eb7d', 'MCLI_PRIVATE_API_KEY: f1bae995-ec80-4141-b035-f0bcf538eb7d'],
      negative: ['MONGODB_ATLAS_PRIVATE_KEY=${ATLAS_PRIVATE_KEY}', 'MONGODB_ATLAS_ORG_ID=f1bae995-ec80-4141-b035-f0bcf538eb7d'],
    },
  },

  // --- HashiCorp: Terraform Cloud / HCP Terraform tokens and Vault tokens and unseal keys.
  {
    id: 'terraform-cloud-api-token',
    title: 'HCP Terraform (Terraform Cloud) API token',
    description: 'A Terraform Cloud / HCP Terraform user, team or organisation token (...atlasv1...): it runs plans and applies, and reads state and variables.',
    severity: 'critical',
    keywords: ['atlasv1'],
    pattern: String.raw`(?<![A-Za-z0-9])[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70}(?![A-Za-z0-9_=-])`,
    examples: {
      positive: ['credentials "app.terraform.io" {\n  token = "NgHKWY7oMrEuSg.atlasv1.rQhVYh5jIISIyF6jEEzT5qqLlQhA3hXc01t8EzY1kOkVyKo9UmUH2UZWyfxKnyuUNlY"\n}', 'TF_TOKEN_app_terraform_io=NgHKWY7oMrEuSg.atlasv1.rQhVYh5jIISIyF6jEEzT5qqLlQhA3hXc01t8EzY1kOkVyKo9UmUH2UZWyfxKnyuUNlY'],
      negative: ['token = "NgHKWY7oMrEuSg.atlasv1.YaDa"', 'TF_TOKEN_app_terraform_io=<token>.atlasv1.<rest>'],
    },
  },
  {
    id: 'hashicorp-vault-service-token',
    title: 'HashiCorp Vault service token',
    description: 'A Vault service token (hvs.): it reads and writes the secrets its policies allow; root tokens can do everything.',
    severity: 'critical',
    keywords: ['hvs.'],
    pattern: String.raw`(?<![A-Za-z0-9_.])hvs\.[A-Za-z0-9_-]{24,512}(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['VAULT_TOKEN=hvs.mjcnUf-Mc3Et1xCbnfkATZ-bwXVFB0YW3_lVoBRXtjxPGhavdIX9YPOXGRT_UG10iatcYZ5TOYOZVMTIJfzcW_rpXFf', '  token: hvs.M6Ng75BaSOY18fbgQGHNV_4-qKx9'],
      negative: ['VAULT_TOKEN=hvs.xxxxxxxxxxxxxxxxxxxxxxxx', 'VAULT_TOKEN=hvs.<root-token>'],
    },
  },
  {
    id: 'hashicorp-vault-batch-token',
    title: 'HashiCorp Vault batch token',
    description: 'A Vault batch token (hvb.): a short-lived, non-renewable token with the secrets access of its policies.',
    keywords: ['hvb.'],
    pattern: String.raw`(?<![A-Za-z0-9_.])hvb\.[A-Za-z0-9_-]{24,1024}(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: [`VAULT_TOKEN=${HVB_TOKEN}`],
      negative: ['VAULT_TOKEN=hvb.<batch-token>', 'host: hvb.example.internal'],
    },
  },
  {
    id: 'hashicorp-vault-recovery-token',
    title: 'HashiCorp Vault recovery token',
    description: 'A Vault recovery-mode token (hvr.): raw access to Vault\'s storage while the server runs in recovery mode.',
    severity: 'critical',
    keywords: ['hvr.'],
    pattern: String.raw`(?<![A-Za-z0-9_.])hvr\.[A-Za-z0-9_-]{24,512}(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['X-Vault-Token: hvr.M6Ng75BaSOY18fbgQGHNV_4-'],
      negative: ['X-Vault-Token: hvr.<token>'],
    },
  },
  {
    id: 'hashicorp-vault-legacy-token',
    title: 'HashiCorp Vault token (legacy s. format)',
    description: 'A Vault service token in the format before Vault 1.10 (s. plus 24 characters), named as a Vault token: secrets access under its policies.',
    severity: 'critical',
    keywords: ['vault'],
    pattern: String.raw`(?:${anyCase('vault[\\w.-]{0,30}token')}${ASSIGN}|X-Vault-Token:\s{0,4})(?<secret>s\.[A-Za-z0-9]{24})(?![A-Za-z0-9])`,
    entropy: 3.5,
    examples: {
      positive: ['VAULT_TOKEN=s.ETuBwRy3Tns4chu2snzZfBEa', 'curl -H "X-Vault-Token: s.ETuBwRy3Tns4chu2snzZfBEa" https://vault.internal:8200/v1/secret/data/app'],
      negative: ['VAULT_TOKEN=s.<token>', 'VAULT_ADDR=https://vault.internal:8200'],
    },
  },
  {
    id: 'hashicorp-vault-unseal-key',
    title: 'HashiCorp Vault unseal key',
    description: 'A Vault unseal key share (from vault operator init): enough shares unseal Vault or generate a new root token.',
    severity: 'critical',
    keywords: ['unseal key', 'unseal_keys'],
    pattern: String.raw`(?:Unseal Key \d{1,2}:\s{1,4}|"unseal_keys_b64"\s{0,4}:\s{0,4}\[\s{0,8}")(?<secret>[A-Za-z0-9+/]{43,44}={0,1})(?![A-Za-z0-9+/=])`,
    entropy: 4,
    examples: {
      positive: ['Unseal Key 1: yDU0PF7Kx2HgLgJD3xo/KnB+q3QNrSm8+EZYqql+qKuT\nInitial Root Token: hvs.mjcnUf-Mc3Et1xCbnfkATZ-bwXVFB0YW', '{"unseal_keys_b64": ["yDU0PF7Kx2HgLgJD3xo/KnB+q3QNrSm8+EZYqql+qKu="], "unseal_threshold": 1}'],
      negative: ['Unseal Key 1: <redacted>', 'Unseal Progress: 1/3'],
    },
  },

  // --- Pulumi.
  {
    id: 'pulumi-access-token',
    title: 'Pulumi access token',
    description: 'A Pulumi Cloud access token (pul-): it reads and updates the stacks, state and encrypted config the user or team can reach.',
    keywords: ['pul-'],
    pattern: String.raw`(?<![A-Za-z0-9_-])pul-[a-f0-9]{40}(?![A-Za-z0-9_-])`,
    examples: {
      positive: ['PULUMI_ACCESS_TOKEN=pul-f66aa263242666e7cf3521f36c77399ac90d510f'],
      negative: ['PULUMI_ACCESS_TOKEN=pul-...', 'image: registry/pul-f66aa263'],
    },
  },

  // --- Doppler: personal, service, CLI, service account, SCIM and audit tokens.
  {
    id: 'doppler-personal-token',
    title: 'Doppler personal token',
    description: 'A Doppler personal token (dp.pt.): it reads and writes every project and config secret its user can reach.',
    severity: 'critical',
    keywords: ['dp.pt.'],
    pattern: String.raw`(?<![A-Za-z0-9_.])dp\.pt\.[A-Za-z0-9]{40,44}(?![A-Za-z0-9])`,
    examples: {
      positive: ['DOPPLER_TOKEN=dp.pt.MqwMreSQuRpHwWMyUMQL1FWIBEagxkC4aAyxPYOJKRO'],
      negative: ['DOPPLER_TOKEN=dp.pt.xxxx'],
    },
  },
  {
    id: 'doppler-service-token',
    title: 'Doppler service token',
    description: 'A Doppler service token (dp.st.): read (or read/write) access to every secret of one project config.',
    keywords: ['dp.st.'],
    pattern: String.raw`(?<![A-Za-z0-9_.])dp\.st\.(?:[a-z0-9_-]{1,40}\.)?[A-Za-z0-9]{40,44}(?![A-Za-z0-9])`,
    examples: {
      positive: ['DOPPLER_TOKEN=dp.st.prd.CXvP5Aw8sXN5KDE34w62Uq7sGivCGuqwe5uW9kqLPMu', '  serviceToken: dp.st.CXvP5Aw8sXN5KDE34w62Uq7sGivCGuqwe5uW9kqLPMu'],
      negative: ['DOPPLER_TOKEN=dp.st.dev.xxx', 'DOPPLER_TOKEN=dp.st.xxxxx'],
    },
  },
  {
    id: 'doppler-cli-token',
    title: 'Doppler CLI token',
    description: 'A Doppler CLI token (dp.ct.) written by doppler login: the logged-in user\'s full access.',
    severity: 'critical',
    keywords: ['dp.ct.'],
    pattern: String.raw`(?<![A-Za-z0-9_.])dp\.ct\.[A-Za-z0-9]{40,44}(?![A-Za-z0-9])`,
    examples: {
      positive: ['scoped:\n  /:\n    token: dp.ct.pN5bhWOQSMvAVEzBCAPERWIQMv2w6uoGwivXGSvqcjN'],
      negative: ['token: dp.ct.<token>'],
    },
  },
  {
    id: 'doppler-service-account-token',
    title: 'Doppler service account token',
    description: 'A Doppler service account token (dp.sa.): workplace API access with the service account\'s roles across projects.',
    severity: 'critical',
    keywords: ['dp.sa.'],
    pattern: String.raw`(?<![A-Za-z0-9_.])dp\.sa\.[A-Za-z0-9]{40,44}(?![A-Za-z0-9])`,
    examples: {
      positive: ['DOPPLER_TOKEN=dp.sa.7IOK0IxrxxBP5ckPims5jDNCIgXqsOzGtprFnm4BE3x'],
      negative: ['DOPPLER_TOKEN=dp.sa.'],
    },
  },
  {
    id: 'doppler-scim-token',
    title: 'Doppler SCIM token',
    description: 'A Doppler SCIM token (dp.scim.): it provisions and removes the workplace\'s users and groups.',
    keywords: ['dp.scim.'],
    pattern: String.raw`(?<![A-Za-z0-9_.])dp\.scim\.[A-Za-z0-9]{40,44}(?![A-Za-z0-9])`,
    examples: {
      positive: ['scim_token: dp.scim.g8oCh2fnD6DlaVM8qamqbVd0x6oNtty0yuxAKdlx3BG'],
      negative: ['scim_token: dp.scim.<token>'],
    },
  },
  {
    id: 'doppler-audit-token',
    title: 'Doppler audit token',
    description: 'A Doppler audit token (dp.audit.): read access to the workplace\'s audit data, users and activity.',
    severity: 'medium',
    keywords: ['dp.audit.'],
    pattern: String.raw`(?<![A-Za-z0-9_.])dp\.audit\.[A-Za-z0-9]{40,44}(?![A-Za-z0-9])`,
    examples: {
      positive: ['DOPPLER_AUDIT_TOKEN=dp.audit.hIVpa34IvI3Alk0epv9D76FnZgXdK4fGGx64f4f5y5n'],
      negative: ['DOPPLER_AUDIT_TOKEN=dp.audit.'],
    },
  },

  // --- 1Password: service account tokens, Connect server tokens, account Secret Keys.
  {
    id: '1password-service-account-token',
    title: '1Password service account token',
    description: 'A 1Password service account token (ops_): it reads, and may write, every item in the vaults the service account was granted.',
    severity: 'critical',
    keywords: ['ops_eyj'],
    pattern: String.raw`(?<![A-Za-z0-9_])ops_eyJ[A-Za-z0-9+/_-]{100,4000}={0,2}(?![A-Za-z0-9+/=_-])`,
    examples: {
      positive: [`OP_SERVICE_ACCOUNT_TOKEN=${OP_SERVICE_ACCOUNT_TOKEN}`],
      negative: ['OP_SERVICE_ACCOUNT_TOKEN=ops_eyJ...', 'OP_SERVICE_ACCOUNT_TOKEN=ops_<token>'],
    },
  },
  {
    id: '1password-connect-token',
    title: '1Password Connect server token',
    description: 'An access token of a 1Password Connect server (a JWT, e.g. the onepassword-token Secret of the Kubernetes operator): it reads the items of the vaults it was issued for.',
    severity: 'critical',
    keywords: ['op_connect_token', 'connect_token', 'connect-token', 'onepassword'],
    pattern: String.raw`${anyCase('op[_.-]connect[_.-]token|connect[_.-]token|token')}${ASSIGN}(?<secret>${JWT})(?![A-Za-z0-9_-])`,
    checks: ['jwt-structure'],
    examples: {
      positive: [`OP_CONNECT_TOKEN=${OP_CONNECT_JWT}`, `apiVersion: v1\nkind: Secret\nmetadata:\n  name: onepassword-token\nstringData:\n  token: ${OP_CONNECT_JWT}`],
      negative: ['OP_CONNECT_TOKEN=${OP_CONNECT_TOKEN}', 'OP_CONNECT_TOKEN=eyJub3QiOiJhIGpzb24gd2ViIHRva2VuIn0.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJlc2ln'],
    },
  },
  {
    id: '1password-secret-key',
    title: '1Password account Secret Key',
    description: 'A 1Password account Secret Key (A3-...): one of the two secrets that unlock the account; with the account password it opens every vault.',
    severity: 'medium',
    keywords: ['a3-'],
    pattern: String.raw`(?<![A-Za-z0-9-])A3-[A-Z0-9]{6}-[A-Z0-9]{6}(?:-[A-Z0-9]{5}){4}(?![A-Za-z0-9-])`,
    checks: ['not-example'],
    examples: {
      positive: ['OP_SECRET_KEY=A3-K684GS-X3MMKJ-BKXAB-VY19O-6OTZP-QGUOT'],
      negative: ['OP_SECRET_KEY=A3-XXXXXX-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX', 'instance: a3-highgpu-8g'],
    },
  },

  // --- Infisical.
  {
    id: 'infisical-service-token',
    title: 'Infisical service token',
    description: 'An Infisical service token (st.<id>.<secret>.<key>): access to the secrets of the environments and paths it was scoped to, including the key that decrypts them.',
    keywords: ['st.'],
    pattern: String.raw`(?<![A-Za-z0-9_.])st\.(?:[a-f0-9]{24}|${UUID})\.[a-f0-9]{32,64}\.[a-f0-9]{32,64}(?![A-Za-z0-9])`,
    examples: {
      positive: ['INFISICAL_TOKEN=st.435b75a93d7f6d7841ef5c94.ea0cc73b2a3bbb8cbb308364761f2989.28d43a39bb868681319f320271f468c4'],
      negative: ['INFISICAL_TOKEN=st.abc.def.ghi', 'host: st.435b75a93d7f6d7841ef5c94.internal'],
    },
  },
  {
    id: 'infisical-client-secret',
    title: 'Infisical machine identity client secret',
    description: 'The client secret of an Infisical machine identity (Universal Auth): with its client ID it logs in and reads the secrets the identity may access.',
    keywords: ['infisical'],
    pattern: String.raw`${anyCase('(?:infisical[\\w.-]{0,30})?client[_.-]?secret')}${ASSIGN}(?<secret>[a-f0-9]{64})(?![A-Za-z0-9])`,
    entropy: 3,
    examples: {
      positive: ['INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET=8877ba2e6fcf4c61314ca8c98542593d539df1d78f3209897cb5481d1be9ceef', 'kind: Secret\nmetadata:\n  name: infisical-universal-auth\nstringData:\n  clientId: 4f1c2b3a-9d8e-4c7b-a6f5-0e1d2c3b4a59\n  clientSecret: 8877ba2e6fcf4c61314ca8c98542593d539df1d78f3209897cb5481d1be9ceef'],
      negative: ['INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET=${INFISICAL_CLIENT_SECRET}', 'client_secret: 8877ba2e6fcf4c61314ca8c98542593d539df1d78f3209897cb5481d1be9ceef'],
    },
  },

  // --- age (the SOPS and file-encryption tool).
  {
    id: 'age-secret-key',
    title: 'age secret key',
    description: 'An age X25519 identity (AGE-SECRET-KEY-1...): it decrypts every file encrypted to its recipient, such as SOPS-encrypted Kubernetes Secrets.',
    severity: 'critical',
    keywords: ['age-secret-key-1'],
    pattern: String.raw`(?<![A-Za-z0-9-])AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}(?![A-Za-z0-9])`,
    examples: {
      positive: ['SOPS_AGE_KEY=AGE-SECRET-KEY-1NQ8GVKKSQ2TK5K7VZ6DDRGNNFNDADSU2HWHCETCYR67H9EUDAM3LDPTD7M', 'stringData:\n  age.agekey: |\n    # public key: age1c3jdepjm05aey2dq9dgkfn4utj9a776zwqzqcar3879smuh04ysqttvmyd\n    AGE-SECRET-KEY-1NQ8GVKKSQ2TK5K7VZ6DDRGNNFNDADSU2HWHCETCYR67H9EUDAM3LDPTD7M'],
      negative: ['recipient: age1c3jdepjm05aey2dq9dgkfn4utj9a776zwqzqcar3879smuh04ysqttvmyd', 'AGE-SECRET-KEY-1...'],
    },
  },

  // --- Snowflake and Databricks.
  {
    id: 'snowflake-password',
    title: 'Snowflake password or token',
    description: 'A Snowflake user password, programmatic access token or key passphrase, named as Snowflake\'s: it signs in to the account as that user.',
    keywords: ['snowflake'],
    pattern: String.raw`${anyCase('snowflake[\\w.-]{0,30}(?:password|passwd|pwd|token|private[_.-]?key[_.-]?(?:passphrase|pwd))')}${ASSIGN}(?<secret>[^\s"'\x60]{8,256})`,
    entropy: 3,
    examples: {
      positive: ['SNOWFLAKE_PASSWORD=Vq7#pL2m!xR9tK4w', '  snowflake_private_key_passphrase: "n8Tz-4rQw-Lk2v-9Hsd"'],
      negative: ['SNOWFLAKE_PASSWORD=${SNOWFLAKE_PASSWORD}', 'SNOWFLAKE_PASSWORD=changeme', 'SNOWFLAKE_ACCOUNT=xy12345.eu-west-1'],
    },
  },
  {
    id: 'snowflake-connection-string',
    title: 'Snowflake connection URL with a password',
    description: 'A snowflake:// connection URL that embeds a password: it connects to the account as that user.',
    keywords: ['snowflake://'],
    pattern: String.raw`snowflake://[^:@/\s"']{1,128}:(?<secret>[^@/\s"']{3,256})@[A-Za-z0-9._-]{1,253}`,
    entropy: 2,
    examples: {
      positive: ['SNOWFLAKE_URL=snowflake://loader:Vq7pL2mxR9tK4w@xy12345.eu-west-1/analytics/public?warehouse=load_wh'],
      negative: ['SNOWFLAKE_URL=snowflake://loader@xy12345.eu-west-1/analytics', 'snowflake://loader:${SNOWFLAKE_PASSWORD}@xy12345/analytics'],
    },
  },
  {
    id: 'databricks-access-token',
    title: 'Databricks personal access token',
    description: 'A Databricks personal access token (dapi...): it acts as its user on the workspace: clusters, jobs, notebooks and the data they can read.',
    keywords: ['dapi'],
    pattern: String.raw`(?<![A-Za-z0-9_])dapi[a-f0-9]{32}(?:-\d)?(?![A-Za-z0-9_-])`,
    examples: {
      positive: ['DATABRICKS_TOKEN=dapi240803fb07494b8b3fc804de0e7a127a', '  token: dapi240803fb07494b8b3fc804de0e7a127a-2'],
      negative: ['DATABRICKS_TOKEN=dapi<token>', 'DATABRICKS_TOKEN=dapi240803fb07494b8b3fc8'],
    },
  },
  {
    id: 'databricks-oauth-secret',
    title: 'Databricks OAuth client secret',
    description: 'The OAuth secret of a Databricks service principal (dose...): with its client ID it obtains tokens as the service principal.',
    keywords: ['dose'],
    pattern: String.raw`(?<![A-Za-z0-9_])dose[a-f0-9]{32}(?![A-Za-z0-9_-])`,
    examples: {
      positive: ['DATABRICKS_CLIENT_SECRET=dose315382ec568fa5547e15b9f75c50508e'],
      negative: ['DATABRICKS_CLIENT_SECRET=dose<secret>', 'the dose of the medicine was doubled'],
    },
  },

  // --- Confluent Cloud.
  {
    id: 'confluent-api-secret',
    title: 'Confluent Cloud API secret',
    description: 'A Confluent Cloud API secret (cflt...): with its key ID it produces to and consumes from Kafka clusters, or manages cloud resources.',
    keywords: ['cflt'],
    pattern: String.raw`(?<![A-Za-z0-9+/])cflt[A-Za-z0-9+/]{60}(?![A-Za-z0-9+/=])`,
    entropy: 4,
    examples: {
      positive: ['CONFLUENT_CLOUD_API_SECRET=cfltWuKPoGwu5rJjxYLU754vfhe2rH5V/B1E53SXAufh2fvm8Q31TlA6tmaz5q0N'],
      negative: ['CONFLUENT_CLOUD_API_SECRET=cflt...', 'cfltWuKPoGwu5rJjxYLU754vfhe2rH5V'],
    },
  },
  {
    id: 'confluent-api-secret-legacy',
    title: 'Confluent Cloud API secret (unprefixed)',
    description: 'A Confluent Cloud API secret in the 64-character format from before July 2025, in a Kafka client or Confluent configuration: it authenticates as the API key\'s account.',
    keywords: ['confluent', 'plainloginmodule'],
    pattern: String.raw`(?:${anyCase('sasl[._]password|api[_.-]?secret|confluent[\\w.-]{0,30}secret')}${ASSIGN}|username\s{0,2}=\s{0,2}\\?["'][A-Z0-9]{16}\\?["']\s{1,4}password\s{0,2}=\s{0,2}\\?["'])(?<secret>[A-Za-z0-9+/]{64})(?![A-Za-z0-9+/=])`,
    entropy: 4,
    examples: {
      positive: [
        'sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="NJID093G7EMJR1SB" password="SMk57Te1XBRz2dCfQ6OPKWFQ/WAyGTTo+MBY4pnG7CiCu62xI60TZqn5f3iE6OvC";',
        'CONFLUENT_CLOUD_API_SECRET=SMk57Te1XBRz2dCfQ6OPKWFQ/WAyGTTo+MBY4pnG7CiCu62xI60TZqn5f3iE6OvC',
      ],
      negative: ['sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="${KEY}" password="${SECRET}";', 'CONFLUENT_CLOUD_API_KEY=NJID093G7EMJR1SB'],
    },
  },

  // --- Upstash, Cloudinary, Firebase Cloud Messaging.
  {
    id: 'upstash-rest-token',
    title: 'Upstash REST or QStash token',
    description: 'An Upstash Redis REST token or QStash token: it runs commands against the database, or publishes messages, as the token allows.',
    keywords: ['upstash', 'qstash'],
    pattern: String.raw`${anyCase('upstash[\\w.-]{0,30}token|qstash[_.-]?token')}${ASSIGN}(?<secret>[A-Za-z0-9_+/=-]{40,512})(?![A-Za-z0-9_+/=-])`,
    entropy: 3.5,
    examples: {
      positive: ['UPSTASH_REDIS_REST_TOKEN=AXyaTN8UAIjcDEW-dE5TlGT-TnbaMJqqg0dVXbG5o8nzEn__hnNo90AqH2H9DJXvZg9YwBofrk'],
      negative: ['UPSTASH_REDIS_REST_TOKEN=${UPSTASH_REDIS_REST_TOKEN}', 'UPSTASH_REDIS_REST_URL=https://eu1-clever-gnat-31337.upstash.io'],
    },
  },
  {
    id: 'cloudinary-url',
    title: 'Cloudinary URL with API secret',
    description: 'A CLOUDINARY_URL (cloudinary://key:secret@cloud): upload, transform and delete the account\'s media.',
    keywords: ['cloudinary://'],
    pattern: String.raw`cloudinary://\d{12,18}:(?<secret>[A-Za-z0-9_-]{27})@[A-Za-z0-9_-]{1,64}`,
    examples: {
      positive: ['CLOUDINARY_URL=cloudinary://357474321881306:fLIcG0N4PhRcFokOhjkUI3xAqzn@shop-media'],
      negative: ['CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@shop-media', 'CLOUDINARY_URL=cloudinary://357474321881306@shop-media'],
    },
  },
  {
    id: 'cloudinary-api-secret',
    title: 'Cloudinary API secret',
    description: 'A Cloudinary API secret named as Cloudinary\'s: with the API key it signs uploads and Admin API calls.',
    keywords: ['cloudinary'],
    pattern: String.raw`${anyCase('cloudinary[\\w.-]{0,30}secret')}${ASSIGN}(?<secret>[A-Za-z0-9_-]{27})(?![A-Za-z0-9_-])`,
    entropy: 3.5,
    examples: {
      positive: ['CLOUDINARY_API_SECRET=fLIcG0N4PhRcFokOhjkUI3xAqzn'],
      negative: ['CLOUDINARY_API_SECRET=${CLOUDINARY_API_SECRET}', 'CLOUDINARY_API_KEY=357474321881306'],
    },
  },
  {
    id: 'firebase-cloud-messaging-server-key',
    title: 'Firebase Cloud Messaging server key',
    description: 'A legacy FCM server key (AAAA...:APA91b...): it sends push notifications to every device of the app.',
    keywords: [':apa91b'],
    pattern: String.raw`(?<![A-Za-z0-9_-])AAAA[A-Za-z0-9_-]{7}:APA91b[A-Za-z0-9_-]{134}(?![A-Za-z0-9_-])`,
    examples: {
      positive: [`FCM_SERVER_KEY=${FCM_SERVER_KEY}`],
      negative: ['FCM_SERVER_KEY=AAAA...:APA91b...', 'registration_id: APA91bh0eA73_zO_w8GYbKhhsmlV82iekp6Mj6pdY73qdWpnf1fRzxmaYfE9bCCHHYegIymqH95fDRpRXru2Hv2v6dkaRygeqcd'],
    },
  },

  // --- Kubernetes management planes: Rancher and Argo CD.
  {
    id: 'rancher-api-token',
    title: 'Rancher API token',
    description: 'A Rancher API or kubeconfig bearer token (token-xxxxx:...): it acts as its user on Rancher and on every downstream cluster that user can reach.',
    severity: 'critical',
    keywords: ['token-', 'kubeconfig-u'],
    pattern: String.raw`(?<![A-Za-z0-9_-])(?:token|kubeconfig-u(?:ser)?)-[a-z0-9]{5,10}:(?<secret>[a-z0-9]{54,64})(?![A-Za-z0-9])`,
    entropy: 3.5,
    examples: {
      positive: ['CATTLE_TOKEN=token-2v7fb:k0tjuhlbzrwec8tx5tzkr5ator6dm32w3f8hbb6ljjrx340cy14ngc', 'users:\n- name: prod\n  user:\n    token: kubeconfig-user-2v7fb:k0tjuhlbzrwec8tx5tzkr5ator6dm32w3f8hbb6ljjrx340cy14ngc'],
      negative: ['CATTLE_ACCESS_KEY=token-2v7fb', 'CATTLE_TOKEN=token-2v7fb:<secret-key>'],
    },
  },
  {
    id: 'argocd-auth-token',
    title: 'Argo CD auth token',
    description: 'An Argo CD API token (a JWT for a local account or project role): it syncs and changes applications, and through them deploys to every cluster Argo CD manages.',
    severity: 'critical',
    keywords: ['argocd'],
    pattern: String.raw`${anyCase('argocd[\\w.-]{0,20}token|auth-token')}${ASSIGN}(?<secret>${JWT})(?![A-Za-z0-9_-])`,
    checks: ['jwt-structure'],
    examples: {
      positive: [`ARGOCD_AUTH_TOKEN=${ARGOCD_JWT}`, `# ~/.config/argocd/config\nusers:\n- auth-token: ${ARGOCD_JWT}\n  name: argocd.shop.example`],
      negative: ['ARGOCD_AUTH_TOKEN=${ARGOCD_AUTH_TOKEN}', 'ARGOCD_SERVER=argocd.shop.example'],
    },
  },
];
