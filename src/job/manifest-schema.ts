/**
 * The one definition of a manifest: the action validates each entry with this schema, and
 * schema/manifest.schema.json (what an editor reads) is generated from it (`npm run schema`; a test
 * fails when the committed file differs). What an entry's values mean is then read by the same code as
 * the step's inputs (video-spec.ts).
 */
import { z } from 'zod'

/** Where the generated schema is published: the YAML language server reads it from this URL. */
export const MANIFEST_SCHEMA_ID = 'https://raw.githubusercontent.com/your-org/aistudios-video-action/v1/schema/manifest.schema.json'

const RELATIVE = 'Relative to the workspace (the repository checked out), not to the manifest; it must lie inside it.'

/** `word` in any case, as a JSON Schema pattern can say it (it has no flags): `con` → `[cC][oO][nN]`. */
const anyCase = (word: string): string => word.replace(/[a-z]/g, (c) => `[${c}${c.toUpperCase()}]`)
/**
 * Not a name Windows reserves (schemas.ts windowsUnsafe): a device name, with spaces or an extension
 * after it. What the action refuses, the schema refuses too, so an editor flags it.
 */
const NOT_DEVICE = `(?!(?:${['con', 'prn', 'aux', 'nul', 'com[0-9¹²³]', 'lpt[0-9¹²³]', 'conin\\$', 'conout\\$'].map(anyCase).join('|')}) *(?:\\.|$))`
/**
 * A video's name: letters, digits, '.', '-' and '_', not a Windows device name, and not ending with a
 * dot, which Windows drops (so not only dots either).
 */
export const VIDEO_NAME = new RegExp(`^${NOT_DEVICE}[\\w.-]{0,79}[\\w-]$`)
/** A plain file name (as `output-name` takes it): no folder, no reserved character, not a device name, no trailing dot or space. */
const FILE_NAME = new RegExp(`^${NOT_DEVICE}[^/\\\\<>:"|?*\\u0000-\\u001f]{0,119}[^/\\\\<>:"|?*\\u0000-\\u001f. ]$`)

/** A scalar, taken as the text written (`2.0` stays `2.0`). */
const text = z.union([z.string(), z.number(), z.boolean()])
/** A file or folder of the repository. */
const repoPath = (what: string): z.ZodString => z.string().min(1).describe(`${what} ${RELATIVE}`)
/** A mapping written inline, or as the YAML text an input would hold. */
const mapping = (what: string) => z.union([z.string(), z.record(z.string(), text)]).describe(what)

const speech = z
  .union([
    z.string().describe("One 'INDEX: text' a line, as the 'scripts' input takes it."),
    z.record(z.string().regex(/^\d+(\.\d+)?$/), text).describe('INDEX to speech.'),
    z.array(text).describe("A list: entry N is scene N's speech.")
  ])
  .describe("Speech by line: N is scene N's first line, N.M line M of scene N (both from 0).")

/** One video of a manifest: its own name and file, and the inputs of a single video. */
export const manifestEntry = z
  .strictObject({
    name: z
      .string()
      .regex(
        VIDEO_NAME,
        "is not a name of letters, digits, '.', '-' and '_' (at most 80, not ending with a dot, not a Windows device name such as CON)"
      )
      .describe("Unique in the manifest (case aside); names the video in logs and outputs, and its file (NAME.mp4) unless 'output' says otherwise."),
    output: z
      .string()
      .regex(
        FILE_NAME,
        'is not a plain file name (no folders, no reserved characters, at most 120 characters, no trailing dot or space, not a Windows device name)'
      )
      .describe("The video's file name in output-dir ('.mp4' is added when it has no extension).")
      .optional(),
    title: text.describe("The exported project's name in AI Studios (v3 only).").optional(),
    'project-id': z
      .string()
      .regex(/^[\w-]+$/, 'is not a project ID')
      .describe('ID of a saved AI Studios project to export again (the last part of its editor URL).')
      .optional(),
    template: repoPath('A JSON scene template (v3 or legacy shape).').optional(),
    'api-generation': z.enum(['auto', 'v3', 'legacy']).describe("auto (from the template's shape), v3 or legacy.").optional(),
    variables: mapping('Placeholder values: NAME (or ##NAME##) to text.').optional(),
    'variables-file': repoPath('A JSON or YAML file of placeholder values.').optional(),
    scripts: speech.optional(),
    'scripts-file': repoPath('A JSON or YAML file mapping N or N.M to speech.').optional(),
    'scripts-dir': repoPath('A folder of text files named by N or N.M (0.txt, 1.1-answer.txt).').optional(),
    script: text.describe("New speech for scene 0's first line.").optional(),
    'script-file': repoPath("A text file holding scene 0's speech.").optional(),
    tags: mapping(
      'Values for clips tagged in the AI Studios editor: a text clip gets the text, an image its source_url, a video clip its video_url.'
    ).optional(),
    resolution: z
      .union([z.string().regex(/^(4[kK]|1080|720|480)[pP]?$/, 'is not 4k, 1080, 720 or 480'), z.literal([1080, 720, 480])])
      .describe('4k, 1080, 720 or 480 (a trailing p is allowed).')
      .optional(),
    'workspace-id': z.string().min(1).describe('AI Studios workspace to export into.').optional(),
    'webhook-url': z
      .string()
      .regex(/^https:\/\//, 'is not an https URL')
      .describe('https URL AI Studios calls when the render is done.')
      .optional()
  })
  // One of the two sources: the action refuses neither or both as the step's inputs (video-spec.ts); editors see it here.
  .meta({ id: 'video', oneOf: [{ required: ['project-id'] }, { required: ['template'] }] })

const videos = z.array(manifestEntry).min(1).describe('The videos, in the order they start.')

/** A whole manifest: a list of videos, or `videos:` holding one. */
export const manifestDocument = z.union([videos, z.strictObject({ videos })]).meta({
  title: 'AI Studios video manifest',
  description:
    "The videos one step of the AI Studios Video action renders (its 'manifest' input): a list of videos, or 'videos:' holding one. " +
    `Every path in it is ${RELATIVE.charAt(0).toLowerCase()}${RELATIVE.slice(1)}`
})

/** schema/manifest.schema.json, as it must read. */
export function manifestJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(manifestDocument, { target: 'draft-2020-12' })
  const { $schema, ...rest } = generated
  return { $schema, $id: MANIFEST_SCHEMA_ID, ...rest }
}
