import type { DetectorSpec } from '../detector.ts';

// Structural credentials: private keys, tokens recognised by their shape, and credentials embedded in URLs.
// Example key bodies were generated for these tests and are truncated; they unlock nothing.

const RSA_BODY =
  'MIICeAIBADANBgkqhkiG9w0BAQEFAASCAmIwggJeAgEAAoGBAMpcM4oIKLHSeUm+Jaa+U7MHRLciUqZFLy7VYWoW6Llvpz3wER8d6RL/g5HFzNI0\nLuc2RR5Vw0bhTLRuBTkWvoMGRMt14s9VLmwu9p1mRs6yzG8SS67uv10DOZcyjLoi5dnx';
const EC_BODY = 'MHcCAQEEIJXMuQEhRt1iyGTM/QhWyqPLRspWRMhJgzo/yjfmUJ2SoAoGCCqGSM49AwEHoUQDQgAEO8QT218W8fQ3kV9gDmIo3C1nQoMLrloqiNGrvzGKilxJFx0yaN8K';
const OPENSSH_BODY =
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZWQyNTUxOQAAACBv6Fhim2HjsBVxnPcpEQMsLFT9ttBXas8spbGHm0usGgAAAJCfoRGzn6ER';
const K8S_LEGACY_TOKEN =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6IlhrM3F2OVRuUjJwTG04V2NZNGJaIn0.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50Iiwia3ViZXJuZXRlcy5pby9zZXJ2aWNlYWNjb3VudC9uYW1lc3BhY2UiOiJkZWZhdWx0Iiwia3ViZXJuZXRlcy5pby9zZXJ2aWNlYWNjb3VudC9zZWNyZXQubmFtZSI6ImJ1aWxkZXItdG9rZW4tN2syZnEiLCJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDpidWlsZGVyIn0.Qm9yaXNKb2huc29uV2FzSGVyZVRoaXNJc0FGYWtlU2lnbmF0dXJlRm9yVGVzdHNPbmx5X3dpdGhQYWRkaW5nMTIzNDU2Nzg5MA';
const K8S_BOUND_TOKEN =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6IlhrM3F2OVRuUjJwTG04V2NZNGJaIn0.eyJhdWQiOlsiaHR0cHM6Ly9rdWJlcm5ldGVzLmRlZmF1bHQuc3ZjIl0sImV4cCI6MTg5MzQ1NjAwMCwiaXNzIjoiaHR0cHM6Ly9rdWJlcm5ldGVzLmRlZmF1bHQuc3ZjLmNsdXN0ZXIubG9jYWwiLCJrdWJlcm5ldGVzLmlvIjp7Im5hbWVzcGFjZSI6ImNpIiwic2VydmljZWFjY291bnQiOnsibmFtZSI6ImRlcGxveWVyIiwidWlkIjoiNGYxYzJiM2EtOWQ4ZS00YzdiLWE2ZjUtMGUxZDJjM2I0YTU5In19LCJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6Y2k6ZGVwbG95ZXIifQ.Qm9yaXNKb2huc29uV2FzSGVyZVRoaXNJc0FGYWtlU2lnbmF0dXJlRm9yVGVzdHNPbmx5X3dpdGhQYWRkaW5nMTIzNDU2Nzg5MA';
const PLAIN_JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkFkYSBMb3ZlbGFjZSIsImlhdCI6MTcxNjIzOTAyMiwic2NvcGUiOiJvcmRlcnM6d3JpdGUifQ.r7Vq2mXyT9kLp3ZcW8bN4sJd6HgF1aQe5uYoIiRtEw0';

/** A PEM block of the given label, body at least 64 characters (public keys and certificates are other labels). */
function pem(label: string): string {
  return `-----BEGIN ${label}-----[\\s\\S]{64,16384}?-----END ${label}-----`;
}

export const CREDENTIAL_DETECTORS: readonly DetectorSpec[] = [
  {
    id: 'private-key-rsa',
    title: 'RSA private key (PEM)',
    description: 'A PKCS#1 RSA private key: whoever holds it can impersonate the server or client it belongs to.',
    severity: 'critical',
    keywords: ['-----begin rsa private key'],
    pattern: pem('RSA PRIVATE KEY'),
    examples: {
      positive: [`tls.key: |\n  -----BEGIN RSA PRIVATE KEY-----\n  ${RSA_BODY}\n  -----END RSA PRIVATE KEY-----`],
      negative: [`-----BEGIN RSA PUBLIC KEY-----\n${RSA_BODY}\n-----END RSA PUBLIC KEY-----`, '-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----'],
    },
  },
  {
    id: 'private-key-ec',
    title: 'EC private key (PEM)',
    description: 'An elliptic-curve private key in SEC 1 PEM form, as used for TLS and signing keys.',
    severity: 'critical',
    keywords: ['-----begin ec private key'],
    pattern: pem('EC PRIVATE KEY'),
    examples: {
      positive: [`-----BEGIN EC PRIVATE KEY-----\n${EC_BODY}\n-----END EC PRIVATE KEY-----`],
      negative: ['-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----', '-----BEGIN EC PRIVATE KEY-----\n<your key>\n-----END EC PRIVATE KEY-----'],
    },
  },
  {
    id: 'private-key-openssh',
    title: 'OpenSSH private key',
    description: 'An SSH private key in OpenSSH format: shell access to every host that trusts its public half.',
    severity: 'critical',
    keywords: ['-----begin openssh private key'],
    pattern: pem('OPENSSH PRIVATE KEY'),
    examples: {
      positive: [`ssh-privatekey: |\n  -----BEGIN OPENSSH PRIVATE KEY-----\n  ${OPENSSH_BODY}\n  -----END OPENSSH PRIVATE KEY-----`],
      negative: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG/oWGKbYeOwFXGc9ykRAywsVP220FdqzyylsYebS6wa user@host'],
    },
  },
  {
    id: 'private-key-pkcs8',
    title: 'PKCS#8 private key (PEM)',
    description: 'An unencrypted PKCS#8 private key (any algorithm), the form most TLS tooling writes today.',
    severity: 'critical',
    keywords: ['-----begin private key'],
    pattern: pem('PRIVATE KEY'),
    examples: {
      positive: [`-----BEGIN PRIVATE KEY-----\n${RSA_BODY}\n-----END PRIVATE KEY-----`],
      negative: [`-----BEGIN PUBLIC KEY-----\n${RSA_BODY}\n-----END PUBLIC KEY-----`, `-----BEGIN CERTIFICATE-----\n${RSA_BODY}\n-----END CERTIFICATE-----`],
    },
  },
  {
    id: 'private-key-encrypted',
    title: 'Encrypted private key (PEM)',
    description: 'A passphrase-protected PKCS#8 private key: only as safe as its passphrase, which often sits next to it.',
    severity: 'medium',
    keywords: ['-----begin encrypted private key'],
    pattern: pem('ENCRYPTED PRIVATE KEY'),
    examples: {
      positive: [`-----BEGIN ENCRYPTED PRIVATE KEY-----\n${RSA_BODY}\n-----END ENCRYPTED PRIVATE KEY-----`],
      negative: ['-----BEGIN ENCRYPTED PRIVATE KEY-----\nREDACTED\n-----END ENCRYPTED PRIVATE KEY-----'],
    },
  },
  {
    id: 'private-key-dsa',
    title: 'DSA private key (PEM)',
    description: 'A DSA private key: a legacy algorithm, and still a key that signs as its owner.',
    severity: 'critical',
    keywords: ['-----begin dsa private key'],
    pattern: pem('DSA PRIVATE KEY'),
    examples: {
      positive: [`-----BEGIN DSA PRIVATE KEY-----\n${RSA_BODY}\n-----END DSA PRIVATE KEY-----`],
      negative: ['-----BEGIN DSA PARAMETERS-----\nMIIBHgKBgQ==\n-----END DSA PARAMETERS-----'],
    },
  },
  {
    id: 'private-key-pgp',
    title: 'PGP private key block',
    description: 'An armoured OpenPGP secret key: it decrypts and signs as its owner (package signing, SOPS, git).',
    severity: 'critical',
    keywords: ['-----begin pgp private key block'],
    pattern: '-----BEGIN PGP PRIVATE KEY BLOCK-----[\\s\\S]{64,65536}?-----END PGP PRIVATE KEY BLOCK-----',
    examples: {
      positive: [`-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nlQVYBGV${RSA_BODY}\n=Zx9Q\n-----END PGP PRIVATE KEY BLOCK-----`],
      negative: [`-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQINBGV${RSA_BODY}\n-----END PGP PUBLIC KEY BLOCK-----`],
    },
  },
  {
    id: 'putty-private-key',
    title: 'PuTTY private key',
    description: 'A PuTTY .ppk private key file: SSH access wherever its public key is authorised.',
    severity: 'critical',
    keywords: ['putty-user-key-file'],
    pattern: 'PuTTY-User-Key-File-[23]: [a-z0-9-]{3,40}\\r?\\nEncryption: [a-z0-9-]{3,40}\\r?\\nComment: [^\\n]{0,200}\\nPublic-Lines: \\d{1,3}\\r?\\n[\\s\\S]{20,16384}?Private-Lines: \\d{1,3}\\r?\\n[A-Za-z0-9+/=\\r\\n]{20,16384}',
    examples: {
      positive: [`PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\nComment: ops@bastion\nPublic-Lines: 2\nAAAAC3NzaC1lZDI1NTE5AAAAIG/oWGKbYeOwFXGc9ykRAywsVP220FdqzyylsYebS6wa\nPrivate-Lines: 1\nAAAAIHq1vX9Tn2cPzL8mWb4RdE7yKf3sJg6hUa0oNiQtCw5B\n`],
      negative: ['PuTTY-User-Key-File-3: ssh-ed25519 (see the docs for the format)'],
    },
  },
  {
    id: 'kubernetes-service-account-token',
    title: 'Kubernetes service account token',
    description:
      'A JWT issued to a Kubernetes service account (legacy Secret-based or bound): it authenticates to the API ' +
      'server as that account, with every permission bound to it.',
    severity: 'critical',
    keywords: ['eyj'],
    pattern: '(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,1024}\\.eyJ[A-Za-z0-9_-]{10,4096}\\.[A-Za-z0-9_-]{20,1024}(?![A-Za-z0-9_-])',
    checks: ['kubernetes-token'],
    examples: {
      positive: [`token: ${K8S_LEGACY_TOKEN}`, `users:\n- name: ci\n  user:\n    token: ${K8S_BOUND_TOKEN}`],
      negative: [`Authorization: Bearer ${PLAIN_JWT}`, 'token: eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.'],
    },
  },
  {
    id: 'jwt',
    title: 'JSON Web Token',
    description:
      'A signed JWT (header and claims base64url-encoded). Bearer tokens grant whatever their claims say until ' +
      'they expire, and many are issued without expiry.',
    severity: 'medium',
    keywords: ['eyj'],
    pattern: '(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{10,1024}\\.eyJ[A-Za-z0-9_-]{10,4096}\\.[A-Za-z0-9_-]{20,1024}(?![A-Za-z0-9_-])',
    checks: ['jwt-structure'],
    examples: {
      positive: [`Authorization: Bearer ${PLAIN_JWT}`],
      negative: ['eyJub3QiOiJhIGpzb24gd2ViIHRva2VuIn0.eyJzdWIiOiJ4In0.c2lnbmF0dXJlc2lnbmF0dXJlc2ln', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0'],
    },
  },
  {
    id: 'url-basic-auth',
    title: 'Password in a URL',
    description: 'A URL with a user and password in its authority (https://user:password@host): the password is in clear text.',
    keywords: ['://'],
    pattern: '(?<![A-Za-z0-9+.-])(?:https?|ftp|sftp|ssh|git\\+https?|wss?|smtps?|ldaps?|s3|nats|http\\+unix)://(?<user>[A-Za-z0-9._~%!$&\'()*+,;=-]{1,128}):(?<secret>[A-Za-z0-9._~%!$&\'()*+,;=-]{3,256})@[A-Za-z0-9._-]{1,253}',
    entropy: 1.5,
    examples: {
      positive: ['GIT_REPO=https://deploy:Gh7tq2LmV9xz@git.example.com/infra/manifests.git', 'proxy: http://svc-proxy:W3lc0me2024x@proxy.corp.internal:3128'],
      negative: ['https://user:${PASSWORD}@git.example.com', 'https://example.com/path?a=b', 'http://user@host.example.com', 'https://user:<password>@host'],
    },
  },
  {
    id: 'database-connection-string',
    title: 'Database connection string with a password',
    description:
      'A database or message-broker URI that embeds a password (PostgreSQL, MySQL, MongoDB, Redis, AMQP, MSSQL, ' +
      'ClickHouse, CockroachDB): it connects as that user from anywhere the network allows.',
    keywords: ['postgres', 'mysql', 'mongodb', 'redis', 'rediss', 'amqp', 'sqlserver', 'mssql', 'mariadb', 'clickhouse', 'cockroachdb', 'jdbc:', 'couchbase', 'neo4j', 'cassandra'],
    pattern: '(?<![A-Za-z0-9+.-])(?:jdbc:)?(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\\+srv)?|rediss?|amqps?|sqlserver|mssql|clickhouse|cockroachdb|couchbases?|neo4j(?:\\+s)?|cassandra)://(?<user>[^:@/\\s"\'`]{0,128}):(?<secret>[^@/\\s"\'`]{3,256})@[A-Za-z0-9._\\[\\]:-]{1,253}',
    entropy: 1.5,
    examples: {
      positive: [
        'DATABASE_URL=postgres://app:pR7x9Lq2sV4n@db.prod.internal:5432/orders',
        'uri: mongodb+srv://reporting:Zt8mQw3Lx5Vb@cluster0.abcde.mongodb.net/analytics',
        'REDIS_URL=redis://:Kq4vB8nT2wLp@redis-master:6379/0',
        'spring.datasource.url=jdbc:mysql://svc:Pa55-w0rd-Qz7@mysql.internal:3306/shop',
      ],
      negative: ['postgres://app:$(DB_PASSWORD)@db:5432/orders', 'postgres://app@db:5432/orders', 'redis://redis-master:6379/0', 'mongodb://{{ .Values.user }}:{{ .Values.password }}@mongo:27017'],
    },
  },
  {
    id: 'docker-config-auth',
    title: 'Container registry credentials (Docker config)',
    description:
      'An `auth` entry of a Docker config.json or .dockerconfigjson: base64 of user:password for a registry, ' +
      'enough to pull (and often push) images.',
    keywords: ['"auth"'],
    pattern: '"auth"\\s{0,4}:\\s{0,4}"(?<secret>[A-Za-z0-9+/]{8,2048}={0,2})"',
    checks: ['base64-decodes'],
    entropy: 3,
    examples: {
      positive: ['{"auths":{"registry.example.com":{"auth":"cm9ib3Q6Vm45cUx4MnRSN3dLNG1QOHo="}}}'],
      negative: ['{"auths":{"registry.example.com":{"auth":""}}}', '{"auths":{"ghcr.io":{"auth":"${REGISTRY_AUTH}"}}}'],
    },
  },
  {
    id: 'htpasswd-hash',
    title: 'htpasswd password hash',
    description:
      'An Apache htpasswd entry (bcrypt, MD5-crypt or SHA-1): an offline-crackable password hash, often for ' +
      'ingress basic auth or a registry.',
    severity: 'medium',
    keywords: ['$2y$', '$2a$', '$2b$', '$apr1$', '{sha}'],
    pattern: '(?<![A-Za-z0-9._-])[A-Za-z0-9._-]{1,64}:(?<secret>\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}|\\$apr1\\$[./A-Za-z0-9]{1,8}\\$[./A-Za-z0-9]{22}|\\{SHA\\}[A-Za-z0-9+/]{27}=)',
    examples: {
      positive: ['auth: admin:$apr1$Zq3Lx9Vb$1aB2cD3eF4gH5iJ6kL7mN8', 'registry:$2y$05$Lq7v9Xz2Bn4Mw6Qe8Rt0YuIoPaSdFgHjKlZxCvBnM1234567890ab'],
      negative: ['admin:$apr1$$', 'password: $2y$10$'],
    },
  },
  {
    id: 'kubeconfig-client-key',
    title: 'Kubeconfig with an embedded client key',
    description:
      'A kubeconfig `client-key-data` entry: a base64 private key that authenticates to the cluster as the ' +
      'certificate\'s user, often with cluster-admin rights.',
    severity: 'critical',
    keywords: ['client-key-data'],
    pattern: 'client-key-data:\\s{0,4}["\']?(?<secret>[A-Za-z0-9+/]{64,16384}={0,2})',
    examples: {
      positive: [`users:\n- name: admin\n  user:\n    client-certificate-data: LS0tLS1CRUdJTi\n    client-key-data: ${Buffer.from(`-----BEGIN RSA PRIVATE KEY-----\n${RSA_BODY}\n-----END RSA PRIVATE KEY-----\n`).toString('base64')}`],
      negative: ['client-key-data: REDACTED', 'client-key: /etc/kubernetes/pki/admin.key'],
    },
  },
];
