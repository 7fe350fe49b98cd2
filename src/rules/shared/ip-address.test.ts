import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isLoopbackIp, isUnspecifiedIp, parseIp } from './ip-address.ts';

test('parseIp follows net.ParseIP', () => {
  for (const text of ['127.0.0.1', '10.0.0.11', '0.0.0.0', '::', '::1', '0:0:0:0:0:0:0:1', 'fe80::1', '::ffff:127.0.0.1', '2001:db8::10.0.0.1']) {
    assert.ok(parseIp(text), text);
  }
  for (const text of ['', 'localhost', '127.0.0.01', '256.0.0.1', '1.2.3', '::1::', '1:2:3:4:5:6:7:8:9', 'fe80::1%eth0', ' 127.0.0.1']) {
    assert.equal(parseIp(text), undefined, text);
  }
});

test('loopback and unspecified addresses', () => {
  const ip = (text: string) => parseIp(text)!;
  assert.ok(isLoopbackIp(ip('127.0.0.1')) && isLoopbackIp(ip('127.1.2.3')) && isLoopbackIp(ip('::1')) && isLoopbackIp(ip('::ffff:127.0.0.1')));
  assert.ok(!isLoopbackIp(ip('10.0.0.1')) && !isLoopbackIp(ip('::')) && !isLoopbackIp(ip('0.0.0.0')) && !isLoopbackIp(ip('::2')));
  assert.ok(isUnspecifiedIp(ip('0.0.0.0')) && isUnspecifiedIp(ip('::')) && isUnspecifiedIp(ip('0:0:0:0:0:0:0:0')));
  assert.ok(!isUnspecifiedIp(ip('::1')) && !isUnspecifiedIp(ip('10.0.0.1')));
});
