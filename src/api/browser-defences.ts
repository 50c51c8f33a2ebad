// What keeps a browser from being turned against the inbox: security headers (through `helmet`, which keeps up
// with how browsers read them), no caching of API answers, and a refusal of cross-site state changes made with
// the session cookie.
import type { Request, RequestHandler } from 'express';
import helmet from 'helmet';
import { readCookie, SESSION_COOKIE } from './auth.ts';
import { HttpError } from './errors.ts';

/**
 * Content-Security-Policy `default-src 'self'`: scripts, styles, images and connections only from this origin,
 * no inline script or style attribute, no plugins, and no page may frame the app (`frame-ancestors 'none'`,
 * plus X-Frame-Options: DENY for old browsers). Also nosniff, `Referrer-Policy: same-origin` (conversation ids
 * in URLs stay here), and HSTS, which browsers heed only over HTTPS.
 */
export const securityHeaders: RequestHandler = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
  },
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'same-origin' },
});

/** API answers carry people's data and session state: never kept by a browser or a shared cache. */
export const noStore: RequestHandler = (_req, res, next) => {
  res.setHeader('cache-control', 'no-store');
  next();
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

/**
 * Refuses a state change (POST, PUT, PATCH, DELETE) that a browser made from another site with the session
 * cookie (cross-site request forgery, including signing someone in to an attacker's account). The browser says
 * where a request came from in `Sec-Fetch-Site` (modern browsers) or `Origin`; either must name this origin
 * (as the request reached us, proxy-aware, or `publicUrl`). Requests with a Bearer token are not cookie-driven
 * and pass. A request with the session cookie that sends neither header is refused too (every browser sends
 * one with a state change, so it is no page of ours): scripts use an API token. Without a session cookie (a
 * script signing in with a password) neither header is needed.
 */
export function sameOriginStateChanges(publicUrl: string): RequestHandler {
  const publicOrigin = originOf(publicUrl);
  return (req: Request, _res, next) => {
    if (SAFE_METHODS.has(req.method) || /^Bearer\s/i.test(req.headers.authorization ?? '')) return next();
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      return next(new HttpError(403, 'cross_site_request', 'This request came from another site; it was refused.'));
    }
    const origin = req.headers.origin;
    if (site === undefined && origin === undefined && readCookie(req, SESSION_COOKIE) !== undefined) {
      return next(
        new HttpError(403, 'cross_site_request', "A change made with the session cookie must come from the inbox's own pages (the browser names them in Origin or Sec-Fetch-Site); scripts use an API token (Authorization: Bearer)."),
      );
    }
    if (origin !== undefined) {
      const own = `${req.protocol}://${req.get('host') ?? ''}`;
      if (origin !== own && origin !== publicOrigin) {
        return next(new HttpError(403, 'cross_site_request', `Requests from ${origin} are refused; use the inbox at its own address.`));
      }
    }
    next();
  };
}
