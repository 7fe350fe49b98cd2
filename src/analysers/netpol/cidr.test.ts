// CIDR parsing as Go's net.ParseCIDR does it (the API server validates ipBlocks with it), IPv6 forms, masking of
// host bits, ipBlock cidr-minus-except, anywhere recognition and formatting back to CIDRs.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ANYWHERE,
  ANYWHERE_V4,
  addressesEmpty,
  addressUnion,
  cidrAddresses,
  coversFamily,
  formatAddresses,
  formatIp,
  ipBlockAddresses,
  isAnywhere,
  parseCidr,
  parseIp,
} from './cidr.ts';

describe('parseIp', () => {
  test('IPv4: four decimal octets, no leading zeros', () => {
    assert.deepEqual(parseIp('10.0.0.1'), { family: 4, value: 0x0a000001 });
    assert.deepEqual(parseIp('255.255.255.255'), { family: 4, value: 2 ** 32 - 1 });
    for (const bad of ['10.0.0', '10.0.0.256', '010.0.0.1', '10.0.0.1.2', '1.2.3.-4', '', 'a.b.c.d']) assert.equal(parseIp(bad), undefined, bad);
  });

  test('IPv6: full, compressed, embedded IPv4; no zones, one :: only', () => {
    assert.deepEqual(parseIp('::'), { family: 6, value: 0n });
    assert.deepEqual(parseIp('::1'), { family: 6, value: 1n });
    assert.deepEqual(parseIp('2001:db8::1'), { family: 6, value: (0x2001n << 112n) | (0xdb8n << 96n) | 1n });
    assert.deepEqual(parseIp('2001:0db8:0:0:0:0:0:1'), parseIp('2001:db8::1'));
    assert.deepEqual(parseIp('::ffff:10.0.0.1'), { family: 6, value: (0xffffn << 32n) | 0x0a000001n });
    assert.deepEqual(parseIp('1:2:3:4:5:6:1.2.3.4'), { family: 6, value: (1n << 112n) | (2n << 96n) | (3n << 80n) | (4n << 64n) | (5n << 48n) | (6n << 32n) | 0x01020304n });
    for (const bad of ['1::2::3', 'fe80::1%eth0', '12345::', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7', ':1::', '::ffff:1.2.3', 'g::1']) assert.equal(parseIp(bad), undefined, bad);
  });

  test('formatIp is RFC 5952', () => {
    assert.equal(formatIp(6, parseIp('2001:0db8:0000:0000:0000:0000:0000:0001')!.value), '2001:db8::1');
    assert.equal(formatIp(6, 0n), '::');
    assert.equal(formatIp(6, parseIp('1:0:0:2:0:0:0:3')!.value), '1:0:0:2::3');
    assert.equal(formatIp(4, parseIp('192.168.1.10')!.value), '192.168.1.10');
  });
});

describe('parseCidr', () => {
  test('prefixes, bare addresses and masking', () => {
    assert.deepEqual(parseCidr('10.0.0.0/8'), { family: 4, prefix: 8, first: 0x0a000000, last: 0x0affffff, hostBits: false });
    assert.deepEqual(parseCidr('10.1.2.3/8'), { family: 4, prefix: 8, first: 0x0a000000, last: 0x0affffff, hostBits: true });
    assert.deepEqual(parseCidr('192.0.2.7'), { family: 4, prefix: 32, first: 0xc0000207, last: 0xc0000207, hostBits: false });
    assert.deepEqual(parseCidr('0.0.0.0/0'), { family: 4, prefix: 0, first: 0, last: 2 ** 32 - 1, hostBits: false });
    assert.deepEqual(parseCidr('::/0'), { family: 6, prefix: 0, first: 0n, last: (1n << 128n) - 1n, hostBits: false });
    assert.equal(parseCidr('2001:db8::/32')!.last, (0x20010db8n << 96n) + (1n << 96n) - 1n);
    for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/08', '10.0.0.0/-1', 'x/8']) assert.equal(parseCidr(bad), undefined, bad);
  });
});

describe('address sets', () => {
  test('ipBlock: cidr minus except', () => {
    const block = ipBlockAddresses('10.0.0.0/8', ['10.1.0.0/16', '10.2.0.0/16'])!;
    assert.equal(formatAddresses(block), '10.0.0.0/16, 10.3.0.0/16, 10.4.0.0/14, 10.8.0.0/13, 10.16.0.0/12, 10.32.0.0/11, 10.64.0.0/10, 10.128.0.0/9');
    assert.equal(formatAddresses(ipBlockAddresses('0.0.0.0/0', ['0.0.0.0/1'])!), '128.0.0.0/1');
    assert.ok(addressesEmpty(ipBlockAddresses('10.0.0.0/24', ['10.0.0.0/24'])!));
    assert.equal(ipBlockAddresses('nope', []), undefined);
  });

  test('anywhere: 0.0.0.0/0 and ::/0 together; each alone covers a family', () => {
    const v4 = cidrAddresses('0.0.0.0/0')!;
    const v6 = cidrAddresses('::/0')!;
    assert.equal(isAnywhere(v4), false);
    assert.equal(isAnywhere(addressUnion(v4, v6)), true);
    assert.equal(coversFamily(v4), true);
    assert.equal(coversFamily(cidrAddresses('0.0.0.0/1')!), false);
    assert.equal(formatAddresses(ANYWHERE), '0.0.0.0/0, ::/0');
    assert.equal(formatAddresses(ANYWHERE_V4), '0.0.0.0/0');
    assert.equal(formatAddresses(ipBlockAddresses('2001:db8::/32', ['2001:db8::/48'])!).split(', ')[0], '2001:db8:1::/48');
  });
});
