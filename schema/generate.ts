/** Writes schema/manifest.schema.json from the schema the action validates manifests with (`npm run schema`). */
import * as fs from 'node:fs'
import { manifestJsonSchema } from '../src/job/manifest-schema.ts'

fs.writeFileSync(new URL('manifest.schema.json', import.meta.url), `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`)
