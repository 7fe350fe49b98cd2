// A small, strict checker for the XML the JUnit reporter writes: one root, balanced tags, quoted and escaped
// attributes, valid references, no characters XML 1.0 forbids. Returns the element tree with decoded values.

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const FORBIDDEN = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u;
const REFERENCE = /&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/y;
const NAME = '[A-Za-z_][A-Za-z0-9_.-]*';
const TAG = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}="[^"<]*")*)\\s*(/?)>`, 'y');
const ATTRIBUTE = new RegExp(`(${NAME})="([^"<]*)"`, 'g');

function decode(text: string, at: number): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c !== '&') {
      out += c;
      continue;
    }
    REFERENCE.lastIndex = i;
    const match = REFERENCE.exec(text);
    if (!match) throw new Error(`bad reference near offset ${at + i}: ${JSON.stringify(text.slice(i, i + 12))}`);
    const ref = match[0].slice(1, -1);
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
    const code = ref.startsWith('#x') ? Number.parseInt(ref.slice(2), 16) : ref.startsWith('#') ? Number(ref.slice(1)) : -1;
    const value = code >= 0 ? String.fromCodePoint(code) : named[ref]!;
    if (FORBIDDEN.test(value)) throw new Error(`reference to a forbidden character at offset ${at + i}`);
    out += value;
    i += match[0].length - 1;
  }
  return out;
}

export function parseXml(xml: string): XmlElement {
  const forbidden = FORBIDDEN.exec(xml);
  if (forbidden) throw new Error(`forbidden character U+${forbidden[0].codePointAt(0)!.toString(16)} at ${forbidden.index}`);
  let i = 0;
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>\n/.exec(xml);
  if (declaration) i = declaration[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < xml.length) {
    const next = xml.indexOf('<', i);
    const text = xml.slice(i, next === -1 ? xml.length : next);
    if (text !== '') {
      const decoded = decode(text, i);
      const parent = stack.at(-1);
      if (parent) parent.text += decoded;
      else if (decoded.trim() !== '') throw new Error(`text outside the root element at ${i}`);
    }
    if (next === -1) break;
    TAG.lastIndex = next;
    const tag = TAG.exec(xml);
    if (!tag) throw new Error(`malformed tag at ${next}: ${JSON.stringify(xml.slice(next, next + 40))}`);
    const [whole, closing, name, attributeText, selfClosing] = tag as unknown as [string, string, string, string, string];
    if (closing) {
      if (attributeText !== '' || selfClosing) throw new Error(`malformed end tag at ${next}`);
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> at ${next} closes <${open?.name ?? 'nothing'}>`);
    } else {
      const attributes: Record<string, string> = {};
      for (const [, key, value] of attributeText.matchAll(ATTRIBUTE)) {
        if (Object.hasOwn(attributes, key!)) throw new Error(`duplicate attribute ${key} at ${next}`);
        attributes[key!] = decode(value!, next);
      }
      const element: XmlElement = { name, attributes, children: [], text: '' };
      const parent = stack.at(-1);
      if (parent) parent.children.push(element);
      else if (root) throw new Error(`second root element <${name}> at ${next}`);
      else root = element;
      if (!selfClosing) stack.push(element);
    }
    i = next + whole.length;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.at(-1)!.name}>`);
  if (!root) throw new Error('no root element');
  return root;
}
