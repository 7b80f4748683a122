// One nftables table as data (chains with their rules, verdict-map elements, named sets) and
// the difference between two such states as the text of one `nft -f` transaction, so a change
// rewrites only the chains and elements it touches. The fixed part of a table (hooks, the maps)
// is the owner's; this covers what changes.

export interface NamedSet {
  /** The declaration inside the braces, e.g. `type ipv4_addr ; flags interval ;`. */
  declaration: string;
  /** The elements this program keeps; absent for sets the kernel fills (dynamic sets). */
  elements?: ReadonlySet<string>;
}

export interface TableState {
  /** Chain name → rules. */
  chains: Map<string, string[]>;
  /** Verdict map (declared in the fixed part) → element key → verdict. */
  maps: Map<string, Map<string, string>>;
  /** Named sets created and deleted with the state. */
  sets: Map<string, NamedSet>;
}

/** An empty state whose fixed part declares the maps `mapNames`. */
export function emptyTableState(mapNames: readonly string[]): TableState {
  return { chains: new Map(), maps: new Map(mapNames.map((m) => [m, new Map()])), sets: new Map() };
}

/**
 * The transaction that turns `prev` into `next` in table `ip table`. Order matters inside one
 * transaction: new sets and chains first, then chain contents, then elements, and only then
 * the chains and sets nothing refers to any more.
 */
export function diffScript(table: string, prev: TableState, next: TableState): string {
  const lines: string[] = [];
  const t = `ip ${table}`;
  for (const [name, set] of next.sets) {
    const old = prev.sets.get(name);
    if (!old) {
      lines.push(`add set ${t} ${name} { ${set.declaration} }`);
      if (set.elements?.size) lines.push(`add element ${t} ${name} { ${[...set.elements].join(' , ')} }`);
    } else if (old.elements !== set.elements && set.elements) {
      elementLines(lines, t, name, old.elements ?? new Set(), set.elements);
    }
  }
  for (const name of next.chains.keys()) if (!prev.chains.has(name)) lines.push(`add chain ${t} ${name}`);
  for (const [name, rules] of next.chains) {
    const old = prev.chains.get(name);
    if (old && sameRules(old, rules)) continue;
    if (old) lines.push(`flush chain ${t} ${name}`);
    for (const r of rules) lines.push(`add rule ${t} ${name} ${r}`);
  }
  for (const [map, elements] of next.maps) {
    const before = prev.maps.get(map) ?? new Map<string, string>();
    if (before === elements) continue;
    const gone = [...before.keys()].filter((k) => elements.get(k) !== before.get(k));
    if (gone.length) lines.push(`delete element ${t} ${map} { ${gone.join(' , ')} }`);
    const added = [...elements].filter(([k, v]) => before.get(k) !== v);
    if (added.length) lines.push(`add element ${t} ${map} { ${added.map(([k, v]) => `${k} : ${v}`).join(' , ')} }`);
  }
  // Chains referring to a chain or set about to go were rewritten above, or go too: flush all first.
  const goneChains = [...prev.chains.keys()].filter((n) => !next.chains.has(n));
  for (const name of goneChains) lines.push(`flush chain ${t} ${name}`);
  for (const name of goneChains) lines.push(`delete chain ${t} ${name}`);
  for (const name of prev.sets.keys()) if (!next.sets.has(name)) lines.push(`delete set ${t} ${name}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function elementLines(lines: string[], t: string, name: string, before: ReadonlySet<string>, after: ReadonlySet<string>): void {
  const gone = [...before].filter((e) => !after.has(e));
  if (gone.length) lines.push(`delete element ${t} ${name} { ${gone.join(' , ')} }`);
  const added = [...after].filter((e) => !before.has(e));
  if (added.length) lines.push(`add element ${t} ${name} { ${added.join(' , ')} }`);
}

function sameRules(a: string[], b: string[]): boolean {
  return a === b || a.length === b.length && a.every((r, i) => r === b[i]);
}
