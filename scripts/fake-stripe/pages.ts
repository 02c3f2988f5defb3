/** The fake's two pages: a test payment page (Checkout) and a Connect onboarding page. Both say
 * plainly that they are test pages and that no money moves. */
import type { FakeAccount, FakeSession } from './fixtures.ts'

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`

const shell = (title: string, body: string) => `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title>
<style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1f2937}
.warn{background:#fef3c7;border:1px solid #f59e0b;padding:.75rem 1rem;border-radius:.5rem}
.total{font-size:1.75rem;font-weight:700;margin:.5rem 0}button{display:block;width:100%;margin:.5rem 0;padding:.8rem;
font-size:1rem;border-radius:.5rem;border:1px solid #d1d5db;background:#fff;cursor:pointer}
button.primary{background:#635bff;color:#fff;border-color:#635bff}.err{color:#b91c1c}</style></head><body>${body}</body></html>`

const METHOD_LABEL: Record<string, string> = { card: '银行卡（测试卡 4242）', alipay: '支付宝', wechat_pay: '微信支付' }

export const payPage = {
  render(s: FakeSession, problem?: string) {
    const items = s.line_items_snapshot
      .map((it) => {
        const pd = (it.price_data ?? {}) as { product_data?: { name?: string } }
        return `<li>${esc(String(pd.product_data?.name ?? ''))}</li>`
      })
      .join('')
    const open = s.status === 'open'
    const buttons = s.payment_method_types
      .map(
        (m, i) =>
          `<button name="method" value="${esc(m)}" class="${i === 0 ? 'primary' : ''}">用${esc(METHOD_LABEL[m] ?? m)}支付</button>`,
      )
      .join('')
    return shell(
      '测试支付页面',
      `<p class="warn" role="note"><strong>这是测试支付页面，不会产生真实扣款。</strong>
This is a local test payment page standing in for Stripe Checkout; no money moves.</p>
<h1>确认支付</h1><ul>${items}</ul><p class="total" data-testid="total">${yuan(s.amount_total)}</p>
${problem ? `<p class="err" role="alert">${esc(problem)}</p>` : ''}
${open ? `<form method="post">${buttons}<button name="outcome" value="cancel" formnovalidate>取消，返回平台</button></form>` : `<p>此支付已${s.status === 'expired' ? '过期' : '完成'}。</p>`}`,
    )
  },
  missing: () => shell('测试支付页面', '<p class="warn">找不到这笔测试支付。</p>'),
}

export const onboardPage = {
  render(a: FakeAccount, search: string) {
    return shell(
      '收款账户开通（测试）',
      `<p class="warn" role="note"><strong>这是测试页面</strong>，代替 Stripe Connect 的开通流程，不会提交任何真实资料。</p>
<h1>开通收款账户</h1><p>账户 ${esc(a.id)}</p><form method="post" action="${esc(`/connect/onboard/${a.id}${search}`)}">
<button class="primary">提交资料并完成开通</button></form>`,
    )
  },
  missing: () => shell('收款账户开通（测试）', '<p class="warn">找不到这个账户。</p>'),
}
