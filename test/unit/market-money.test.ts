/** Money arithmetic: prices typed by providers, the fee, the fee's share of refunds, tax numbers. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatFen } from '~/lib/market-codes.ts'
import { checkOffer } from '~/services/market/offers.server.ts'
import { feeOf, feeRefundOf, isUnifiedSocialCreditCode, parseYuan } from '~/services/market/money.ts'

describe('parseYuan', () => {
  it('reads yuan with up to two decimals as integer fen, full-width digits and a ¥ sign too', () => {
    expect(parseYuan('12')).toEqual({ ok: true, fen: 1200 })
    expect(parseYuan('12.5')).toEqual({ ok: true, fen: 1250 })
    expect(parseYuan(' ¥0.01 ')).toEqual({ ok: true, fen: 1 })
    expect(parseYuan('１２．３４')).toEqual({ ok: true, fen: 1234 })
    expect(parseYuan('100000')).toEqual({ ok: true, fen: 10_000_000 })
  })

  it('refuses zero, negatives, more than two decimals, over 100,000 yuan and anything not a number', () => {
    expect(parseYuan('0')).toEqual({ ok: false, problem: 'tooLow' })
    expect(parseYuan('0.00')).toEqual({ ok: false, problem: 'tooLow' })
    expect(parseYuan('-5')).toEqual({ ok: false, problem: 'tooLow' })
    expect(parseYuan('1.005')).toEqual({ ok: false, problem: 'tooManyDecimals' })
    expect(parseYuan('100000.01')).toEqual({ ok: false, problem: 'tooHigh' })
    for (const bad of ['', 'abc', '1e3', '1,000', '12元', 'NaN', '0x10', '١٢'])
      expect(parseYuan(bad), bad).toEqual({ ok: false, problem: 'invalid' })
  })
})

describe('the fee', () => {
  it('is the rate of the amount rounded half up to the fen', () => {
    expect(feeOf(4900, 1000)).toBe(490)
    expect(feeOf(5, 1000)).toBe(1) // 0.5 fen rounds up
    expect(feeOf(4, 1000)).toBe(0)
    expect(feeOf(10_000_000, 3000)).toBe(3_000_000)
  })

  it('comes back in refunds in proportion, and refunds adding up to the whole return exactly the whole fee', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        (amountFen, bps, cuts) => {
          const feeFen = feeOf(amountFen, bps)
          let refundedFen = 0
          let feeBack = 0
          for (const c of [...cuts, 1]) {
            const left = amountFen - refundedFen
            const x = c === 1 ? left : Math.floor(left * c)
            if (x <= 0) continue
            const f = feeRefundOf({ amountFen, feeFen, refundedFen }, x)
            expect(f).toBeGreaterThanOrEqual(0)
            expect(f).toBeLessThanOrEqual(x)
            feeBack += f
            refundedFen += x
          }
          expect(refundedFen).toBe(amountFen)
          expect(feeBack).toBe(feeFen)
        },
      ),
    )
  })
})

describe('isUnifiedSocialCreditCode', () => {
  it('accepts codes whose check character matches (GB 32100-2015), in any case and with spaces', () => {
    expect(isUnifiedSocialCreditCode('91350100M000100Y43')).toBe(true)
    expect(isUnifiedSocialCreditCode('911100001000044477')).toBe(true)
    expect(isUnifiedSocialCreditCode('91350100m000100y43')).toBe(true)
    expect(isUnifiedSocialCreditCode('9135 0100 M000 100Y43')).toBe(true)
  })

  it('refuses a wrong check character, letters it never uses (I O S V Z), and the wrong length', () => {
    expect(isUnifiedSocialCreditCode('91350100M000100Y44')).toBe(false)
    expect(isUnifiedSocialCreditCode('91350100M000100I43')).toBe(false)
    expect(isUnifiedSocialCreditCode('91350100M000100Y4')).toBe(false)
    expect(isUnifiedSocialCreditCode('91350100M000100Y433')).toBe(false)
    expect(isUnifiedSocialCreditCode('')).toBe(false)
  })
})

describe('checkOffer', () => {
  const base = { scope: 'SCHOOL', term: 'ONE_YEAR', price: '980', uses: ['CLASSROOM'] }
  it('takes a school offer with seats or for the whole school', () => {
    expect(checkOffer({ ...base, seats: '20' })).toMatchObject({ seats: 20, priceFen: 98_000 })
    expect(checkOffer({ ...base, seats: '' })).toMatchObject({ seats: null })
  })

  it('names every problem on its field: seats 0 or 100,001, seats on a personal licence, no use, bad scope', () => {
    const fieldsOf = (input: Parameters<typeof checkOffer>[0]) => {
      try {
        checkOffer(input)
        return {}
      } catch (e) {
        return (e as { fields: Record<string, string> }).fields
      }
    }
    expect(fieldsOf({ ...base, seats: '0' })).toEqual({ seats: 'market.error.seats' })
    expect(fieldsOf({ ...base, seats: '100001' })).toEqual({ seats: 'market.error.seats' })
    expect(fieldsOf({ ...base, scope: 'PERSONAL', seats: '5' })).toEqual({ seats: 'market.error.seatsOnlySchool' })
    expect(fieldsOf({ ...base, uses: [] })).toEqual({ uses: 'market.error.uses' })
    expect(fieldsOf({ ...base, uses: ['RESELL'] })).toEqual({ uses: 'market.error.uses' })
    expect(fieldsOf({ ...base, scope: 'WORLD', price: '0', term: 'FOREVER' })).toEqual({
      scope: 'market.error.scope',
      term: 'market.error.term',
      price: 'market.error.priceTooLow',
    })
  })
})

describe('formatFen', () => {
  it('prints yuan with the fen and thousands separators', () => {
    expect(formatFen(123450)).toBe('¥1,234.50')
    expect(formatFen(5)).toBe('¥0.05')
    expect(formatFen(-4900)).toBe('-¥49.00')
  })
})
