// GET /api/demo: 200 {enabled: true, platforms} in demo mode, 404 otherwise; the web app asks it whether to show
// the demo panel.
// POST /api/demo/messages: in demo mode, anyone signed in may post as a simulated customer through the local
// platform fakes, privately or in public, and watch the guard act on their own text. Without demo mode the
// route does not exist (404): nothing simulated can be injected into a real inbox.
import { Router } from 'express';
import { DemoMessageRequestSchema, type DemoMessageResult, type DemoStatus } from '../api/contract.ts';
import { HttpError, notFound, parse } from '../api/errors.ts';
import { DemoUnavailable, type Demo } from './index.ts';

export function demoRouter(demo: Demo | undefined): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    if (!demo) throw notFound('Demo mode is off.');
    const status: DemoStatus = { enabled: true, platforms: [...demo.platforms] };
    res.json(status);
  });
  router.post('/messages', (req, res) => {
    if (!demo) throw notFound('Demo mode is off: there is no simulated customer to post as.');
    const input = parse(DemoMessageRequestSchema, req.body);
    try {
      demo.post(input);
    } catch (err) {
      if (err instanceof DemoUnavailable) throw new HttpError(400, 'invalid_request', `platform: ${err.message}`, { platform: err.message });
      throw err;
    }
    const result: DemoMessageResult = { platform: input.platform, visibility: input.visibility, name: input.name ?? null };
    res.status(202).json(result);
  });
  return router;
}
