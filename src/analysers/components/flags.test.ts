// Flag parsing as pflag (Kubernetes components) and Go's flag package (etcd) do it, with sources; Go value parsers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { COMPONENT_FLAG_GRAMMARS } from './flag-grammars.ts';
import {
  argvTokens,
  boolValue,
  flagValue,
  gatesValue,
  getFlag,
  listValue,
  mapValue,
  parseFlags,
  procCmdlineTokens,
  readCsvRecord,
  type ArgToken,
  type ParsedFlags,
} from './flags.ts';
import { parseGoBool, parseGoDuration, parseGoInt } from './go-values.ts';

const KUBELET = COMPONENT_FLAG_GRAMMARS.kubelet;
const APISERVER = COMPONENT_FLAG_GRAMMARS['kube-apiserver'];
const ETCD = COMPONENT_FLAG_GRAMMARS.etcd;

const parse = (args: readonly string[], grammar = KUBELET) => parseFlags(argvTokens(args), grammar);
const values = (parsed: ParsedFlags) => Object.fromEntries([...parsed.flags].map(([name, flag]) => [name, flag.value]));
const codes = (parsed: ParsedFlags) => parsed.problems.map((problem) => `${problem.code}:${problem.token.text}`);

describe('parseFlags', () => {
  test('--name=value, --name value, bare booleans and explicit booleans', () => {
    const parsed = parse(['--kubeconfig=/etc/kubernetes/kubelet.conf', '--config', '/var/lib/kubelet/config.yaml', '--rotate-certificates', '--anonymous-auth=false']);
    assert.deepEqual(values(parsed), {
      kubeconfig: '/etc/kubernetes/kubelet.conf',
      config: '/var/lib/kubelet/config.yaml',
      'rotate-certificates': 'true',
      'anonymous-auth': 'false',
    });
    assert.deepEqual(
      parsed.occurrences.map((o) => [o.name, o.form, o.index]),
      [
        ['kubeconfig', 'inline', 0],
        ['config', 'separate', 1],
        ['rotate-certificates', 'implicit', 3],
        ['anonymous-auth', 'inline', 4],
      ],
    );
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.positionals, []);
  });

  test('a boolean flag never takes the next word: `--anonymous-auth false` is true plus an argument the component refuses', () => {
    const parsed = parse(['--anonymous-auth', 'false', '--read-only-port', '0']);
    assert.equal(flagValue(parsed, 'anonymous-auth'), 'true');
    assert.equal(flagValue(parsed, 'read-only-port'), '0');
    assert.deepEqual(parsed.positionals.map((token) => token.text), ['false']);
    assert.deepEqual(codes(parsed), ['unexpected-argument:false']);
  });

  test('a known value flag takes the next word even when it starts with a dash (pflag), and says so', () => {
    const parsed = parse(['--tls-cipher-suites', '--anonymous-auth=false']);
    assert.deepEqual(values(parsed), { 'tls-cipher-suites': '--anonymous-auth=false' });
    assert.equal(getFlag(parsed, 'anonymous-auth'), undefined);
    assert.deepEqual(codes(parsed), ['value-looks-like-flag:--anonymous-auth=false']);
  });

  test('unknown flags take the next word only when it does not start with a dash', () => {
    const parsed = parse(['--some-new-flag', 'value', '--another-new-flag', '--kubeconfig=/k']);
    assert.deepEqual(values(parsed), { 'some-new-flag': 'value', 'another-new-flag': 'true', kubeconfig: '/k' });
    assert.equal(getFlag(parsed, 'some-new-flag')!.kind, 'unknown');
  });

  test('a value flag at the end with no value is refused, not recorded', () => {
    const parsed = parse(['--anonymous-auth=false', '--kubeconfig']);
    assert.equal(getFlag(parsed, 'kubeconfig'), undefined);
    assert.deepEqual(codes(parsed), ['missing-value:--kubeconfig']);
  });

  test('repeated flags: every occurrence kept, the last one decides a scalar', () => {
    const parsed = parse(['--read-only-port=10255', '--anonymous-auth=true', '--read-only-port', '0']);
    const flag = getFlag(parsed, 'read-only-port')!;
    assert.deepEqual(flag.occurrences.map((o) => o.value), ['10255', '0']);
    assert.equal(flag.value, '0');
    assert.deepEqual(flag.last.valueSource, { type: 'argv', index: 3 });
    assert.deepEqual(flag.last.source, { type: 'argv', index: 2 });
    assert.deepEqual([...parsed.flags.keys()], ['read-only-port', 'anonymous-auth']);
  });

  test('pflag normalises `_` to `-` in names; getFlag accepts any spelling', () => {
    const parsed = parse(['--anonymous_auth=false', '--read_only_port', '0']);
    assert.deepEqual(values(parsed), { 'anonymous-auth': 'false', 'read-only-port': '0' });
    assert.equal(getFlag(parsed, '--anonymous_auth')!.last.written, '--anonymous_auth');
    // etcd (Go's flag package) does not normalise.
    assert.deepEqual(values(parse(['--client_cert_auth=true'], ETCD)), { client_cert_auth: 'true' });
  });

  test('single-dash flags: `-v=2`, `-v 2`, `-v2`; longer single-dash names are refused by pflag components but fine for etcd', () => {
    assert.equal(flagValue(parse(['-v=2']), 'v'), '2');
    assert.equal(flagValue(parse(['-v', '2']), 'v'), '2');
    assert.equal(flagValue(parse(['-v4']), 'v'), '4');
    const pflag = parse(['-anonymous-auth=false']);
    assert.equal(flagValue(pflag, 'anonymous-auth'), 'false');
    assert.deepEqual(codes(pflag), ['single-dash-long-flag:-anonymous-auth=false']);
    const etcd = parse(['-client-cert-auth', '-cert-file', '/etc/etcd/server.crt'], ETCD);
    assert.deepEqual(values(etcd), { 'client-cert-auth': 'true', 'cert-file': '/etc/etcd/server.crt' });
    assert.deepEqual(etcd.problems, []);
  });

  test('`--` ends the flags; Go flag (etcd) also stops at the first non-flag word', () => {
    const pflag = parse(['--anonymous-auth=false', '--', '--read-only-port=0']);
    assert.deepEqual(values(pflag), { 'anonymous-auth': 'false' });
    assert.deepEqual(codes(pflag), ['unexpected-argument:--read-only-port=0']);
    const etcd = parse(['--name', 'm1', 'stray', '--client-cert-auth'], ETCD);
    assert.deepEqual(values(etcd), { name: 'm1' });
    assert.deepEqual(etcd.positionals.map((token) => token.text), ['stray', '--client-cert-auth']);
    assert.deepEqual(codes(etcd), ['unexpected-argument:stray', 'unexpected-argument:--client-cert-auth']);
    // A Go boolean flag does not take the next word either, and parsing stops there.
    const goBool = parse(['--client-cert-auth', 'false', '--cert-file=/c'], ETCD);
    assert.deepEqual(values(goBool), { 'client-cert-auth': 'true' });
    assert.deepEqual(codes(goBool), ['unexpected-argument:false', 'unexpected-argument:--cert-file=/c']);
  });

  test('bad syntax and invalid booleans are problems', () => {
    const parsed = parse(['---x', '--=v', '--anonymous-auth=yes']);
    assert.deepEqual(codes(parsed), ['bad-syntax:---x', 'bad-syntax:--=v', 'invalid-bool:--anonymous-auth=yes']);
    assert.equal(boolValue(getFlag(parsed, 'anonymous-auth')!), undefined);
    assert.equal(boolValue(getFlag(parse(['--anonymous-auth=F']), 'anonymous-auth')!), false);
  });

  test('sources: each occurrence points at the token of its name and of its value', () => {
    const tokens: ArgToken[] = ['kube-apiserver', '--authorization-mode', 'Node,RBAC'].map((text, index) => ({
      text,
      source: { type: 'container', path: ['spec', 'containers', 0, 'command', index] },
    }));
    const flag = getFlag(parseFlags(tokens.slice(1), APISERVER), 'authorization-mode')!;
    assert.deepEqual(flag.last.source, { type: 'container', path: ['spec', 'containers', 0, 'command', 1] });
    assert.deepEqual(
      listValue(flag).map((item) => [item.value, item.source]),
      [
        ['Node', { type: 'container', path: ['spec', 'containers', 0, 'command', 2] }],
        ['RBAC', { type: 'container', path: ['spec', 'containers', 0, 'command', 2] }],
      ],
    );
  });
});

describe('list, map and gate values', () => {
  test('StringSlice flags: comma lists, all occurrences appended, CSV quoting, exact elements', () => {
    const parsed = parse(
      ['--enable-admission-plugins=NodeRestriction,PodSecurity', '--enable-admission-plugins', '"Event,RateLimit",AlwaysPullImages', '--authorization-mode=Node, RBAC'],
      APISERVER,
    );
    assert.deepEqual(listValue(getFlag(parsed, 'enable-admission-plugins')!).map((item) => item.value), ['NodeRestriction', 'PodSecurity', 'Event,RateLimit', 'AlwaysPullImages']);
    assert.deepEqual(listValue(getFlag(parsed, 'authorization-mode')!).map((item) => item.value), ['Node', ' RBAC']);
    assert.deepEqual(listValue(getFlag(parse(['--tls-cipher-suites='], APISERVER), 'tls-cipher-suites')!), []);
  });

  test('a scalar flag split on commas uses only its last occurrence; the kubelet authorization mode is a scalar', () => {
    const kubelet = parse(['--authorization-mode=AlwaysAllow', '--authorization-mode=Webhook']);
    assert.deepEqual(listValue(getFlag(kubelet, 'authorization-mode')!).map((item) => item.value), ['Webhook']);
    const apiserver = parse(['--authorization-mode=AlwaysAllow', '--authorization-mode=Node,RBAC'], APISERVER);
    assert.deepEqual(listValue(getFlag(apiserver, 'authorization-mode')!).map((item) => item.value), ['AlwaysAllow', 'Node', 'RBAC']);
  });

  test('StringArray flags: one element per occurrence, commas kept', () => {
    const parsed = parse(['--service-account-key-file=/a.pub,/b.pub', '--service-account-key-file=/c.pub'], APISERVER);
    assert.deepEqual(listValue(getFlag(parsed, 'service-account-key-file')!).map((item) => item.value), ['/a.pub,/b.pub', '/c.pub']);
  });

  test('CSV records as pflag reads them', () => {
    assert.deepEqual(readCsvRecord('a,"b,c",d'), ['a', 'b,c', 'd']);
    assert.deepEqual(readCsvRecord('"say ""hi""",x'), ['say "hi"', 'x']);
    assert.deepEqual(readCsvRecord('a,,b'), ['a', '', 'b']);
    assert.deepEqual(readCsvRecord(''), []);
    assert.deepEqual(readCsvRecord('a\nb'), ['a']);
    assert.equal(readCsvRecord('a"b'), undefined);
    assert.equal(readCsvRecord('"a"b'), undefined);
    assert.equal(readCsvRecord('"open'), undefined);
    assert.deepEqual(codes(parse(['--tls-cipher-suites=TLS_A,"TLS_B'])), ['invalid-list:--tls-cipher-suites=TLS_A,"TLS_B']);
  });

  test('feature gates merge across occurrences, later keys winning; malformed pairs are problems', () => {
    const parsed = parse(['--feature-gates=RotateKubeletServerCertificate=true, SeccompDefault = true', '--feature-gates', 'RotateKubeletServerCertificate=false,Broken']);
    const gates = gatesValue(getFlag(parsed, 'feature-gates')!);
    assert.deepEqual(Object.fromEntries([...gates].map(([name, { value }]) => [name, value])), { RotateKubeletServerCertificate: false, SeccompDefault: true });
    assert.deepEqual(gates.get('RotateKubeletServerCertificate')!.source, { type: 'argv', index: 2 });
    assert.deepEqual(codes(parsed), ['invalid-gates:--feature-gates']);
  });

  test('string maps: pairs trimmed and merged, an item without = is a key with an empty value', () => {
    const parsed = parse(['--node-labels=a=1, b = 2', '--node-labels=a=3,flag']);
    assert.deepEqual(Object.fromEntries([...mapValue(getFlag(parsed, 'node-labels')!)].map(([key, { value }]) => [key, value])), { a: '3', b: '2', flag: '' });
  });
});

describe('token sources', () => {
  test('/proc/<pid>/cmdline: NUL-separated with a trailing NUL; empty arguments kept', () => {
    const tokens = procCmdlineTokens(812, '/usr/bin/kubelet\0--config=/var/lib/kubelet/config.yaml\0\0--v=2\0');
    assert.deepEqual(tokens, [
      { text: '/usr/bin/kubelet', source: { type: 'process', pid: 812, index: 0 } },
      { text: '--config=/var/lib/kubelet/config.yaml', source: { type: 'process', pid: 812, index: 1 } },
      { text: '', source: { type: 'process', pid: 812, index: 2 } },
      { text: '--v=2', source: { type: 'process', pid: 812, index: 3 } },
    ]);
  });
});

describe('Go value parsers', () => {
  test('strconv.ParseBool', () => {
    for (const text of ['1', 't', 'T', 'TRUE', 'true', 'True']) assert.equal(parseGoBool(text), true, text);
    for (const text of ['0', 'f', 'F', 'FALSE', 'false', 'False']) assert.equal(parseGoBool(text), false, text);
    for (const text of ['', 'yes', 'tRUE', ' true', 'on']) assert.equal(parseGoBool(text), undefined, text);
  });

  test('strconv.ParseInt with base 0 and a bit size', () => {
    const cases: [string, number | undefined][] = [
      ['0', 0],
      ['10250', 10250],
      ['+7', 7],
      ['-1', -1],
      ['0x100', 256],
      ['0X1f', 31],
      ['010', 8],
      ['0o17', 15],
      ['0b101', 5],
      ['1_000', 1000],
      ['0x_ff', 255],
      ['_1', undefined],
      ['1__0', undefined],
      ['1_', undefined],
      ['08', undefined],
      ['0x', undefined],
      ['', undefined],
      ['1e3', undefined],
      [' 1', undefined],
      ['2147483647', 2147483647],
      ['2147483648', undefined],
      ['-2147483648', -2147483648],
    ];
    for (const [text, expected] of cases) assert.equal(parseGoInt(text, 32), expected, text);
    assert.equal(parseGoInt('2147483648', 64), 2147483648);
    assert.equal(parseGoInt('9223372036854775808', 64), undefined);
  });

  test('time.ParseDuration, in seconds', () => {
    const cases: [string, number | undefined][] = [
      ['4h0m0s', 14400],
      ['5m', 300],
      ['1h30m', 5400],
      ['1.5h', 5400],
      ['300ms', 0.3],
      ['.5s', 0.5],
      ['-1m', -60],
      ['0', 0],
      ['0s', 0],
      ['2µs', 2e-6],
      ['5', undefined],
      ['1x', undefined],
      ['', undefined],
      ['.s', undefined],
      ['1h 30m', undefined],
    ];
    for (const [text, expected] of cases) assert.equal(parseGoDuration(text), expected, text);
  });
});
