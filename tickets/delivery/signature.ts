/**
 * Webhook signatures: `X-Leadtime-Signature: sha256=<hex>`, the HMAC-SHA256 (RFC 2104) of the
 * exact body bytes with the shared secret, the scheme GitHub and Stripe webhooks use. A receiver
 * recomputes it over the raw body and compares in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-leadtime-signature';

export function sign(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function verify(body: string | Buffer, secret: string, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(sign(body, secret));
  const got = Buffer.from(header);
  return expected.length === got.length && timingSafeEqual(expected, got);
}
