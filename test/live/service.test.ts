/**
 * `npm run test:live`: the free checks against the real AI Studios service (AISTUDIOS_APP_ID,
 * AISTUDIOS_USER_KEY; AISTUDIOS_PROJECT_ID and AISTUDIOS_API_URL optional), and with SPEND=1 one paid
 * 480p export, cleaned up. Skipped without credentials, as in the normal test suite.
 */
import { describe, it } from 'node:test'
import { liveTarget, registerFreeChecks, registerSpendCheck } from './checks.ts'

const target = liveTarget(process.env)

describe('the real AI Studios service', () => {
  if (!target) {
    it('is checked only with credentials', { skip: 'AISTUDIOS_APP_ID and AISTUDIOS_USER_KEY are not set' }, () => {})
    return
  }
  registerFreeChecks(() => target)
  if (process.env.SPEND === '1') registerSpendCheck(() => target)
})
