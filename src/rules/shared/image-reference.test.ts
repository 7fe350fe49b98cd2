import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultPullPolicy, effectiveTag, isAllowedByRegistryEntry, parseImageReference, type ImageReference } from './image-reference.ts';

const DIGEST = `sha256:${'a1b2c3d4'.repeat(8)}`;

function parse(image: string): ImageReference {
  const reference = parseImageReference(image);
  assert.ok(reference, `expected ${image} to parse`);
  return reference;
}

function parts(image: string): [string, string, string | undefined, string | undefined] {
  const r = parse(image);
  return [r.registry, r.repository, r.tag, r.digest];
}

describe('parseImageReference', () => {
  test('Docker Hub short names get docker.io and library/', () => {
    assert.deepEqual(parts('nginx'), ['docker.io', 'library/nginx', undefined, undefined]);
    assert.deepEqual(parts('nginx:1.27'), ['docker.io', 'library/nginx', '1.27', undefined]);
    assert.deepEqual(parts('library/nginx:latest'), ['docker.io', 'library/nginx', 'latest', undefined]);
    assert.deepEqual(parts('bitnami/redis:7.2'), ['docker.io', 'bitnami/redis', '7.2', undefined]);
    assert.deepEqual(parts('docker.io/nginx'), ['docker.io', 'library/nginx', undefined, undefined]);
    assert.deepEqual(parts('index.docker.io/nginx'), ['docker.io', 'library/nginx', undefined, undefined]);
    assert.deepEqual(parts('docker.io/bitnami/redis'), ['docker.io', 'bitnami/redis', undefined, undefined]);
    assert.equal(parse('nginx').name, 'docker.io/library/nginx');
  });

  test('registries with ports are not tags', () => {
    assert.deepEqual(parts('localhost:5000/app'), ['localhost:5000', 'app', undefined, undefined]);
    assert.deepEqual(parts('localhost:5000/team/app:1.0'), ['localhost:5000', 'team/app', '1.0', undefined]);
    assert.deepEqual(parts('registry.example.com:8443/app:v2'), ['registry.example.com:8443', 'app', 'v2', undefined]);
    assert.deepEqual(parts('[::1]:5000/app:1'), ['[::1]:5000', 'app', '1', undefined]);
  });

  test('what makes a first component a registry', () => {
    assert.deepEqual(parts('localhost/app'), ['localhost', 'app', undefined, undefined]);
    assert.deepEqual(parts('ghcr.io/org/app:1.0.0'), ['ghcr.io', 'org/app', '1.0.0', undefined]);
    assert.deepEqual(parts('Registry/app'), ['Registry', 'app', undefined, undefined]);
    // Without a slash there is no registry: `localhost:5000` is Docker Hub's library/localhost at tag 5000.
    assert.deepEqual(parts('localhost:5000'), ['docker.io', 'library/localhost', '5000', undefined]);
  });

  test('digests, with and without a tag', () => {
    assert.deepEqual(parts(`app@${DIGEST}`), ['docker.io', 'library/app', undefined, DIGEST]);
    assert.deepEqual(parts(`registry.example.com/team/app:1.2.3@${DIGEST}`), ['registry.example.com', 'team/app', '1.2.3', DIGEST]);
    assert.deepEqual(parts(`localhost:5000/app@${DIGEST}`), ['localhost:5000', 'app', undefined, DIGEST]);
  });

  test('separators inside path components', () => {
    assert.deepEqual(parts('registry.example.com/my_team/app__x/app-name.v2:1'), ['registry.example.com', 'my_team/app__x/app-name.v2', '1', undefined]);
  });

  test('rejects references a runtime would reject', () => {
    for (const bad of [
      '',
      ' nginx',
      'Nginx',
      'nginx:',
      'nginx:bad tag',
      'nginx@sha256:abc',
      `nginx@sha256:${'A'.repeat(64)}`,
      'registry.example.com/',
      'a//b',
      '-nginx',
      'registry.example.com/App',
      'bad_host.example.com/app',
      'a'.repeat(64).replace(/a/g, 'f'),
      `nginx:${'x'.repeat(129)}`,
    ]) {
      assert.equal(parseImageReference(bad), undefined, `${bad} should not parse`);
    }
  });
});

describe('effectiveTag and defaultPullPolicy', () => {
  test('no tag and no digest means latest', () => {
    assert.equal(effectiveTag(parse('nginx')), 'latest');
    assert.equal(defaultPullPolicy(parse('nginx')), 'Always');
    assert.equal(defaultPullPolicy(parse('nginx:latest')), 'Always');
    assert.equal(defaultPullPolicy(parse('localhost:5000/app')), 'Always');
  });
  test('a digest without a tag has no tag', () => {
    assert.equal(effectiveTag(parse(`nginx@${DIGEST}`)), undefined);
    assert.equal(defaultPullPolicy(parse(`nginx@${DIGEST}`)), 'IfNotPresent');
  });
  test('an explicit latest with a digest still defaults to Always', () => {
    assert.equal(defaultPullPolicy(parse(`nginx:latest@${DIGEST}`)), 'Always');
  });
  test('other tags default to IfNotPresent', () => {
    assert.equal(defaultPullPolicy(parse('nginx:1.27')), 'IfNotPresent');
    assert.equal(defaultPullPolicy(undefined), 'IfNotPresent');
  });
});

describe('isAllowedByRegistryEntry', () => {
  const allowed = (image: string, entry: string): boolean => isAllowedByRegistryEntry(parse(image), entry);

  test('registry entries', () => {
    assert.ok(allowed('registry.example.com/team/app:1', 'registry.example.com'));
    assert.ok(allowed('REGISTRY.example.com/team/app:1', 'registry.example.com'));
    assert.ok(allowed('localhost:5000/app', 'localhost:5000'));
    assert.ok(!allowed('localhost:5000/app', 'localhost'));
    assert.ok(!allowed('registry.example.com.evil.io/app', 'registry.example.com'));
  });

  test('Docker Hub', () => {
    assert.ok(allowed('nginx', 'docker.io'));
    assert.ok(allowed('nginx', 'index.docker.io'));
    assert.ok(allowed('nginx:1.27', 'docker.io/library'));
    assert.ok(allowed('bitnami/redis', 'docker.io/bitnami'));
    assert.ok(!allowed('bitnami/redis', 'docker.io/library'));
    assert.ok(!allowed('nginx', 'registry.example.com'));
  });

  test('prefixes match whole path components', () => {
    assert.ok(allowed('registry.example.com/team/app', 'registry.example.com/team'));
    assert.ok(allowed('registry.example.com/team/app', 'registry.example.com/team/'));
    assert.ok(allowed('registry.example.com/team/app', 'registry.example.com/team/app'));
    assert.ok(!allowed('registry.example.com/team-b/app', 'registry.example.com/team'));
    assert.ok(!allowed('registry.example.com/other/app', 'registry.example.com/team'));
  });

  test('wildcard registries match one label', () => {
    const entry = '*.dkr.ecr.eu-west-1.amazonaws.com';
    assert.ok(allowed('123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:1', entry));
    assert.ok(!allowed('a.b.dkr.ecr.eu-west-1.amazonaws.com/app:1', entry));
    assert.ok(!allowed('dkr.ecr.eu-west-1.amazonaws.com/app:1', entry));
  });

  test('empty entries allow nothing', () => {
    assert.ok(!allowed('nginx', ''));
    assert.ok(!allowed('nginx', '/'));
  });
});
