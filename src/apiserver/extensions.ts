// Wires the optional parts of the API server (OpenAPI, protobuf bodies, patch) to it.
import type { ApiContext } from './rest/context.ts';
import type { Decoder } from './rest/write.ts';
import type { Extension } from './server.ts';
import { decodeKubernetesProtobuf } from './protobuf/index.ts';
import { schemaPackage } from '../api/registry/define.ts';
import { coreV1ProtoEmbeds } from '../api/schema/core-v1/index.ts';
import { OpenApiHandler } from './openapi-handler.ts';
import { MetricsApi } from './metrics/index.ts';
import { PodStreaming, type KubeletClientConfig } from './streaming/index.ts';

export interface Extensions {
  decoder: Decoder;
  extensions: Extension[];
}

export interface ExtensionOptions {
  /** The API server's client identity towards kubelets; without it pods/log, exec, attach and portforward are not served. */
  kubeletClient?: KubeletClientConfig;
}

export function buildExtensions(ctx: ApiContext, opts: ExtensionOptions = {}): Extensions {
  const typeNameFor = (apiVersion: string, kind: string) => {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    return ctx.registry.lookupKind(group, version, kind)?.schema ?? `${schemaPackage(group, version)}.${kind}`;
  };
  const decoder: Decoder = { protobuf: (body) => decodeKubernetesProtobuf(body, ctx.defs, typeNameFor, { embeds: coreV1ProtoEmbeds }) as Record<string, any> };
  const metrics = new MetricsApi(ctx);
  metrics.register();
  const streaming = opts.kubeletClient ? [new PodStreaming(ctx, { kubeletClient: opts.kubeletClient })] : [];
  return { decoder, extensions: [new OpenApiHandler(ctx), metrics, ...streaming] };
}
