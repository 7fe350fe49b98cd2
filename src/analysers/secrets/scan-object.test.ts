import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { LAST_APPLIED_ANNOTATION, type JsonObject } from '../../core/model.ts';
import { scanDocumentSecrets, scanObjectSecrets, type SecretHit } from './scan-object.ts';

const DB_URL = 'postgres://app:pR7x9Lq2sV4n@db.prod.internal:5432/orders';
const PASSWORD = 'Vn9qLx2tR7wK';
const b64 = (text: string): string => Buffer.from(text).toString('base64');

function summary(hits: readonly SecretHit[]): string[] {
  return hits.map((hit) => `${hit.layer} ${hit.detectorId} ${hit.path.join('.')}${hit.inner ? ` :: ${hit.inner}` : ''}`).sort();
}

function deployment(container: JsonObject, metadata: JsonObject = {}): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', ...metadata },
    spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx', ...container }] } } },
  };
}

describe('scanObjectSecrets', () => {
  it('finds literals in env values, flags, headers and annotations, by provider format and by name', () => {
    const hits = scanObjectSecrets(
      deployment(
        {
          env: [
            { name: 'DATABASE_URL', value: DB_URL },
            { name: 'ADMIN_PASSWORD', value: PASSWORD },
            { name: 'LOG_LEVEL', value: 'debug-Vn9qLx2tR7wK' },
          ],
          args: ['--db-password=Qz8mWp3xLr5t', '--api-token', 'tK4vB8nT2wLpZ7q9', '--verbose'],
          livenessProbe: { httpGet: { path: '/', port: 80, httpHeaders: [{ name: 'Authorization', value: 'Bearer 9fK2mQ7xLp4vR8tZ3wN6' }] } },
        },
        { annotations: { 'example.com/api-key': 'Zq7xL2mP9vR4tK8w' } },
      ),
    );
    assert.deepEqual(summary(hits), [
      'value database-connection-string spec.template.spec.containers.0.env.0.value',
      'value generic-password spec.template.spec.containers.0.args.0',
      'value generic-password spec.template.spec.containers.0.env.1.value',
      'value generic-secret metadata.annotations.example.com/api-key',
      'value generic-secret spec.template.spec.containers.0.args.2',
      'value generic-secret spec.template.spec.containers.0.livenessProbe.httpGet.httpHeaders.0.value',
    ]);
    const flag = hits.find((hit) => hit.path.join('.').endsWith('args.0'))!;
    assert.deepEqual(flag.offsets, { start: '--db-password='.length, end: '--db-password=Qz8mWp3xLr5t'.length });
  });

  it('leaves references, templates and placeholders alone', () => {
    const hits = scanObjectSecrets(
      deployment({
        env: [
          { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
          { name: 'DB_PASSWORD_FILE', value: '/run/secrets/db-password' },
          { name: 'API_TOKEN', value: '$(TOKEN_FROM_SECRET)' },
          { name: 'API_KEY', value: '${API_KEY}' },
          { name: 'SECRET_KEY', value: '{{ .Values.secretKey }}' },
          { name: 'PASSWORD', value: 'changeme' },
          { name: 'ADMIN_PASSWORD', value: '<password>' },
          { name: 'TOKEN', value: 'xxxxxxxxxxxx' },
          { name: 'SIGNING_KEY', value: 'ENC[AES256_GCM,data:Zm9vYmFy,iv:abc,tag:def,type:str]' },
          { name: 'IMAGE_SECRET', value: 'sha256:3b4c8f5e2a1d9c7b6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d' },
          { name: 'CLIENT_SECRET', value: '4f1c2b3a-9d8e-4c7b-a6f5-0e1d2c3b4a59' },
          { name: 'DB_PASSWORD_SECRET_NAME', value: 'db-credentials-2' },
          { name: 'REDIS_PASSWORD', value: '$REDIS_PASSWORD_FROM_VAULT' },
          { name: 'SMTP_PASSWORD', value: '%SMTP_PASSWORD%' },
          { name: 'API_TOKEN', value: 'process.env.API_TOKEN_2024' },
          { name: 'ADMIN_PASSWORD', value: 'readPassword(config)' },
        ],
      }),
    );
    assert.deepEqual(summary(hits), []);
  });

  it('decodes Secret data, reads stringData, and leaves SealedSecret ciphertext and SOPS files alone', () => {
    const secret = scanObjectSecrets({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db' },
      data: { url: b64(DB_URL), password: b64(PASSWORD), keystore: Buffer.from([0, 1, 2, 3, 4, 5, 6, 7]).toString('base64') },
      stringData: { 'admin-password': 'Kq4vB8nT2wLp' },
    });
    assert.deepEqual(summary(secret), [
      'secret-data database-connection-string data.url',
      'secret-data generic-password data.password',
      'secret-data generic-password stringData.admin-password',
    ]);
    const sealed = scanObjectSecrets({
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 'db' },
      spec: { encryptedData: { password: 'AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq'.repeat(4) }, template: { metadata: { name: 'db' } } },
    });
    assert.deepEqual(summary(sealed), []);
    const sops = scanObjectSecrets({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db' },
      stringData: { password: 'ENC[AES256_GCM,data:9ZyQ1w==,iv:Zm9v,tag:YmFy,type:str]' },
      sops: { age: [{ recipient: 'age1qyqszqgpqyqszqgpqyqszqgpqyqszqgp', enc: '-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----' }], mac: 'ENC[AES256_GCM,data:abc]' },
    });
    assert.deepEqual(summary(sops), []);
  });

  it('reads the last-applied annotation, Secret values included', () => {
    const applied = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: PASSWORD }, data: { url: b64(DB_URL) } };
    const hits = scanObjectSecrets({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', annotations: { [LAST_APPLIED_ANNOTATION]: JSON.stringify(applied) } },
      data: { password: b64(PASSWORD) },
    });
    assert.deepEqual(summary(hits), [
      `last-applied database-connection-string metadata.annotations.${LAST_APPLIED_ANNOTATION} :: data.url`,
      `last-applied generic-password metadata.annotations.${LAST_APPLIED_ANNOTATION} :: stringData.password`,
      'secret-data generic-password data.password',
    ]);
  });

  it('decodes Docker registry credentials', () => {
    const config = { auths: { 'registry.example.com': { auth: b64(`robot:${PASSWORD}`) }, 'ghcr.io': { auth: b64('bot:${TOKEN}') } } };
    const hits = scanObjectSecrets({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/dockerconfigjson',
      metadata: { name: 'pull' },
      data: { '.dockerconfigjson': b64(JSON.stringify(config)) },
    });
    assert.deepEqual(summary(hits), ['docker-config docker-config-auth data..dockerconfigjson :: auths["registry.example.com"].auth']);
  });

  it('decodes Helm release records: values, chart defaults and rendered Secrets', () => {
    const release = {
      name: 'shop',
      config: { database: { password: PASSWORD } },
      chart: { values: { redis: { url: 'redis://:Kq4vB8nT2wLp@redis-master:6379/0' } } },
      manifest: `---\n# Source: shop/templates/secret.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: shop\nstringData:\n  DATABASE_URL: ${DB_URL}\n`,
    };
    const helmValue = gzipSync(Buffer.from(JSON.stringify(release))).toString('base64');
    const hits = scanObjectSecrets({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'helm.sh/release.v1',
      metadata: { name: 'sh.helm.release.v1.shop.v1', labels: { owner: 'helm' } },
      data: { release: b64(helmValue) },
    });
    assert.deepEqual(summary(hits), [
      'helm-release database-connection-string data.release :: chart.values.redis.url',
      'helm-release database-connection-string data.release :: manifest[1].stringData.DATABASE_URL',
      'helm-release generic-password data.release :: config.database.password',
    ]);
  });

  it('survives a gzip bomb in a Helm release and bad base64 anywhere', () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024)).toString('base64');
    const hits = scanObjectSecrets({
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'helm.sh/release.v1',
      metadata: { name: 'sh.helm.release.v1.bomb.v1' },
      data: { release: b64(bomb), other: '!!!not base64!!!' },
    });
    assert.deepEqual(summary(hits), []);
  });

  it('decodes kubeconfig client keys and ConfigMap binaryData; reads properties files line by line', () => {
    const key = `-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIJXMuQEhRt1iyGTM/QhWyqPLRspWRMhJgzo/yjfmUJ2SoAoGCCqGSM49AwEHoUQDQgAEO8QT218W8fQ3kV9gDmIo3C1nQoMLrloqiNGrvzGKilxJFx0yaN8K\n-----END EC PRIVATE KEY-----\n`;
    const kubeconfig = scanObjectSecrets({
      apiVersion: 'v1',
      kind: 'Config',
      users: [{ name: 'admin', user: { 'client-certificate-data': b64('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'), 'client-key-data': b64(key) } }],
    });
    assert.deepEqual(summary(kubeconfig), ['value private-key-ec users.0.user.client-key-data']);
    const configMap = scanObjectSecrets({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app' },
      data: { 'application.properties': `server.port=8080\nspring.datasource.password=${PASSWORD}\nlogging.level=INFO\n` },
      binaryData: { 'creds.env': b64(`API_TOKEN=tK4vB8nT2wLpZ7q9\n`) },
    });
    assert.deepEqual(summary(configMap), ['value generic-password data.application.properties', 'value generic-secret binaryData.creds.env']);
  });

  it('names only provider formats in secret-store references', () => {
    const hits = scanObjectSecrets({
      apiVersion: 'external-secrets.io/v1beta1',
      kind: 'ExternalSecret',
      metadata: { name: 'db' },
      spec: { data: [{ secretKey: 'password', remoteRef: { key: 'prod/db/password-2024' } }], target: { name: 'db' } },
    });
    assert.deepEqual(summary(hits), []);
  });

  it('reads kustomize generator literals as NAME=value', () => {
    const hits = scanObjectSecrets({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      secretGenerator: [{ name: 'db', literals: ['DB_USER=shop', `DB_PASSWORD=${PASSWORD}`], envs: ['secrets.env'] }],
    });
    assert.deepEqual(summary(hits), ['value generic-password secretGenerator.0.literals.1']);
    assert.deepEqual(hits[0]!.offsets, { start: 'DB_PASSWORD='.length, end: 'DB_PASSWORD='.length + PASSWORD.length });
  });

  it('scans documents that are not Kubernetes objects by key', () => {
    assert.deepEqual(summary(scanDocumentSecrets({ postgresql: { auth: { password: PASSWORD, existingSecret: '' } }, image: { tag: '1.2.3' } })), [
      'value generic-password postgresql.auth.password',
    ]);
  });
});
