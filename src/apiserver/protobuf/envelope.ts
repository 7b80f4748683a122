// The envelope of application/vnd.kubernetes.protobuf bodies: the 4-byte magic "k8s\0"
// followed by a runtime.Unknown {1: typeMeta {1: apiVersion, 2: kind}, 2: raw,
// 3: contentEncoding, 4: contentType}, where raw is the object's own message.
import { ProtoDecodeError, ProtoReader } from './wire-reader.ts';
import { ProtoWriter, WIRE_LENGTH_DELIMITED } from './wire-writer.ts';

export const KUBERNETES_PROTOBUF_MAGIC = Uint8Array.of(0x6b, 0x38, 0x73, 0x00);
export const KUBERNETES_PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';

export interface KubernetesEnvelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

export function hasKubernetesProtobufMagic(body: Uint8Array): boolean {
  return body.length >= 4 && KUBERNETES_PROTOBUF_MAGIC.every((b, i) => body[i] === b);
}

export function unwrapKubernetesEnvelope(body: Uint8Array): KubernetesEnvelope {
  if (!hasKubernetesProtobufMagic(body)) throw new ProtoDecodeError('provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]');
  const out: KubernetesEnvelope = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '', contentType: '' };
  const r = new ProtoReader(body, 4);
  while (!r.eof()) {
    const { field, wireType } = r.tag();
    if (wireType !== WIRE_LENGTH_DELIMITED) {
      r.skip(wireType);
      continue;
    }
    switch (field) {
      case 1: {
        const meta = r.bytesView();
        const m = new ProtoReader(meta);
        while (!m.eof()) {
          const t = m.tag();
          if (t.wireType === WIRE_LENGTH_DELIMITED && t.field === 1) out.apiVersion = m.string();
          else if (t.wireType === WIRE_LENGTH_DELIMITED && t.field === 2) out.kind = m.string();
          else m.skip(t.wireType);
        }
        break;
      }
      case 2:
        out.raw = r.bytesView();
        break;
      case 3:
        out.contentEncoding = r.string();
        break;
      case 4:
        out.contentType = r.string();
        break;
      default:
        r.skip(wireType);
    }
  }
  return out;
}

/** The magic plus a runtime.Unknown, written field for field as client-go writes it. */
export function wrapKubernetesEnvelope(apiVersion: string, kind: string, raw: Uint8Array): Uint8Array {
  const typeMeta = new ProtoWriter().stringField(1, apiVersion).stringField(2, kind);
  const w = new ProtoWriter()
    .raw(KUBERNETES_PROTOBUF_MAGIC)
    .messageField(1, typeMeta)
    .bytesField(2, raw)
    .stringField(3, '')
    .stringField(4, '');
  return w.finish();
}
