// apiextensions.k8s.io/v1: CustomResourceDefinition and its JSON Schema.
// Field names, protobuf numbers, patch and list markers follow k8s.io/apiextensions-apiserver 1.33 (generated.proto, types.go).
import type { GroupVersionKind, TypeDefs } from '../model.ts';
import { arrayOf, field, listType, mapOf, mergeList, objectHeader, ref } from '../model.ts';

const APIEXT = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
const gvk = (kind: string): GroupVersionKind => ({ group: 'apiextensions.k8s.io', version: 'v1', kind });

export const apiextensionsV1Types: TypeDefs = {
  [`${APIEXT}.CustomResourceDefinitionSpec`]: {
    description: 'The desired shape of a custom resource.',
    fields: {
      group: field('string', 1, 'The API group of the resources, served under /apis/<group>/...; must match the part of the name after the first dot.', { required: true }),
      names: field(ref(`${APIEXT}.CustomResourceDefinitionNames`), 3, 'The resource and kind names of the custom resource.', { required: true }),
      scope: field('string', 4, 'Whether the resources are Cluster or Namespaced.', { required: true }),
      versions: field(arrayOf(ref(`${APIEXT}.CustomResourceDefinitionVersion`)), 7, 'The API versions served; exactly one is the storage version. Versions sort by their stability and number for discovery.', { required: true, listType: 'atomic' }),
      conversion: field(ref(`${APIEXT}.CustomResourceConversion`), 9, 'How objects are converted between versions.'),
      preserveUnknownFields: field('boolean', 10, 'Deprecated; must be false in v1. Use x-kubernetes-preserve-unknown-fields in the schema instead.'),
    },
  },
  [`${APIEXT}.CustomResourceConversion`]: {
    description: 'How a custom resource is converted between versions.',
    fields: {
      strategy: field('string', 1, 'None (only apiVersion changes, other fields are kept) or Webhook (an external webhook converts).', { required: true }),
      webhook: field(ref(`${APIEXT}.WebhookConversion`), 2, 'The webhook to call; required when strategy is Webhook.'),
    },
  },
  [`${APIEXT}.WebhookConversion`]: {
    description: 'A conversion webhook.',
    fields: {
      clientConfig: field(ref(`${APIEXT}.WebhookClientConfig`), 2, 'How to reach the webhook; required when strategy is Webhook.'),
      conversionReviewVersions: field(arrayOf('string'), 3, 'The ConversionReview versions the webhook accepts, in order of preference; the first one the server knows is used.', { required: true, listType: 'atomic' }),
    },
  },
  [`${APIEXT}.WebhookClientConfig`]: {
    description: 'How to reach a webhook: a URL or a cluster Service (exactly one).',
    fields: {
      url: field('string', 3, "The webhook's location as https://host[:port]/path; no user info, fragment or query."),
      service: field(ref(`${APIEXT}.ServiceReference`), 1, 'A Service in the cluster that serves the webhook.'),
      caBundle: field('bytes', 2, "PEM certificates to verify the webhook's serving certificate; the system trust roots when unset."),
    },
  },
  [`${APIEXT}.ServiceReference`]: {
    description: 'A Service that serves a webhook.',
    fields: {
      namespace: field('string', 1, "The Service's namespace.", { required: true }),
      name: field('string', 2, "The Service's name.", { required: true }),
      path: field('string', 3, 'A URL path sent with each request.'),
      port: field('int32', 4, 'The Service port to call; defaults to 443.'),
    },
  },
  [`${APIEXT}.CustomResourceDefinitionVersion`]: {
    description: 'One API version of a custom resource.',
    fields: {
      name: field('string', 1, 'The version name, such as "v1" or "v1beta1", served under /apis/<group>/<version>/...', { required: true }),
      served: field('boolean', 2, 'Whether the version is served by the REST API.', { required: true }),
      storage: field('boolean', 3, 'Whether objects are stored in this version; exactly one version must be.', { required: true }),
      deprecated: field('boolean', 7, 'Whether the version is deprecated; requests to it then get a warning header.'),
      deprecationWarning: field('string', 8, 'A custom warning to return for requests to this version.'),
      schema: field(ref(`${APIEXT}.CustomResourceValidation`), 4, 'The schema objects of this version are validated and pruned with.'),
      subresources: field(ref(`${APIEXT}.CustomResourceSubresources`), 5, 'The status and scale subresources of this version.'),
      additionalPrinterColumns: field(arrayOf(ref(`${APIEXT}.CustomResourceColumnDefinition`)), 6, 'Extra columns shown by table output (kubectl get); name and age are shown when none are given.', { listType: 'atomic' }),
      selectableFields: field(arrayOf(ref(`${APIEXT}.SelectableField`)), 9, 'Fields that may be used as field selectors; at most 8, each a string, integer or boolean field.', { listType: 'atomic' }),
    },
  },
  [`${APIEXT}.SelectableField`]: {
    description: 'A field of a custom resource usable as a field selector.',
    fields: {
      jsonPath: field('string', 1, 'A simple JSON path, such as ".spec.color", to a string, integer or boolean field.', { required: true }),
    },
  },
  [`${APIEXT}.CustomResourceColumnDefinition`]: {
    description: 'A column of table output for a custom resource.',
    fields: {
      name: field('string', 1, "The column's heading.", { required: true }),
      type: field('string', 2, 'The OpenAPI type of the column, such as integer, number, string, boolean or date.', { required: true }),
      format: field('string', 3, 'An optional OpenAPI format of the column.'),
      description: field('string', 4, 'A human-readable explanation of the column.'),
      priority: field('int32', 5, "The column's importance; 0 is shown in standard view, higher only in wide view."),
      jsonPath: field('string', 6, 'A simple JSON path evaluated on each object to fill the column.', { required: true }),
    },
  },
  [`${APIEXT}.CustomResourceDefinitionNames`]: {
    description: 'The names of a custom resource.',
    fields: {
      plural: field('string', 1, 'The lowercase plural name used in URLs, /apis/<group>/<version>/<plural>; must match the part of the CRD name before the first dot.', { required: true }),
      singular: field('string', 2, 'The lowercase singular name; defaults to the lowercased kind.'),
      shortNames: field(arrayOf('string'), 3, 'Short lowercase aliases, such as for kubectl get.', { listType: 'atomic' }),
      kind: field('string', 4, 'The CamelCase singular kind used in manifests.', { required: true }),
      listKind: field('string', 5, 'The kind of lists of the resource; defaults to "<kind>List".'),
      categories: field(arrayOf('string'), 6, 'Groups of resources the custom resource belongs to, such as "all", used by kubectl get <category>.', { listType: 'atomic' }),
    },
  },
  [`${APIEXT}.CustomResourceDefinitionCondition`]: {
    description: "One observed aspect of a CustomResourceDefinition's state.",
    fields: {
      type: field('string', 1, 'The kind of condition, such as Established or NamesAccepted.', { required: true }),
      status: field('string', 2, 'True, False or Unknown.', { required: true }),
      lastTransitionTime: field('date-time', 3, 'When the condition last changed status.'),
      reason: field('string', 4, 'A one-word CamelCase cause of the last transition.'),
      message: field('string', 5, 'A human-readable explanation of the last transition.'),
    },
  },
  [`${APIEXT}.CustomResourceDefinitionStatus`]: {
    description: 'The observed state of a CustomResourceDefinition.',
    fields: {
      conditions: field(arrayOf(ref(`${APIEXT}.CustomResourceDefinitionCondition`)), 1, "The latest observations of the definition's state.", { listType: 'map', listMapKeys: ['type'] }),
      acceptedNames: field(ref(`${APIEXT}.CustomResourceDefinitionNames`), 2, 'The names actually served; may differ from spec.names on conflicts.'),
      storedVersions: field(arrayOf('string'), 3, 'Every version objects have ever been stored in, so migration can track them; a version is removed once nothing is stored in it.', { listType: 'atomic' }),
    },
  },
  [`${APIEXT}.CustomResourceDefinition`]: {
    description: 'Declares a custom resource, served by the API server at /apis/<group>/<version>/...; its name must be <plural>.<group>.',
    gvk: [gvk('CustomResourceDefinition')],
    fields: {
      ...objectHeader(),
      spec: field(ref(`${APIEXT}.CustomResourceDefinitionSpec`), 2, 'The desired shape of the custom resource.', { required: true }),
      status: field(ref(`${APIEXT}.CustomResourceDefinitionStatus`), 3, 'The observed state of the definition.'),
    },
  },
  [`${APIEXT}.CustomResourceDefinitionList`]: listType(`${APIEXT}.CustomResourceDefinition`, gvk('CustomResourceDefinitionList'), 'A list of CustomResourceDefinitions.'),
  [`${APIEXT}.CustomResourceValidation`]: {
    description: 'The validation schema of a custom resource version.',
    fields: {
      openAPIV3Schema: field(ref(`${APIEXT}.JSONSchemaProps`), 1, 'The OpenAPI v3 schema objects are validated and pruned with.'),
    },
  },
  [`${APIEXT}.CustomResourceSubresources`]: {
    description: 'The subresources a custom resource version serves.',
    fields: {
      status: field(ref(`${APIEXT}.CustomResourceSubresourceStatus`), 1, 'Enables the /status subresource: the main endpoint ignores status changes and /status ignores everything else.'),
      scale: field(ref(`${APIEXT}.CustomResourceSubresourceScale`), 2, 'Enables the /scale subresource, serving autoscaling/v1 Scale objects.'),
    },
  },
  [`${APIEXT}.CustomResourceSubresourceStatus`]: {
    description: 'Enables the status subresource; it has no settings.',
    fields: {
    },
  },
  [`${APIEXT}.CustomResourceSubresourceScale`]: {
    description: 'How the scale subresource maps onto a custom resource.',
    fields: {
      specReplicasPath: field('string', 1, 'The JSON path in the object, under .spec, of the desired replicas that Scale spec.replicas reads and writes.', { required: true }),
      statusReplicasPath: field('string', 2, 'The JSON path, under .status, of the observed replicas that Scale status.replicas reads.', { required: true }),
      labelSelectorPath: field('string', 3, 'The JSON path, under .status or .spec, of a serialized label selector that Scale status.selector reads; needed for HorizontalPodAutoscalers.'),
    },
  },
  [`${APIEXT}.JSONSchemaProps`]: {
    description: 'A JSON Schema (OpenAPI v3) used to validate custom resources, with Kubernetes extensions.',
    fields: {
      id: field('string', 1, "The schema's identifier."),
      '$schema': field('string', 2, 'The URL of the JSON Schema dialect.'),
      '$ref': field('string', 3, 'A reference to another schema; not allowed in custom resource schemas.'),
      description: field('string', 4, 'A human-readable description of the value.'),
      type: field('string', 5, 'The JSON type of the value: object, array, string, integer, number or boolean.'),
      format: field('string', 6, 'A format the value must have, such as date-time, int32, byte or uri.'),
      title: field('string', 7, 'A short title for the value.'),
      default: field('any', 8, 'The value set when the field is missing; pruned and validated like other values. Needs a structural schema.'),
      maximum: field('number', 9, 'The largest allowed number.'),
      exclusiveMaximum: field('boolean', 10, 'Whether maximum itself is excluded.'),
      minimum: field('number', 11, 'The smallest allowed number.'),
      exclusiveMinimum: field('boolean', 12, 'Whether minimum itself is excluded.'),
      maxLength: field('int64', 13, 'The longest allowed string.'),
      minLength: field('int64', 14, 'The shortest allowed string.'),
      pattern: field('string', 15, 'A regular expression strings must match.'),
      maxItems: field('int64', 16, 'The most items an array may have.'),
      minItems: field('int64', 17, 'The fewest items an array must have.'),
      uniqueItems: field('boolean', 18, 'Whether array items must be unique; not allowed in custom resource schemas.'),
      multipleOf: field('number', 19, 'A number the value must be a multiple of.'),
      enum: field(arrayOf('any'), 20, 'The values allowed.', { listType: 'atomic' }),
      maxProperties: field('int64', 21, 'The most properties an object may have.'),
      minProperties: field('int64', 22, 'The fewest properties an object must have.'),
      required: field(arrayOf('string'), 23, 'The properties an object must have.', { listType: 'atomic' }),
      items: field('any', 24, 'The schema of array items: a schema, or a list of schemas by position.'),
      allOf: field(arrayOf(ref(`${APIEXT}.JSONSchemaProps`)), 25, 'Schemas the value must all match.', { listType: 'atomic' }),
      oneOf: field(arrayOf(ref(`${APIEXT}.JSONSchemaProps`)), 26, 'Schemas the value must match exactly one of.', { listType: 'atomic' }),
      anyOf: field(arrayOf(ref(`${APIEXT}.JSONSchemaProps`)), 27, 'Schemas the value must match at least one of.', { listType: 'atomic' }),
      not: field(ref(`${APIEXT}.JSONSchemaProps`), 28, 'A schema the value must not match.'),
      properties: field(mapOf(ref(`${APIEXT}.JSONSchemaProps`)), 29, "The schemas of the object's properties, by name."),
      additionalProperties: field('any', 30, 'The schema of properties not listed in properties, or a boolean allowing or forbidding them.'),
      patternProperties: field(mapOf(ref(`${APIEXT}.JSONSchemaProps`)), 31, 'The schemas of properties whose names match a pattern; not allowed in custom resource schemas.'),
      dependencies: field(mapOf('any'), 32, 'Schemas, or lists of required property names, that apply when a property is present.'),
      additionalItems: field('any', 33, 'The schema of array items beyond those listed by position, or a boolean; not allowed in custom resource schemas.'),
      definitions: field(mapOf(ref(`${APIEXT}.JSONSchemaProps`)), 34, 'Named schemas that can be referenced; not allowed in custom resource schemas.'),
      externalDocs: field(ref(`${APIEXT}.ExternalDocumentation`), 35, 'A link to further documentation.'),
      example: field('any', 36, 'An example value.'),
      nullable: field('boolean', 37, 'Whether null is allowed; null is pruned when false.'),
      'x-kubernetes-preserve-unknown-fields': field('boolean', 38, 'Keeps fields not described by the schema instead of pruning them; applies to this object, not its nested properties.'),
      'x-kubernetes-embedded-resource': field('boolean', 39, 'Marks an object as an embedded Kubernetes object with apiVersion, kind and metadata, which are validated.'),
      'x-kubernetes-int-or-string': field('boolean', 40, 'Allows either an integer or a string.'),
      'x-kubernetes-list-map-keys': field(arrayOf('string'), 41, 'The fields that identify items of a list of type map; each must be a required scalar field.', { listType: 'atomic' }),
      'x-kubernetes-list-type': field('string', 42, 'How an array is merged by apply: atomic (replaced whole), set (unique scalars) or map (items keyed by x-kubernetes-list-map-keys).'),
      'x-kubernetes-map-type': field('string', 43, 'How an object is merged by apply: granular (by field) or atomic (replaced whole).'),
      'x-kubernetes-validations': mergeList(ref(`${APIEXT}.ValidationRule`), 44, 'CEL rules the value must satisfy.', 'rule'),
    },
  },
  [`${APIEXT}.ValidationRule`]: {
    description: 'A CEL validation rule applied to a value.',
    fields: {
      rule: field('string', 1, 'The CEL expression; self is the value, and oldSelf the previous value on update (making it a transition rule).', { required: true }),
      message: field('string', 2, 'The message shown when the rule fails; a default is used when unset.'),
      messageExpression: field('string', 3, 'A CEL expression returning the failure message; takes precedence over message.'),
      reason: field('string', 4, 'The machine-readable reason for a failure: FieldValueInvalid (the default), FieldValueForbidden, FieldValueRequired or FieldValueDuplicate.', { enum: ['FieldValueDuplicate', 'FieldValueForbidden', 'FieldValueInvalid', 'FieldValueRequired'] }),
      fieldPath: field('string', 5, 'The path, relative to the value, of the field a failure is reported on, such as ".name".'),
      optionalOldSelf: field('boolean', 6, 'Runs a transition rule also on create and when there is no old value, with oldSelf an optional.'),
    },
  },
  [`${APIEXT}.ExternalDocumentation`]: {
    description: 'A link to further documentation.',
    fields: {
      description: field('string', 1, 'What the documentation covers.'),
      url: field('string', 2, 'Where the documentation is.'),
    },
  },
};
