/**
 * Finds dependency cycles in a directed graph with a depth-first walk. Each back edge yields one
 * cycle, returned as a chain that ends where it starts (`['a', 'b', 'a']`); a cycle reached
 * from several places is reported once.
 */
export function findCycles(nodes: Iterable<string>, edgesOf: (node: string) => string[]) {
  const cycles: string[][] = [];
  const seen = new Set<string>();
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];

  const visit = (node: string) => {
    state.set(node, 'active');
    stack.push(node);
    for (const next of edgesOf(node)) {
      const nextState = state.get(next);
      if (nextState === 'active') {
        const chain = [...stack.slice(stack.indexOf(next)), next];
        const key = canonicalKey(chain.slice(0, -1));
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push(chain);
        }
      } else if (nextState === undefined) {
        visit(next);
      }
    }
    stack.pop();
    state.set(node, 'done');
  };

  for (const node of nodes) {
    if (!state.has(node)) {
      visit(node);
    }
  }
  return cycles;
}

/** Renders a chain as `'a' -> 'b' -> 'a'`. */
export function formatChain(chain: string[]): string {
  return chain.map(node => `'${node}'`).join(' -> ');
}

/** The same key for every rotation of one cycle. */
function canonicalKey(cycle: string[]): string {
  let best = cycle;
  for (let i = 1; i < cycle.length; i++) {
    const rotated = [...cycle.slice(i), ...cycle.slice(0, i)];
    if (rotated.join('\u0000') < best.join('\u0000')) {
      best = rotated;
    }
  }
  return best.join('\u0000');
}
