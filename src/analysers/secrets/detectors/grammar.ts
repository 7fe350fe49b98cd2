// Pattern pieces the detector files share, so env files, YAML, JSON and container env read the same everywhere.

export const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/**
 * Between a key's name and its value: `NAME=value`, `NAME: value`, `"name": "value"`, `name = "value"`,
 * `'name' => 'value'`, `name := value`, and the `- name: NAME` / `value: …` pair of a container's env list.
 */
export const ASSIGN = String.raw`["']?(?:[\t ]{0,4}(?:=>|:=|[:=])|[\t ]{0,4}\r?\n[\t ]{0,40}value:)[\t ]{0,4}["']?`;
