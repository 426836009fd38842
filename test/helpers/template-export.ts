/** A small v3 template (two scenes, each with a line of speech and a tagged headline) and what an export of it carried. */
import type { RecordedExport, Simulator } from '../simulator/server.ts'

const scene = (index: number): object => ({
  sceneIdx: index,
  background: { type: 'background', source_type: 'color', source_url: '', source_color: '#000000' },
  clips: [
    {
      id: `h${index}`,
      type: 'textImage',
      tag: 'headline',
      text: 'old',
      fill: '#fff',
      fontSize: 40,
      layer: 2,
      top: 0,
      left: 0,
      width: 1,
      height: 0.1
    },
    { id: `a${index}`, type: 'aiModel', layer: 1, top: 0, left: 0, width: 1, height: 1, model: { ai_name: 'M1', emotion: 'C1' } }
  ],
  scripts: [{ org: 'old', isTTS: false, tts: null, modelId: 'M1', clothId: 'C1' }]
})
/** Placeholders ##PRODUCT## and ##VERSION## in its name; a `headline` tag on a text clip of each scene. */
export const TEMPLATE = JSON.stringify({ name: 'News for ##PRODUCT## ##VERSION##', orientation: 'landscape', scenes: [scene(0), scene(1)] })

/** What a video was exported with: its name, each scene's speech, the headline clips' text. */
export function sent(exported: RecordedExport): { name: unknown; speech: unknown[]; headlines: unknown[] } {
  const scenes = exported.body.scenes as Array<{ scripts: Array<{ org: unknown }>; clips: Array<{ tag?: string; text?: unknown }> }>
  return {
    name: exported.body.name,
    speech: scenes.map((s) => s.scripts[0].org),
    headlines: scenes.flatMap((s) => s.clips.filter((clip) => clip.tag === 'headline').map((clip) => clip.text))
  }
}

/** The simulator's app (see `apps` in its options) whose user key exchanges for a token. */
export const APP = { 'app-id': 'app', 'user-key': 'key-1f2e' }

/** Inputs that export the template (in `t.json`) with app-id and user-key, as a run that exchanges a token does. */
export const appTemplateInputs = (apiUrl: string, more: Record<string, string>): Record<string, string> => ({
  ...APP,
  'api-url': apiUrl,
  template: 't.json',
  variables: 'PRODUCT: X\nVERSION: 1',
  ...more
})

/** Inputs that export the template and stop: v3 takes the tokens it issued, so one minted by the simulator stands for an exchanged one. */
export const exportInputs = (sim: Simulator, more: Record<string, string>): Record<string, string> => ({
  'api-key': sim.mintToken(),
  'api-url': sim.apiUrl,
  wait: 'false',
  'upload-artifact': 'false',
  ...more
})
