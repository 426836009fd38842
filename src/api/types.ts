/** The two generations of the export API (see the API contract's "Hosts and generations"). */
export type Generation = 'v3' | 'legacy'

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

export const isJsonObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** What one export would send: the body and, for an edit of a saved project, its ID. */
export interface ExportRequest {
  generation: Generation
  body: JsonObject
}

export interface Progress {
  /** 0–100, a float. */
  progress: number
  /** Present once the video can be fetched; may lag behind progress reaching 100. */
  downloadUrl?: string
  state?: string
}

export type Credentials = { apiKey: string } | { appId: string; userKey: string }
