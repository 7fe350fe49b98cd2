// Container image references, parsed and normalised as the container runtimes do (the grammar and the Docker Hub
// normalisation of github.com/distribution/reference, which the kubelet uses through ParseNormalizedNamed):
//   [registry[:port]/]path[:tag][@algorithm:hex]
// A first component is a registry only when it holds a `.` or a `:`, is `localhost`, or has upper-case letters;
// otherwise the image is on Docker Hub (`docker.io`), and a single-component Docker Hub path gets `library/`.

export const DOCKER_HUB_REGISTRY = 'docker.io';

export interface ImageReference {
  /** The reference as written. */
  readonly original: string;
  /** Registry host (with port), normalised: `docker.io` for Docker Hub (also when written `index.docker.io`). */
  readonly registry: string;
  /** Repository path inside the registry, normalised: `library/nginx` for Docker Hub's `nginx`. */
  readonly repository: string;
  /** `registry/repository`. */
  readonly name: string;
  readonly tag?: string;
  /** `algorithm:hex`, e.g. `sha256:…`. */
  readonly digest?: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;
const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;
const NAME_MAX_LENGTH = 255;

function isValidRegistry(registry: string): boolean {
  const match = /^(.*?)(?::(\d+))?$/.exec(registry);
  const host = match?.[1] ?? '';
  if (IPV6_HOST.test(host)) return true;
  return host !== '' && host.split('.').every((component) => DOMAIN_COMPONENT.test(component));
}

function isRegistryComponent(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || component !== component.toLowerCase();
}

/** Parses an image reference; undefined when a runtime would reject it. */
// Every image rule parses every container's image; a scan has few distinct images.
const parsed = new Map<string, ImageReference | undefined>();

export function parseImageReference(image: string): ImageReference | undefined {
  if (parsed.has(image)) return parsed.get(image);
  const reference = parseImageReferenceUncached(image);
  if (parsed.size < 50_000) parsed.set(image, reference);
  return reference;
}

function parseImageReferenceUncached(image: string): ImageReference | undefined {
  const original = image;
  if (image === '' || image !== image.trim()) return undefined;

  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return undefined;
    if (digest.startsWith('sha256:') && !SHA256_DIGEST.test(digest)) return undefined;
  }

  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return undefined;
  }
  if (rest === '' || rest.length > NAME_MAX_LENGTH) return undefined;

  let registry = DOCKER_HUB_REGISTRY;
  let repository = rest;
  const slash = rest.indexOf('/');
  if (slash !== -1 && isRegistryComponent(rest.slice(0, slash))) {
    registry = rest.slice(0, slash);
    repository = rest.slice(slash + 1);
    if (!isValidRegistry(registry)) return undefined;
  }
  if (!repository.split('/').every((component) => PATH_COMPONENT.test(component))) return undefined;
  // A bare 64-hex name is an image id, which ParseNormalizedNamed refuses.
  if (registry === DOCKER_HUB_REGISTRY && slash === -1 && /^[a-f0-9]{64}$/.test(repository)) return undefined;

  if (registry === 'index.docker.io') registry = DOCKER_HUB_REGISTRY;
  if (registry === DOCKER_HUB_REGISTRY && !repository.includes('/')) repository = `library/${repository}`;

  return {
    original,
    registry,
    repository,
    name: `${registry}/${repository}`,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/**
 * The tag the kubelet resolves: the written tag, else `latest` when there is no digest either
 * (pkg/util/parsers ParseImageName). Undefined for a digest-only reference.
 */
export function effectiveTag(reference: ImageReference): string | undefined {
  return reference.tag ?? (reference.digest === undefined ? 'latest' : undefined);
}

/** The imagePullPolicy the API server defaults to: Always for `:latest` (written or implied), else IfNotPresent. */
export function defaultPullPolicy(reference: ImageReference | undefined): 'Always' | 'IfNotPresent' {
  return reference !== undefined && effectiveTag(reference) === 'latest' ? 'Always' : 'IfNotPresent';
}

/**
 * Whether an image name (`registry/repository`, normalised) is under an allowlist entry: a registry
 * (`registry.example.com`, `localhost:5000`, `docker.io`), a registry with a path prefix matched on whole
 * components (`registry.example.com/team` allows `registry.example.com/team/app`, not `…/team-b/app`), or a
 * `*.` wildcard registry matching exactly one more DNS label (`*.dkr.ecr.eu-west-1.amazonaws.com`).
 * Registries compare case-insensitively and `index.docker.io` means `docker.io`. The prefix is compared with the
 * normalised repository, so Docker Hub's official images are `docker.io/library` (`docker.io/nginx` is the
 * `nginx` organisation, not the official image).
 */
export function isAllowedByRegistryEntry(reference: ImageReference, entry: string): boolean {
  const trimmed = entry.trim().replace(/\/+$/, '');
  if (trimmed === '') return false;
  const slash = trimmed.indexOf('/');
  let registry = (slash === -1 ? trimmed : trimmed.slice(0, slash)).toLowerCase();
  const prefix = slash === -1 ? '' : trimmed.slice(slash + 1);
  if (registry === 'index.docker.io') registry = DOCKER_HUB_REGISTRY;
  const imageRegistry = reference.registry.toLowerCase();
  if (registry.startsWith('*.')) {
    const suffix = registry.slice(1);
    if (!imageRegistry.endsWith(suffix)) return false;
    const label = imageRegistry.slice(0, -suffix.length);
    if (label === '' || label.includes('.')) return false;
  } else if (registry !== imageRegistry) {
    return false;
  }
  if (prefix === '') return true;
  return reference.repository === prefix || reference.repository.startsWith(`${prefix}/`);
}

/**
 * A container's image when it is mutable, i.e. not pinned by digest (the runtime pulls by digest when there is
 * one, so tags and pull policies no longer matter). Undefined for pinned, missing or unparsable images.
 */
export function mutableImageOf(container: Readonly<Record<string, unknown>>): { image: string; reference: ImageReference } | undefined {
  const image = container['image'];
  if (typeof image !== 'string') return undefined;
  const reference = parseImageReference(image);
  if (!reference || reference.digest !== undefined) return undefined;
  return { image, reference };
}
