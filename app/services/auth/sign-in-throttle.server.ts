/**
 * Sign-in throttling (ADR 0015), in two parts:
 *  - per (account, IP): SIGNIN_MAX_FAILURES attempts in SIGNIN_WINDOW_SECONDS; the next one locks
 *    that pair for SIGNIN_WINDOW_SECONDS, right password or not. Only that pair: the owner on
 *    another network is not affected, so guessing a county's reviewers' numbers locks nobody out.
 *    The owner lifts a lock on their own network with a one-time code (unlock-account.server.ts);
 *  - per IP, across accounts (password spraying): after twice SIGNIN_MAX_FAILURES failures in the
 *    window, each further attempt from that IP must wait 1, 2, 4 … seconds (at most 5 minutes)
 *    after the one before. A delay, never a lock: a school behind one address is slowed, not shut out.
 * A point is taken BEFORE the password is checked and given back when it turns out right, so
 * fifty guesses sent at once get no more password checks than the limit.
 */
import { env } from '~/lib/env.server.ts'
import { limiter, take } from './rate-limit.server.ts'

const MAX_IP_DELAY_SECONDS = 300

const pairs = () =>
  limiter('signin-pair', {
    points: env().SIGNIN_MAX_FAILURES,
    duration: env().SIGNIN_WINDOW_SECONDS,
    blockDuration: env().SIGNIN_WINDOW_SECONDS,
  })
/** Failures per IP in the window (a counter: `penalty` and `reward` never refuse). */
const ipFailures = () => limiter('signin-ip', { points: 1_000_000_000, duration: env().SIGNIN_WINDOW_SECONDS })
/** One attempt per delay: the first to arrive after the delay creates the key, the rest are refused. */
const ipGate = () => limiter('signin-ip-gate', { points: 1, duration: 1 })

export const ipFreeFailures = () => 2 * env().SIGNIN_MAX_FAILURES

/** The wait after the `over`-th failure beyond the free ones: 1, 2, 4 … seconds, capped. */
export function ipDelaySeconds(over: number) {
  return Math.min(2 ** Math.max(0, over - 1), MAX_IP_DELAY_SECONDS, env().SIGNIN_WINDOW_SECONDS)
}

/** The throttles' name for an account: its id when it exists (its phone and e-mail share one
 * count), else the identifier as typed, so unknown accounts are throttled exactly like known ones. */
export const throttleAccount = (user: { id: string } | null, typed: string) => (user ? `user:${user.id}` : typed)

const pairKey = (account: string, ip: string) => `${account}@${ip}`

export type Refusal = { scope: 'pair' | 'ip'; retryAfterSeconds: number }
export type Attempt = { succeeded(): Promise<void>; failed(): Promise<void> }

/** Counts one attempt before its password is checked; a Refusal when it may not be checked. */
export async function beginSignInAttempt(account: string, ip: string): Promise<Attempt | Refusal> {
  const key = pairKey(account, ip)
  const pair = await take(pairs(), key)
  if (!pair.ok) return { scope: 'pair', retryAfterSeconds: pair.retryAfterSeconds }

  const failures = (await (await ipFailures()).penalty(ip, 1)).consumedPoints
  const over = failures - ipFreeFailures()
  if (over > 0) {
    const gate = await take(ipGate(), ip, { customDuration: ipDelaySeconds(over) })
    if (!gate.ok) {
      // Never checked, so neither a failure of the IP nor of the pair.
      await Promise.all([(await ipFailures()).reward(ip, 1), (await pairs()).reward(key, 1)])
      return { scope: 'ip', retryAfterSeconds: gate.retryAfterSeconds }
    }
  }
  return {
    // A wrong password keeps both points.
    failed: async () => {},
    // The right one clears the pair and was no failure of the IP.
    succeeded: async () => {
      await Promise.all([(await pairs()).delete(key), (await ipFailures()).reward(ip, 1)])
    },
  }
}

/** Lifts the lock (and the count) of one account from one IP: the owner proved it with a code. */
export async function clearSignInPair(account: string, ip: string) {
  await (await pairs()).delete(pairKey(account, ip))
}
