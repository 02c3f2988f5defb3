/**
 * POST /p/:slug/api/market — the marketplace's writes that pages make without leaving them:
 * start a checkout (answers the Stripe Checkout address to go to), set or retire a price.
 * Everything is decided in app/services/market/; this only reads the form.
 */
import type { ActionFunctionArgs } from '@remix-run/node'
import { formString, readForm } from '~/lib/csrf.server.ts'
import { errorJson, throwAsResponse } from '~/lib/http.server.ts'
import { translator } from '~/lib/i18n/index.ts'
import { getLocale } from '~/lib/locale.server.ts'
import { platformLinks, requirePlatform } from '~/lib/platform.server.ts'
import { getActor } from '~/lib/session.server.ts'
import { startCheckout } from '~/services/market/checkout.server.ts'
import { retireOffer, setOffer } from '~/services/market/offers.server.ts'
import { onboardingLink } from '~/services/market/providers.server.ts'
import { askSchoolPurchase } from '~/services/market/school-licences.server.ts'

export async function action({ request, params, context }: ActionFunctionArgs) {
  const portal = await requirePlatform(context, params.slug)
  const form = await readForm(request, context).catch(throwAsResponse)
  const actor = await getActor(request, context)
  try {
    switch (form.get('intent')) {
      case 'buy': {
        // Back to this portal at the address the visitor is on (its own host name, if it has one).
        const portalUrl = new URL(request.url).origin + platformLinks(context, portal).base
        const { url, orderId } = await startCheckout(
          actor,
          {
            offerId: formString(form, 'offerId', 40),
            licenseePlatformId: formString(form, 'licensee', 40) || undefined,
          },
          portal,
          portalUrl,
        )
        return Response.json({ ok: true, url, orderId })
      }
      case 'setOffer':
        await setOffer(actor, formString(form, 'resourceId', 40), {
          scope: formString(form, 'scope', 20),
          term: formString(form, 'term', 20),
          seats: formString(form, 'seats', 10),
          price: formString(form, 'price', 20),
          uses: form
            .getAll('uses')
            .filter((v): v is string => typeof v === 'string')
            .slice(0, 10),
        })
        return Response.json({ ok: true })
      case 'askSchool': {
        const resourceId = formString(form, 'resourceId', 40)
        await askSchoolPurchase(actor, resourceId, platformLinks(context, portal).href(`/r/${resourceId}`))
        return Response.json({ ok: true })
      }
      case 'onboard': {
        const portalUrl = new URL(request.url).origin + platformLinks(context, portal).base
        return Response.json({ ok: true, url: await onboardingLink(actor, portal, portalUrl) })
      }
      case 'retireOffer':
        await retireOffer(actor, formString(form, 'offerId', 40))
        return Response.json({ ok: true })
      default:
        return Response.json({ ok: false, error: translator(getLocale(request))('form.invalid') }, { status: 400 })
    }
  } catch (e) {
    return errorJson(e, getLocale(request))
  }
}
