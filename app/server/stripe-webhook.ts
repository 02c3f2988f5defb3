/**
 * POST /webhooks/stripe — Stripe's deliveries. The signature is verified on the raw bytes (a
 * parsed-and-reserialised body would not verify), against STRIPE_WEBHOOK_SECRET, with a
 * five-minute tolerance against replays of old deliveries. A refused delivery gets 400 and
 * changes nothing; an event we do not handle gets 200 so Stripe stops sending it; a failure on
 * our side gets 500 so Stripe delivers again (the event is applied once whatever happens:
 * app/services/market/webhooks.server.ts).
 */
import express, { type Request, type Response } from 'express'
import { logger } from '../lib/logger.server.ts'
import { verifyWebhook } from '../lib/stripe.server.ts'
import { applyStripeEvent } from '../services/market/webhooks.server.ts'
import { sendText } from './plain-text.ts'

export const WEBHOOK_PATH = '/webhooks/stripe'

/** Stripe's events are a few kilobytes; anything near this is not one. */
const rawBody = express.raw({ type: () => true, limit: '256kb' })

async function handle(req: Request, res: Response) {
  const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
  const event = verifyWebhook(body, req.get('stripe-signature'))
  if (!event) return sendText(req, res, 400, 'market.webhook.badSignature')
  try {
    const outcome = await applyStripeEvent(event)
    res.status(200).json({ received: true, outcome })
  } catch (err) {
    logger.error({ err, eventId: event.id, type: event.type }, 'stripe event not applied; Stripe will deliver it again')
    res.status(500).json({ received: false })
  }
}

export function stripeWebhook(app: express.Express) {
  app.post(WEBHOOK_PATH, (req, res, next) =>
    rawBody(req, res, (err?: unknown) => {
      if (err) {
        const status = (err as { status?: number }).status ?? 400
        return sendText(req, res, status === 413 ? 413 : 400, 'market.webhook.badBody')
      }
      handle(req, res).catch(next)
    }),
  )
}
