// Which Kubernetes component a container or a command line runs, and its flags. Control-plane components usually
// run as static Pods whose container command carries the flags; the kubelet runs from systemd (see systemd.ts);
// on a node /proc/<pid>/cmdline gives the real argv. All three end up here as tokens with sources.

import { asArray, asObject, asString, type JsonObject, type Path } from '../../core/model.ts';
import { COMPONENT_FLAG_GRAMMARS, COMPONENT_NAMES, type ComponentName } from './flag-grammars.ts';
import { parseFlags, type ArgToken, type FlagSource, type ParsedFlags } from './flags.ts';

export { COMPONENT_FLAG_GRAMMARS, COMPONENT_NAMES, type ComponentName } from './flag-grammars.ts';

/** Programs that run a component for it: hyperkube (`hyperkube kube-apiserver`), go-runner (the log wrapper of the
 * upstream images: `/go-runner --log-file=… /usr/local/bin/kube-apiserver …`), and `sh -c "… exec kube-apiserver …"`. */
export type ComponentWrapper = 'hyperkube' | 'go-runner' | 'shell';

/** Where an invocation was found. */
export type InvocationSource =
  | {
      readonly type: 'container';
      /** Path from the object root to the container. */
      readonly containerPath: Path;
      readonly containerName: string;
    }
  | { readonly type: 'systemd'; readonly unit: string }
  | { readonly type: 'process'; readonly pid: number }
  | { readonly type: 'argv' };

export type InvocationProblemCode =
  /** The container sets no `command`: the image's entrypoint runs first and may add flags not seen here. */
  | 'entrypoint-unknown'
  /** `$(NAME)` in command/args names a variable whose value is not a literal in `env` (valueFrom, envFrom, service links). */
  | 'unresolved-env-reference'
  /** A `command`/`args` element that is not a string. */
  | 'non-string-argument'
  /** The flags come from a shell script: quoting was followed, but `$VAR` and command substitutions were not expanded. */
  | 'shell-script';

export interface InvocationProblem {
  readonly code: InvocationProblemCode;
  readonly message: string;
  /** Path (from the object root) of the element concerned, for container invocations. */
  readonly path?: Path;
}

export interface ComponentInvocation {
  readonly component: ComponentName;
  /** The flags after the executable (and after a hyperkube subcommand), parsed with the component's grammar. */
  readonly flags: ParsedFlags;
  readonly source: InvocationSource;
  /** The token naming the component's binary, when the command line shows it. */
  readonly executable: ArgToken | undefined;
  readonly wrappers: readonly ComponentWrapper[];
  /** Literal container `env` values with their paths (etcd also reads `ETCD_*` variables as flags). */
  readonly environment: ReadonlyMap<string, { readonly value: string; readonly path: Path }>;
  readonly problems: readonly InvocationProblem[];
}

const BINARY_COMPONENTS: Readonly<Record<string, ComponentName>> = Object.fromEntries(COMPONENT_NAMES.map((name) => [name, name]));

/** hyperkube subcommands and their pre-1.15 aliases. */
const HYPERKUBE_SUBCOMMANDS: Readonly<Record<string, ComponentName>> = {
  ...BINARY_COMPONENTS,
  apiserver: 'kube-apiserver',
  'controller-manager': 'kube-controller-manager',
  scheduler: 'kube-scheduler',
  proxy: 'kube-proxy',
};

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh']);

/** The last path segment, without a Windows `.exe`: `/usr/local/bin/kube-apiserver` → `kube-apiserver`. */
export function executableName(path: string): string {
  const base = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  return base.toLowerCase().endsWith('.exe') ? base.slice(0, -4) : base;
}

export interface Identification {
  readonly component: ComponentName;
  /** Index of the token naming the binary (or hyperkube). */
  readonly executableIndex: number;
  /** Index of the first token after the executable (and hyperkube subcommand): where flags start. */
  readonly argsIndex: number;
  readonly wrappers: readonly ComponentWrapper[];
}

/**
 * The component an argv runs, by its executable: `kube-apiserver` (any directory), `hyperkube kube-apiserver` or
 * `hyperkube apiserver`, through `go-runner`. Shell wrappers are handled by {@link componentInvocationOfArgv}.
 */
export function identifyComponent(argv: readonly string[], start = 0): Identification | undefined {
  const wrappers: ComponentWrapper[] = [];
  let i = start;
  for (;;) {
    const word = argv[i];
    if (word === undefined) return undefined;
    const name = executableName(word);
    const direct = BINARY_COMPONENTS[name];
    if (direct) return { component: direct, executableIndex: i, argsIndex: i + 1, wrappers };
    if (name === 'hyperkube') {
      const sub = argv[i + 1];
      const component = sub === undefined ? undefined : HYPERKUBE_SUBCOMMANDS[sub];
      return component ? { component, executableIndex: i, argsIndex: i + 2, wrappers: [...wrappers, 'hyperkube'] } : undefined;
    }
    if (name === 'go-runner') {
      // go-runner's own flags (Go flag package): -log-file string, -also-stdout and -redirect-stderr booleans.
      i++;
      while (argv[i]?.startsWith('-')) {
        const flag = argv[i]!;
        i++;
        if (flag === '--') break;
        if (/^--?log-file$/.test(flag)) i++;
      }
      wrappers.push('go-runner');
      continue;
    }
    return undefined;
  }
}

/**
 * The component an argv (executable first) runs, with its flags. Undefined when the executable is not a component.
 * `sh -c 'script'` is followed into the script: the first simple command that runs a component (after `exec`)
 * gives the flags; every token then points at the script's token.
 */
export function componentInvocationOfArgv(
  tokens: readonly ArgToken[],
  source: InvocationSource,
  context: { readonly environment?: ComponentInvocation['environment']; readonly problems?: readonly InvocationProblem[] } = {},
): ComponentInvocation | undefined {
  const make = (argv: readonly ArgToken[], found: Identification, extraWrappers: readonly ComponentWrapper[], problems: readonly InvocationProblem[]) => {
    const grammar = COMPONENT_FLAG_GRAMMARS[found.component];
    return Object.freeze({
      component: found.component,
      flags: parseFlags(argv.slice(found.argsIndex), grammar),
      source,
      executable: argv[found.executableIndex],
      wrappers: Object.freeze([...extraWrappers, ...found.wrappers]),
      environment: context.environment ?? new Map(),
      problems: Object.freeze([...(context.problems ?? []), ...problems]),
    });
  };
  const texts = tokens.map((token) => token.text);
  const found = identifyComponent(texts);
  if (found) return make(tokens, found, [], []);
  const shell = shellScript(tokens);
  if (!shell) return undefined;
  for (const command of shellCommands(shell.text)) {
    let start = 0;
    while (start < command.length && (command[start] === 'exec' || /^[A-Za-z_][A-Za-z0-9_]*=/.test(command[start]!))) start++;
    const inner = identifyComponent(command, start);
    if (!inner) continue;
    const argv = command.map((text) => ({ text, source: shell.source }));
    return make(argv, inner, ['shell'], [
      {
        code: 'shell-script',
        message: 'the flags come from a shell script; shell variables and substitutions in it were not expanded',
        ...(shell.source.type === 'container' ? { path: shell.source.path } : {}),
      },
    ]);
  }
  return undefined;
}

/** `sh -c SCRIPT` (also `bash -ec`, `sh -o pipefail -c`): the script token, if the argv is a shell running one. */
function shellScript(tokens: readonly ArgToken[]): { text: string; source: FlagSource } | undefined {
  const first = tokens[0];
  if (!first || !SHELLS.has(executableName(first.text))) return undefined;
  for (let i = 1; i < tokens.length; i++) {
    const text = tokens[i]!.text;
    if (text === '-o' || text === '+o') {
      i++;
      continue;
    }
    if (!/^[-+][A-Za-z]+$/.test(text)) return undefined;
    if (text.startsWith('-') && text.includes('c')) {
      const script = tokens[i + 1];
      return script ? { text: script.text, source: script.source } : undefined;
    }
  }
  return undefined;
}

/**
 * A POSIX shell script split into simple commands of unquoted words. Operators (`;` `&` `|` `&&` `||` `(` `)`,
 * newlines) separate commands; redirections and their targets are dropped; comments are skipped. Quotes and
 * backslashes are removed as the shell does; `$…` is left as written.
 */
export function shellCommands(script: string): string[][] {
  const commands: string[][] = [];
  let command: string[] = [];
  let word: string | undefined;
  let dropNext = false;
  const endWord = () => {
    if (word === undefined) return;
    if (dropNext) dropNext = false;
    else command.push(word);
    word = undefined;
  };
  const endCommand = () => {
    endWord();
    if (command.length > 0) commands.push(command);
    command = [];
  };
  for (let i = 0; i < script.length; i++) {
    const c = script[i]!;
    if (c === '\\') {
      const next = script[i + 1];
      i++;
      if (next === undefined || next === '\n') continue;
      word = (word ?? '') + next;
    } else if (c === "'") {
      const end = script.indexOf("'", i + 1);
      const stop = end === -1 ? script.length : end;
      word = (word ?? '') + script.slice(i + 1, stop);
      i = stop;
    } else if (c === '"') {
      let text = '';
      let j = i + 1;
      for (; j < script.length && script[j] !== '"'; j++) {
        if (script[j] === '\\' && j + 1 < script.length && '$`"\\\n'.includes(script[j + 1]!)) {
          j++;
          if (script[j] !== '\n') text += script[j];
        } else {
          text += script[j];
        }
      }
      word = (word ?? '') + text;
      i = j;
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === '#' && word === undefined) {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end - 1;
    } else if (c === '\n' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
      endCommand();
    } else if (c === '>' || c === '<') {
      // `2>&1`, `> file`, `>>file`: drop a file-descriptor number before the operator and the target after it.
      if (word !== undefined && /^\d+$/.test(word)) word = undefined;
      endWord();
      while (script[i + 1] === '>' || script[i + 1] === '&') i++;
      dropNext = true;
    } else {
      word = (word ?? '') + c;
    }
  }
  endCommand();
  return commands;
}

/** Kubernetes `$(NAME)` expansion of command and args (`$$` escapes `$`; an unknown name stays as written). */
export function expandContainerReferences(
  text: string,
  lookup: (name: string) => string | undefined,
): { readonly text: string; readonly used: readonly string[]; readonly unresolved: readonly string[] } {
  let out = '';
  const used: string[] = [];
  const unresolved: string[] = [];
  let checkpoint = 0;
  for (let cursor = 0; cursor < text.length; cursor++) {
    if (text[cursor] !== '$' || cursor + 1 >= text.length) continue;
    out += text.slice(checkpoint, cursor);
    const next = text[cursor + 1]!;
    if (next === '$') {
      out += '$';
      cursor += 1;
    } else if (next === '(') {
      const close = text.indexOf(')', cursor + 2);
      if (close === -1) {
        out += '$(';
        cursor += 1;
      } else {
        const name = text.slice(cursor + 2, close);
        const value = lookup(name);
        if (value === undefined) {
          out += `$(${name})`;
          unresolved.push(name);
        } else {
          out += value;
          used.push(name);
        }
        cursor = close;
      }
    } else {
      out += `$${next}`;
      cursor += 1;
    }
    checkpoint = cursor + 1;
  }
  return { text: out + text.slice(checkpoint), used, unresolved };
}

/**
 * A container's command line as the kubelet hands it to the runtime: `command` then `args`, `$(NAME)` expanded from
 * literal `env` values. Without `command` the image's entrypoint is unknown; the tokens are `args` only.
 */
export function containerArgv(
  container: JsonObject,
  containerPath: Path,
): {
  readonly tokens: readonly ArgToken[];
  readonly commandSet: boolean;
  readonly environment: ReadonlyMap<string, { readonly value: string; readonly path: Path }>;
  readonly problems: readonly InvocationProblem[];
} {
  const problems: InvocationProblem[] = [];
  // What $(NAME) can resolve to: literal env values (themselves expanded against earlier entries); undefined
  // marks names whose value the pod spec does not show.
  const known = new Map<string, { value: string | undefined; path: Path }>();
  asArray(container['env']).forEach((entry, index) => {
    const env = asObject(entry);
    const name = asString(env?.['name']);
    if (!env || name === undefined) return;
    const path = [...containerPath, 'env', index];
    if (env['valueFrom'] !== undefined) {
      known.set(name, { value: undefined, path });
      return;
    }
    const raw = asString(env['value']) ?? '';
    const expanded = expandContainerReferences(raw, (ref) => known.get(ref)?.value);
    known.set(name, { value: expanded.text, path });
  });
  const environment = new Map<string, { value: string; path: Path }>();
  for (const [name, { value, path }] of known) if (value !== undefined) environment.set(name, { value, path });

  const tokens: ArgToken[] = [];
  // An empty command is no command: the runtime then runs the image entrypoint.
  const commandSet = asArray(container['command']).length > 0;
  for (const field of ['command', 'args'] as const) {
    asArray(container[field]).forEach((element, index) => {
      const path = [...containerPath, field, index];
      if (typeof element !== 'string') {
        problems.push({ code: 'non-string-argument', message: `${field}[${index}] is not a string`, path });
        return;
      }
      const expanded = expandContainerReferences(element, (name) => known.get(name)?.value);
      for (const name of expanded.unresolved) {
        problems.push({
          code: 'unresolved-env-reference',
          message: `$(${name}) is not a literal env value of the container; it was left as written`,
          path,
        });
      }
      const envPaths = expanded.used.map((name) => known.get(name)!.path);
      tokens.push({ text: expanded.text, source: envPaths.length > 0 ? { type: 'container', path, env: envPaths } : { type: 'container', path } });
    });
  }
  return { tokens, commandSet, environment, problems };
}

/**
 * The component a container runs, or undefined. With `command` set, the executable is `command[0]` (or what a
 * wrapper runs). Without it, the image's entrypoint runs with `args`: the component is recognised from `args[0]`
 * naming a component binary, else from the image name (`registry.k8s.io/kube-apiserver:v1.30.0`), and the
 * invocation carries an `entrypoint-unknown` problem since the entrypoint may add flags.
 */
export function componentInvocationOfContainer(container: JsonObject, containerPath: Path): ComponentInvocation | undefined {
  const { tokens, commandSet, environment, problems } = containerArgv(container, containerPath);
  const source: InvocationSource = {
    type: 'container',
    containerPath,
    containerName: asString(container['name']) ?? `#${String(containerPath.at(-1))}`,
  };
  if (commandSet) return componentInvocationOfArgv(tokens, source, { environment, problems });
  const entrypoint: InvocationProblem = {
    code: 'entrypoint-unknown',
    message: 'the container sets no command: the image entrypoint runs with these args and may add flags not shown here',
    path: containerPath,
  };
  const fromArgs = componentInvocationOfArgv(tokens, source, { environment, problems: [...problems, entrypoint] });
  if (fromArgs) return fromArgs;
  const component = componentOfImage(asString(container['image']) ?? '');
  if (!component) return undefined;
  return Object.freeze({
    component,
    flags: parseFlags(tokens, COMPONENT_FLAG_GRAMMARS[component]),
    source,
    executable: undefined,
    wrappers: Object.freeze([]),
    environment,
    problems: Object.freeze([...problems, entrypoint]),
  });
}

/** `registry.k8s.io/kube-apiserver:v1.30.0`, `…/kube-apiserver-amd64@sha256:…`, `quay.io/coreos/etcd:v3.5` → the component. */
export function componentOfImage(image: string): ComponentName | undefined {
  const repository = image.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
  const name = repository.slice(repository.lastIndexOf('/') + 1).replace(/-(amd64|arm64|arm|ppc64le|s390x)$/, '');
  return BINARY_COMPONENTS[name];
}

/**
 * Every container (init containers too) of a Pod object that runs a Kubernetes component, in spec order. Paths are
 * from the Pod's root: `['spec','containers',0,'command',3]`.
 */
export function componentInvocationsOfPod(pod: JsonObject): readonly ComponentInvocation[] {
  const spec = asObject(pod['spec']);
  if (!spec) return [];
  const result: ComponentInvocation[] = [];
  for (const field of ['initContainers', 'containers'] as const) {
    asArray(spec[field]).forEach((value, index) => {
      const container = asObject(value);
      if (!container) return;
      const invocation = componentInvocationOfContainer(container, ['spec', field, index]);
      if (invocation) result.push(invocation);
    });
  }
  return Object.freeze(result);
}
