// Wires the optional parts of the API server (OpenAPI, protobuf bodies, patch) to it.
import type { ApiContext } from './rest/context.ts';
import type { Decoder } from './rest/write.ts';
import type { ApiServerOptions, Extension } from './server.ts';

export interface Extensions {
  decoder: Decoder;
  extensions: Extension[];
  patch?: ApiServerOptions['patch'];
}

export function buildExtensions(_ctx: ApiContext): Extensions {
  return { decoder: {}, extensions: [] };
}
