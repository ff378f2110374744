import express from 'express';

let requestCount = 0;
const seenUsers = new Map<string, number>();
const recentPaths: string[] = [];
const settings = { verbose: false };

// Read-only tables, a local container and set-up at load time are fine.
const LIMITS = { maxItems: 100 };
const knownNames = new Set(['alpha', 'beta']);
knownNames.add('gamma');
const cache = new Map<string, string>();

export function clearCache(cache: Map<string, string>): void {
  cache.clear();
}

export function createRouter(): express.Router {
  const router = express.Router();
  const local = new Map<string, string>();
  local.set('created', new Date().toISOString());

  router.get('/items', (req, res) => {
    requestCount += 1;
    seenUsers.set(String(req.query.user), Date.now());
    recentPaths.push(req.path);
    res.json({ requestCount, limit: LIMITS.maxItems, names: [...knownNames], cached: cache.size });
  });

  router.post('/verbose', (_req, res) => {
    settings.verbose = true;
    res.json(settings);
  });

  return router;
}
