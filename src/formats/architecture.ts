/**
 * What a container format holds about a model's architecture, before it is read into the IR: the Keras
 * model config (a `{"class_name", "config"}` object as `model.to_json()` writes it) and the versions the
 * file records. Each container's `read-architecture.ts` returns one; `openModel` reads it with the Keras
 * JSON reader, so that no format imports another.
 */
export interface Architecture {
  modelConfig: unknown;
  kerasVersion?: string;
  backend?: string;
}
