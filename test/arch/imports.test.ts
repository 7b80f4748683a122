// Import boundaries as a test: each top folder of src/ may import only the folders listed
// for it, a controller never imports another controller, and no file imports itself in a cycle.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, dirname, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Which top folders each top folder may import (itself always allowed). */
const ALLOWED: Record<string, string[]> = {
  base: [],
  api: [],
  storage: ['base'],
  apiserver: ['api', 'base', 'storage'],
  client: ['api', 'base'],
  controllers: ['api', 'base', 'client'],
  kubelet: ['api', 'base', 'client'],
  scheduler: ['api', 'base', 'client'],
  dns: ['api', 'base', 'client'],
  nftables: ['base'],
  proxy: ['api', 'base', 'client', 'nftables'],
  netpol: ['api', 'base', 'client', 'nftables'],
  ingress: ['api', 'base', 'client'],
  server: ['api', 'base', 'storage', 'apiserver', 'client', 'controllers', 'scheduler', 'kubelet', 'nftables', 'proxy', 'netpol', 'dns', 'ingress'],
  cli: ['base', 'server', 'api'],
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec?.startsWith('.')) out.push(resolve(dirname(file), spec));
  }
  return out;
}

const top = (p: string) => relative(SRC, p).split('/')[0];

test('every top folder imports only the folders below it', () => {
  const bad: string[] = [];
  for (const f of files(SRC)) {
    if (f.endsWith('.test.ts')) continue;
    const from = top(f);
    assert.ok(from in ALLOWED || f === join(SRC, from), `src/${from} has no import rule; add it to ALLOWED`);
    for (const target of importsOf(f)) {
      if (!target.startsWith(SRC)) continue;
      const to = top(target);
      if (to !== from && !(ALLOWED[from] ?? []).includes(to)) bad.push(`${relative(SRC, f)} → ${relative(SRC, target)}`);
    }
  }
  assert.deepEqual(bad, []);
});

/** Folders of controllers/ that are libraries, not controllers: the engine, and the endpoint rules both endpoint controllers follow. */
const SHARED = ['engine', 'service-endpoints'];
/** Files of controllers/ that compose the controllers rather than being one: the registry, and the thread that runs it. */
const COMPOSITION = ['index.ts', 'controller-manager-thread.ts'];

test('no controller imports another controller', () => {
  const ctrl = join(SRC, 'controllers');
  const bad: string[] = [];
  for (const f of files(ctrl)) {
    const own = relative(ctrl, f).split('/')[0];
    for (const target of importsOf(f)) {
      if (!target.startsWith(ctrl + '/')) continue;
      const other = relative(ctrl, target).split('/')[0];
      if (!COMPOSITION.includes(own) && other !== own && !SHARED.includes(other)) bad.push(`${relative(SRC, f)} → ${relative(SRC, target)}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('top folders form no cycle', () => {
  const edges = new Map<string, Set<string>>();
  for (const f of files(SRC)) {
    if (f.endsWith('.test.ts')) continue;
    for (const t of importsOf(f)) {
      if (!t.startsWith(SRC) || top(t) === top(f)) continue;
      if (!edges.has(top(f))) edges.set(top(f), new Set());
      edges.get(top(f))!.add(top(t));
    }
  }
  const seen = new Set<string>();
  const stack: string[] = [];
  const visit = (n: string) => {
    if (stack.includes(n)) assert.fail(`import cycle: ${[...stack.slice(stack.indexOf(n)), n].join(' → ')}`);
    if (seen.has(n)) return;
    stack.push(n);
    for (const m of edges.get(n) ?? []) visit(m);
    stack.pop();
    seen.add(n);
  };
  for (const n of edges.keys()) visit(n);
});

test('every top folder has a README saying what lives there', () => {
  for (const name of readdirSync(SRC)) {
    if (!statSync(join(SRC, name)).isDirectory()) continue;
    assert.ok(statSync(join(SRC, name, 'README.md'), { throwIfNoEntry: false }), `src/${name}/README.md is missing`);
  }
});
