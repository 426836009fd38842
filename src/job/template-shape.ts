import { isJsonObject, type Generation, type Json, type Template, type VideoSpec } from '../domain.js'

/** Which API generation a template's shape belongs to (see the API contract's two scene shapes). */
export function detectGeneration(scenes: Json[]): Generation | 'mixed' | undefined {
  let legacy = false
  let v3 = false
  for (const scene of scenes) {
    if (!isJsonObject(scene)) continue
    if ('AIModel' in scene) legacy = true
    if ('scripts' in scene || 'background' in scene) v3 = true
    for (const clip of Array.isArray(scene.clips) ? scene.clips : []) {
      if (!isJsonObject(clip)) continue
      if (isJsonObject(clip.detail)) legacy = true
      else if (typeof clip.type === 'string') v3 = true
    }
  }
  return legacy && v3 ? 'mixed' : legacy ? 'legacy' : v3 ? 'v3' : undefined
}

/** The generation of a template's shape, when it has one (a resumed export of it is polled there). */
export function templateGeneration(template: Template): Generation | undefined {
  const root = template.data
  const detected = isJsonObject(root) && Array.isArray(root.scenes) ? detectGeneration(root.scenes) : undefined
  return detected === 'mixed' ? undefined : detected
}

/** The generation a video's requests go to, when its inputs tell: forced, or its template's shape; a saved project is v3 unless told. */
export function videoGeneration(spec: VideoSpec): Generation | undefined {
  const source = spec.source
  if (source.kind === 'project') return source.generation ?? 'v3'
  return source.generation ?? (source.template && templateGeneration(source.template))
}
