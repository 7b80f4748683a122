// Protobuf on the wire: a small reader/writer, and Kubernetes protobuf bodies
// (application/vnd.kubernetes.protobuf) decoded to and encoded from their JSON form.
export { ProtoWriter, WIRE_VARINT, WIRE_FIXED64, WIRE_LENGTH_DELIMITED, WIRE_FIXED32 } from './wire-writer.ts';
export { ProtoReader, ProtoDecodeError, type Tag } from './wire-reader.ts';
export {
  KUBERNETES_PROTOBUF_MAGIC,
  KUBERNETES_PROTOBUF_CONTENT_TYPE,
  hasKubernetesProtobufMagic,
  unwrapKubernetesEnvelope,
  wrapKubernetesEnvelope,
  type KubernetesEnvelope,
} from './envelope.ts';
export { decodeKubernetesProtobuf, decodeKubernetesMessage, type DecodeOptions } from './kubernetes-decode.ts';
export type { EmbeddedMessage, EmbeddedMessages } from './field-index.ts';
export { encodeKubernetesProtobuf, encodeKubernetesMessage, ProtoEncodeError, type EncodeOptions } from './kubernetes-encode.ts';
export { formatGoDuration, parseGoDuration } from './go-duration.ts';
export { POINTER_FIELDS, isPointerField } from './pointer-fields.ts';
