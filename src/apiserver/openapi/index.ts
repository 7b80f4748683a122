// OpenAPI documents built from the schema model and the resource descriptions:
// /openapi/v2 (Swagger 2.0, also as gnostic protobuf) and /openapi/v3 (one document per group/version).
export { buildOpenApiV2, DEFAULT_INFO, type OpenApiInfo } from './openapi-v2.ts';
export { buildOpenApiV3, openApiHash, type OpenApiV3, type SerializedDocument } from './openapi-v3.ts';
export { encodeOpenApiV2Protobuf, OPENAPI_V2_PROTOBUF_CONTENT_TYPE } from './gnostic-v2.ts';
export { customTypeName, resourceTypeName, resourceListTypeName, groupVersionPath } from './type-names.ts';
